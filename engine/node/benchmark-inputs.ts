/**
 * The input tensors of a benchmark: given files (`.npy`, `.json`), or a seeded fill, at dims
 * pinned as `whittle profile --input` pins them. The same request gives the same tensors, so two
 * variants of a model run on identical inputs.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import * as ort from 'onnxruntime-node';
import { dataTypeName, type ModelProto, type ValueInfoProto } from '../core/onnx/index.js';
import { InputDimsError, inferShapes } from '../core/shape/infer.js';
import { typeFromProto, type Dim } from '../core/shape/types.js';
import { floatToHalfBits, halfBitsToNumber } from '../core/tensor/float16.js';
import { NpyFormatError, parseNpy, type NpyDtype } from '../core/tensor/npy.js';
import type { BenchmarkInput, BenchmarkOptions, InputFill } from '../protocol/benchmark.js';

/** What the benchmark options say about inputs, plus the batch of one point of a batch sweep. */
export type FeedRequest = Pick<BenchmarkOptions, 'inputDims' | 'inputFiles' | 'fill' | 'seed'> & { readonly batch?: number };

export interface PreparedFeeds {
  readonly feeds: Record<string, ort.Tensor>;
  readonly inputs: BenchmarkInput[];
}

/** A request that cannot give the model its inputs; the message says which input or file and why. */
export class InputFeedError extends Error {}

type FeedDtype = NpyDtype | 'string';
type FeedData = ort.Tensor['data'];

const NUMERIC_DTYPES: readonly NpyDtype[] = ['float32', 'float64', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool'];
const FEED_DTYPES = new Set<string>([...NUMERIC_DTYPES, 'string']);

/** Inclusive ranges of the integer types. */
const INTEGER_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  uint8: [0n, 2n ** 8n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

const SMALL_INTEGER_ARRAYS = { int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array } as const;

const MAX_JSON_RANK = 64;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** FNV-1a of seed and name: an input's stream does not depend on the other inputs or their order. */
function streamFor(seed: number, name: string): () => number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}:${name}`) hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193);
  return mulberry32(hash);
}

const FLOAT_ROUNDING: Readonly<Record<string, (v: number) => number>> = {
  float32: Math.fround,
  float64: (v) => v,
  float16: (v) => halfBitsToNumber(floatToHalfBits(v)),
};

function randomFloats(name: string, dtype: string, count: number, low: number, high: number, next: () => number): FeedData {
  const round = FLOAT_ROUNDING[dtype]!;
  if (!Number.isFinite(round(low)) || !Number.isFinite(round(high))) throw new InputFeedError(`input "${name}": the fill range [${low}, ${high}) exceeds the range of ${dtype}`);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    // Rounding to the type can land on `high` (or below `low`): draw again.
    for (let tries = 0; ; tries++) {
      if (tries === 100) throw new InputFeedError(`input "${name}": hardly any ${dtype} value lies in the fill range [${low}, ${high})`);
      const v = round(low + (high - low) * (next() / 2 ** 32));
      if (v >= low && v < high) {
        values[i] = v;
        break;
      }
    }
  }
  if (dtype === 'float64') return values;
  return dtype === 'float32' ? Float32Array.from(values) : Uint16Array.from(values, floatToHalfBits);
}

function randomIntegers(name: string, dtype: string, count: number, low: number, high: number, next: () => number): FeedData {
  const [min, max] = INTEGER_RANGES[dtype]!;
  const lo = BigInt(Math.ceil(low)) > min ? BigInt(Math.ceil(low)) : min;
  const hi = BigInt(Math.ceil(high)) - 1n < max ? BigInt(Math.ceil(high)) - 1n : max;
  if (lo > hi) throw new InputFeedError(`input "${name}": no ${dtype} value lies in the fill range [${low}, ${high}) (integers are drawn from [ceil(low), ceil(high)))`);
  const width = hi - lo + 1n;
  if (dtype === 'int64' || dtype === 'uint64') {
    const values = dtype === 'int64' ? new BigInt64Array(count) : new BigUint64Array(count);
    for (let i = 0; i < count; i++) values[i] = lo + (((BigInt(next()) << 32n) | BigInt(next())) % width);
    return values;
  }
  const values = new SMALL_INTEGER_ARRAYS[dtype as keyof typeof SMALL_INTEGER_ARRAYS](count);
  const base = Number(lo);
  const span = Number(width);
  for (let i = 0; i < count; i++) values[i] = base + Math.floor((next() / 2 ** 32) * span);
  return values;
}

const ZERO_ARRAYS: Readonly<Record<NpyDtype, new (count: number) => Exclude<FeedData, string[]>>> = {
  ...SMALL_INTEGER_ARRAYS,
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  bool: Uint8Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
};

function filled(name: string, dtype: FeedDtype, count: number, fill: InputFill, seed: number): FeedData {
  if (dtype === 'string') throw new InputFeedError(`input "${name}" holds strings: string inputs need a file (.json with string data)`);
  if (fill.kind === 'zeros') return new ZERO_ARRAYS[dtype](count);
  const next = streamFor(seed, name);
  if (dtype === 'bool') return Uint8Array.from({ length: count }, () => next() >>> 31);
  if (dtype in FLOAT_ROUNDING) return randomFloats(name, dtype, count, fill.low, fill.high, next);
  return randomIntegers(name, dtype, count, fill.low, fill.high, next);
}

interface GivenTensor {
  readonly file: string;
  readonly dims: readonly number[];
  readonly data: FeedData;
}

const fileError = (file: string, message: string): InputFeedError => new InputFeedError(`${file}: ${message}`);

/** Dims read from the first item at each level of nesting. */
function nestedDims(value: unknown, file: string): number[] {
  const dims: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) {
    if (dims.length === MAX_JSON_RANK) throw fileError(file, `data is nested deeper than ${MAX_JSON_RANK} levels`);
    dims.push(v.length);
  }
  return dims;
}

function flatten(value: unknown, dims: readonly number[], file: string): unknown[] {
  const out: unknown[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === dims.length) {
      if (Array.isArray(v)) throw fileError(file, `data is not a regular nested array: ${path} is an array where a number was expected`);
      out.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== dims[depth]) {
      throw fileError(file, `data is not a regular nested array: ${path} has ${Array.isArray(v) ? `${v.length} items` : 'no items'}, not ${dims[depth]}`);
    }
    v.forEach((item, i) => walk(item, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, 'data');
  return out;
}

function jsonTensor(parsed: unknown, file: string): { dtype?: unknown; dims: number[]; values: unknown[] } {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const dims = nestedDims(parsed, file);
    return { dims, values: flatten(parsed, dims, file) };
  }
  const fields = parsed as Record<string, unknown>;
  const unknownKey = Object.keys(fields).find((k) => k !== 'dtype' && k !== 'dims' && k !== 'data');
  if (unknownKey !== undefined) throw fileError(file, `unknown key "${unknownKey}": expected {"dtype"?, "dims"?, "data"} or a nested array`);
  if (!('data' in fields)) throw fileError(file, 'has no "data"');
  const nested = nestedDims(fields.data, file);
  const values = flatten(fields.data, nested, file);
  if (fields.dims === undefined) return { dtype: fields.dtype, dims: nested, values };
  const dims = fields.dims;
  if (!Array.isArray(dims) || !dims.every((d) => Number.isSafeInteger(d) && d >= 0)) throw fileError(file, '"dims" must be an array of sizes (integers ≥ 0)');
  if (nested.length > 1 && nested.join() !== dims.join()) throw fileError(file, `data is nested as [${nested.join(', ')}], but "dims" are [${dims.join(', ')}]`);
  const count = dims.reduce((a: number, b: number) => a * b, 1);
  if (values.length !== count) throw fileError(file, `"dims" [${dims.join(', ')}] need ${count} elements, but "data" has ${values.length}`);
  return { dtype: fields.dtype, dims: dims as number[], values };
}

function jsonValues(values: readonly unknown[], dtype: FeedDtype, file: string): FeedData {
  const check = (ok: (v: unknown) => boolean, what: string): void => {
    const bad = values.findIndex((v) => !ok(v));
    if (bad >= 0) throw fileError(file, `element ${bad} is ${JSON.stringify(values[bad])}, not ${what}`);
  };
  const numbers = values as number[];
  switch (dtype) {
    case 'string':
      check((v) => typeof v === 'string', 'a string');
      return values as string[];
    case 'bool':
      check((v) => v === true || v === false || v === 0 || v === 1, 'true, false, 0 or 1');
      return Uint8Array.from(values, (v) => (v === true || v === 1 ? 1 : 0));
    case 'float32':
    case 'float64':
    case 'float16':
      check((v) => typeof v === 'number', 'a number');
      return dtype === 'float32' ? Float32Array.from(numbers) : dtype === 'float64' ? Float64Array.from(numbers) : Uint16Array.from(numbers, floatToHalfBits);
    default: {
      const [min, max] = INTEGER_RANGES[dtype]!;
      check((v) => Number.isInteger(v) && BigInt(v as number) >= min && BigInt(v as number) <= max, `an integer in the range of ${dtype}`);
      if (dtype === 'int64') return BigInt64Array.from(numbers, BigInt);
      if (dtype === 'uint64') return BigUint64Array.from(numbers, BigInt);
      return SMALL_INTEGER_ARRAYS[dtype].from(numbers);
    }
  }
}

async function readGivenTensor(file: string, dtype: FeedDtype): Promise<GivenTensor> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw fileError(file, `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  switch (extname(file).toLowerCase()) {
    case '.npy': {
      let array;
      try {
        array = parseNpy(bytes);
      } catch (err) {
        if (err instanceof NpyFormatError) throw fileError(file, err.message);
        throw err;
      }
      if (array.dtype !== dtype) throw fileError(file, `holds ${array.dtype}, but the model's input is ${dtype}`);
      return { file, dims: array.dims, data: array.data };
    }
    case '.json': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(bytes));
      } catch (err) {
        throw fileError(file, `is not valid JSON (${(err as Error).message})`);
      }
      const tensor = jsonTensor(parsed, file);
      if (tensor.dtype !== undefined && tensor.dtype !== dtype) throw fileError(file, `says dtype ${JSON.stringify(tensor.dtype)}, but the model's input is ${dtype}`);
      return { file, dims: tensor.dims, data: jsonValues(tensor.values, dtype, file) };
    }
    default:
      throw fileError(file, 'input files must be .npy or .json');
  }
}

function declaredTensor(input: ValueInfoProto): { dtype: string; shape?: readonly Dim[] } {
  const type = typeFromProto(input.type);
  if (type?.kind !== 'tensor') throw new InputFeedError(`input "${input.name}" is not a tensor (${type?.kind ?? 'no type'}); benchmarks feed tensors only`);
  const dtype = dataTypeName(type.dtype);
  if (!FEED_DTYPES.has(dtype)) throw new InputFeedError(`input "${input.name}" holds ${dtype}, which onnxruntime-node cannot feed`);
  return { dtype, shape: type.shape };
}

function checkFits(given: GivenTensor, name: string, declared: readonly Dim[] | undefined): void {
  if (declared === undefined) return;
  const text = (dims: readonly Dim[]): string => `[${dims.map((d) => d ?? '?').join(', ')}]`;
  const fits = given.dims.length === declared.length && declared.every((d, i) => typeof d !== 'number' || d === given.dims[i]);
  if (!fits) throw fileError(given.file, `has dims ${text(given.dims)}, which do not fit input "${name}" ${text(declared)}`);
}

function withBatch(pins: Record<string, Dim[]>, inputs: readonly ValueInfoProto[], given: ReadonlyMap<string, GivenTensor>, batch: number): void {
  if (!Number.isSafeInteger(batch) || batch < 1) throw new InputFeedError(`batch must be a positive integer, not ${batch}`);
  for (const input of inputs) {
    const declared = declaredTensor(input).shape;
    const first = declared?.[0];
    if (declared === undefined || declared.length === 0 || typeof first === 'number') {
      const why = declared === undefined ? 'has no declared shape' : declared.length === 0 ? 'is a scalar' : `has a fixed first dim ${first}`;
      throw new InputFeedError(`input "${input.name}" ${why}, so a batch sweep cannot set its first dim`);
    }
    const file = given.get(input.name);
    if (file !== undefined && file.dims[0] !== batch) throw fileError(file.file, `has first dim ${file.dims[0]}, so input "${input.name}" cannot run at batch ${batch}`);
    pins[input.name] = [batch, ...(pins[input.name] ?? declared).slice(1)];
  }
}

/** An InputDimsError, like a pin that does not fit: the command was missing something, the model is fine. */
function unpinnedError(name: string, shape: readonly Dim[] | undefined): InputDimsError {
  if (shape === undefined) return new InputDimsError(`input "${name}" has no known rank: give its dims (command line: --input ${name}=DIMS)`);
  const unpinned = shape.filter((d) => typeof d !== 'number').map((d) => d ?? '?');
  const example = shape.map((d) => (typeof d === 'number' ? d : 'N')).join('x');
  return new InputDimsError(`input "${name}" has unpinned dims [${unpinned.join(', ')}]: pin them to the sizes you deploy with (command line: --input ${name}=${example}; workbench: the input dims bar)`);
}

function allocated(name: string, dims: readonly number[], make: () => FeedData): FeedData {
  try {
    return make();
  } catch (err) {
    if (err instanceof RangeError) throw new InputFeedError(`input "${name}" at dims ${dims.join('x')} is too large to allocate`);
    throw err;
  }
}

/**
 * The tensors to feed the model: its graph inputs that are not initializers, read from
 * `inputFiles` or filled, at dims pinned by `inputDims`, then the files' dims, then `batch` (the
 * first dim of every input, which must be symbolic in the model).
 *
 * The fill defaults to random in [0, 1) with seed 0. Each input draws from its own stream, keyed by
 * seed and input name, so variants of a model get the same tensors. Floats are uniform in
 * [low, high) after rounding to their type; integers uniform in [ceil(low), ceil(high)) clamped to
 * their type, so the default range fills integer inputs with zeros; bools are random whatever the
 * range. String inputs need a file.
 *
 * Throws InputDimsError (from shape inference) when pinned dims do not fit the model, and
 * InputFeedError for every other problem: an unpinned dim, a file that cannot be read or does
 * not fit, a fill that gives no valid value.
 */
export async function prepareFeeds(model: ModelProto, request: FeedRequest = {}): Promise<PreparedFeeds> {
  const initializers = new Set(model.graph?.initializer.map((t) => t.name));
  const inputs = (model.graph?.input ?? []).filter((v) => !initializers.has(v.name));
  const fill: InputFill = request.fill ?? { kind: 'random', low: 0, high: 1 };
  const seed = request.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new InputFeedError(`seed must be an integer, not ${seed}`);
  if (fill.kind === 'random' && !(Number.isFinite(fill.high - fill.low) && fill.low < fill.high)) {
    throw new InputFeedError(`the fill range [${fill.low}, ${fill.high}) must be finite and not empty`);
  }

  const given = new Map<string, GivenTensor>();
  for (const [name, file] of Object.entries(request.inputFiles ?? {})) {
    const input = inputs.find((v) => v.name === name);
    if (input === undefined) throw new InputFeedError(`${file} is given for "${name}", but the model has no such input; its inputs are ${inputs.map((v) => v.name).join(', ') || 'none'}`);
    const declared = declaredTensor(input);
    const tensor = await readGivenTensor(file, declared.dtype as FeedDtype);
    checkFits(tensor, name, declared.shape);
    given.set(name, tensor);
  }

  const pins: Record<string, Dim[]> = Object.create(null) as Record<string, Dim[]>;
  for (const [name, dims] of Object.entries(request.inputDims ?? {})) pins[name] = [...dims];
  for (const [name, tensor] of given) pins[name] = [...tensor.dims];
  if (request.batch !== undefined) withBatch(pins, inputs, given, request.batch);
  const shapes = inferShapes(model, { inputDims: pins });

  const feeds: Record<string, ort.Tensor> = {};
  const described: BenchmarkInput[] = [];
  for (const input of inputs) {
    const dtype = declaredTensor(input).dtype as FeedDtype;
    const type = shapes.typeOf(input.name);
    const shape = type?.kind === 'tensor' ? type.shape : undefined;
    if (shape === undefined || !shape.every((d): d is number => typeof d === 'number')) throw unpinnedError(input.name, shape);
    const dims = shape as number[];
    const file = given.get(input.name);
    const data = file?.data ?? allocated(input.name, dims, () => filled(input.name, dtype, dims.reduce((a, b) => a * b, 1), fill, seed));
    feeds[input.name] = new ort.Tensor(dtype as 'float32', data as Float32Array, dims);
    described.push({ name: input.name, dtype, dims, source: file?.file ?? fill.kind });
  }
  return { feeds, inputs: described };
}
