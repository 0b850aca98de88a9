/**
 * Small runtime checks for values that cross a process boundary. Each validator returns its
 * input, typed, or throws a {@link ValidationError} naming the offending field.
 */
export type Validator<T> = (value: unknown, at: string) => T;

export class ValidationError extends Error {
  override readonly name = 'ValidationError';

  constructor(
    readonly at: string,
    readonly detail: string,
  ) {
    super(`${at}: ${detail}`);
  }
}

function fail(at: string, detail: string): never {
  throw new ValidationError(at, detail);
}

/** A string of at most `maxLength` UTF-16 units. */
export function text(maxLength: number): Validator<string> {
  return (value, at) => {
    if (typeof value !== 'string') fail(at, 'must be a string');
    if (value.length > maxLength) fail(at, `is longer than ${maxLength} characters`);
    return value;
  };
}

/** Like {@link text}, and not empty or only white space. */
export function nonBlank(maxLength: number): Validator<string> {
  const check = text(maxLength);
  return (value, at) => {
    if (check(value, at).trim() === '') fail(at, 'must not be empty');
    return value as string;
  };
}

export const finiteNumber: Validator<number> = (value, at) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(at, 'must be a finite number');
  return value;
};

export const count: Validator<number> = (value, at) => {
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(at, 'must be a non-negative integer');
  return value as number;
};

/** A safe integer in [min, max]. */
export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): Validator<number> {
  return (value, at) => {
    if (!Number.isSafeInteger(value)) fail(at, 'must be a whole number');
    if ((value as number) < min || (value as number) > max) fail(at, `must be between ${min} and ${max}`);
    return value as number;
  };
}

/** A finite number in [min, max]. */
export function between(min: number, max: number): Validator<number> {
  return (value, at) => {
    if (finiteNumber(value, at) < min || (value as number) > max) fail(at, `must be between ${min} and ${max}`);
    return value as number;
  };
}

export const boolean: Validator<boolean> = (value, at) => {
  if (typeof value !== 'boolean') fail(at, 'must be true or false');
  return value;
};

/** One of several shapes, chosen by the string in `key` (a tagged union). */
export function tagged<T>(key: string, cases: Readonly<Record<string, Validator<T>>>): Validator<T> {
  return (value, at) => {
    const tag = isPlainObject(value) ? value[key] : undefined;
    if (typeof tag !== 'string' || !Object.hasOwn(cases, tag)) fail(`${at}.${key}`, `must be one of ${Object.keys(cases).join(', ')}`);
    return cases[tag]!(value, at);
  };
}

export function oneOf<const T extends readonly string[]>(choices: T): Validator<T[number]> {
  return (value, at) => {
    if (typeof value !== 'string' || !choices.includes(value)) fail(at, `must be one of ${choices.join(', ')}`);
    return value;
  };
}

export function nullable<T>(check: Validator<T>): Validator<T | null> {
  return (value, at) => (value === null ? null : check(value, at));
}

/** Marks an object field that may be absent (or undefined). */
export function optional<T>(check: Validator<T>): Validator<T | undefined> & { readonly optional: true } {
  return Object.assign((value: unknown, at: string) => (value === undefined ? undefined : check(value, at)), { optional: true as const });
}

export function list<T>(item: Validator<T>, maxItems: number): Validator<T[]> {
  return (value, at) => {
    if (!Array.isArray(value)) fail(at, 'must be an array');
    if (value.length > maxItems) fail(at, `has more than ${maxItems} items`);
    value.forEach((v, i) => item(v, `${at}[${i}]`));
    return value as T[];
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** An object with string keys (at most `maxKeys`, each at most `maxKeyLength` long) and checked values. */
export function dictionary<T>(item: Validator<T>, maxKeys: number, maxKeyLength: number): Validator<Record<string, T>> {
  return (value, at) => {
    if (!isPlainObject(value)) fail(at, 'must be an object');
    const keys = Object.keys(value);
    if (keys.length > maxKeys) fail(at, `has more than ${maxKeys} keys`);
    for (const key of keys) {
      if (key.length > maxKeyLength) fail(at, `has a key longer than ${maxKeyLength} characters`);
      item(value[key], `${at}.${key}`);
    }
    return value as Record<string, T>;
  };
}

type Shape = Record<string, Validator<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type Checked<S extends Shape> = { [K in Exclude<keyof S, OptionalKeys<S>>]: ReturnType<S[K]> } & { [K in OptionalKeys<S>]?: ReturnType<S[K]> };

/** An object with exactly these fields: unknown keys are refused, not ignored. */
export function object<S extends Shape>(shape: S): Validator<Checked<S>> {
  const check = fields(shape);
  return (value, at) => {
    if (isPlainObject(value)) for (const key of Object.keys(value)) if (!Object.hasOwn(shape, key)) fail(at, `has an unknown field "${key.slice(0, 40)}"`);
    return check(value, at);
  };
}

/** An object with at least these fields; others are let through (for answers a newer engine may extend). */
export function fields<S extends Shape>(shape: S): Validator<Checked<S>> {
  return (value, at) => {
    if (!isPlainObject(value)) fail(at, 'must be an object');
    for (const [key, check] of Object.entries(shape)) {
      if (!Object.hasOwn(value, key) && !('optional' in check)) fail(`${at}.${key}`, 'is missing');
      check(value[key], `${at}.${key}`);
    }
    return value as Checked<S>;
  };
}
