/**
 * Arithmetic on dimensions that may be symbolic. Numbers fold; a symbolic operand yields an
 * expression string; null (unknown) poisons the result. Expressions are kept readable, not
 * canonical: two equal sizes written differently compare unequal, which only ever costs
 * precision (a dim reported symbolic), never correctness.
 */
import type { Dim } from './types.js';

const SIMPLE = /^[A-Za-z_][\w.]*$|^-?\d+$/;

function wrap(d: string | number): string {
  const s = String(d);
  return SIMPLE.test(s) ? s : `(${s})`;
}

export function addDims(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (b === 0) return a;
  if (a === 0) return b;
  if (typeof b === 'number' && b < 0) return `${a}-${-b}`;
  return `${a}+${b}`;
}

export function subDims(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (b === 0) return a;
  if (a === b) return 0;
  if (typeof b === 'number' && b < 0) return `${a}+${-b}`;
  return `${a}-${wrap(b)}`;
}

export function mulDims(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (a === 0 || b === 0) return 0;
  if (a === 1) return b;
  if (b === 1) return a;
  return `${wrap(a)}*${wrap(b)}`;
}

/** floor(a / b); b must not be 0. */
export function floorDivDims(a: Dim, b: Dim): Dim {
  if (a === null || b === null || b === 0) return null;
  if (typeof a === 'number' && typeof b === 'number') return Math.floor(a / b);
  if (b === 1) return a;
  return `floor(${wrap(a)}/${wrap(b)})`;
}

/** ceil(a / b); b must not be 0. */
export function ceilDivDims(a: Dim, b: Dim): Dim {
  if (a === null || b === null || b === 0) return null;
  if (typeof a === 'number' && typeof b === 'number') return Math.ceil(a / b);
  if (b === 1) return a;
  return `ceil(${wrap(a)}/${wrap(b)})`;
}

/** Product of dims: the element count, symbolic when any dim is. */
export function productOfDims(dims: readonly Dim[]): Dim {
  let p: Dim = 1;
  for (const d of dims) p = mulDims(p, d);
  return p;
}

/** True when the two dims are known to be equal (same number, or same expression). */
export function sameDim(a: Dim, b: Dim): boolean {
  return a !== null && a === b;
}

/**
 * NumPy-style broadcast of two shapes. Returns the result shape or a message naming the
 * conflict. A symbolic dim against 1 gives the symbol; two different symbols give null, since
 * either might be 1 at run time.
 */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[]): readonly Dim[] | string {
  const rank = Math.max(a.length, b.length);
  const out: Dim[] = new Array<Dim>(rank);
  for (let i = 0; i < rank; i++) {
    const x = i < rank - a.length ? 1 : a[i - (rank - a.length)]!;
    const y = i < rank - b.length ? 1 : b[i - (rank - b.length)]!;
    if (x === 1) out[i] = y;
    else if (y === 1) out[i] = x;
    else if (x === y) out[i] = x;
    else if (typeof x === 'number' && typeof y === 'number') return `cannot broadcast ${x} against ${y} at axis ${i}`;
    else if (typeof x === 'number') out[i] = x;
    else if (typeof y === 'number') out[i] = y;
    else out[i] = null;
  }
  return out;
}

/** Normalizes a possibly negative axis for a tensor of `rank`; undefined when out of range. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}
