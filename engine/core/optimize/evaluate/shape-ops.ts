/**
 * Kernels that make shapes or only change them: Shape and Size (from dims alone), Reshape,
 * Flatten, Squeeze, Unsqueeze, Identity, Expand, Concat, ConstantOfShape, Range.
 */
import { DataType } from '../../onnx/data-types.js';
import { broadcastDims, broadcastIndex } from './elementwise.js';
import { EvalRefusal, elementCount, normalizeAxis, numbersOf, stridesOf, valueOfTensor, type Args, type Kernel, type Value } from './tensor.js';

/** Shape: the dims of a tensor as int64, sliced by `start` and `end` (opset 15), clamped to the rank. */
export function shapeValue(dims: readonly number[], start: number, end: number): Value {
  const rank = dims.length;
  const clamp = (v: number): number => Math.min(rank, Math.max(0, v < 0 ? v + rank : v));
  const kept = dims.slice(clamp(start), Math.max(clamp(start), clamp(end)));
  return { dtype: DataType.INT64, dims: [kept.length], data: BigInt64Array.from(kept, BigInt) };
}

/** Size: the element count of a tensor as an int64 scalar. */
export function sizeValue(dims: readonly number[]): Value {
  return { dtype: DataType.INT64, dims: [], data: BigInt64Array.of(BigInt(elementCount(dims))) };
}

/** Reshape: 0 copies the input's dim (unless allowzero), -1 takes what is left. */
const reshape: Kernel = (args) => {
  const x = args.input(0);
  const target = args.list('shape', 1) ?? [];
  const allowZero = args.int('allowzero', 0) === 1;
  const dims = target.map((d, i) => (d === 0 && !allowZero ? (x.dims[i] ?? -2) : d));
  const inferAt = dims.indexOf(-1);
  if (dims.some((d, i) => d < -1 || (d === -1 && i !== inferAt))) throw new EvalRefusal(`invalid Reshape target [${target.join(', ')}]`);
  if (inferAt >= 0) {
    const rest = elementCount(dims.filter((_, i) => i !== inferAt));
    if (rest === 0 || x.data.length % rest !== 0) throw new EvalRefusal(`cannot reshape ${x.dims.join('x')} to [${target.join(', ')}]`);
    dims[inferAt] = x.data.length / rest;
  }
  return [args.reshaped(x, dims)];
};

const flatten: Kernel = (args) => {
  const x = args.input(0);
  const axis = args.int('axis', 1);
  const at = axis < 0 ? axis + x.dims.length : axis;
  if (at < 0 || at > x.dims.length) throw new EvalRefusal(`Flatten axis ${axis} is out of range`);
  return [args.reshaped(x, [elementCount(x.dims.slice(0, at)), elementCount(x.dims.slice(at))])];
};

const squeeze: Kernel = (args) => {
  const x = args.input(0);
  const axes = args.list('axes', 1);
  const drop = axes === undefined ? x.dims.flatMap((d, i) => (d === 1 ? [i] : [])) : axes.map((a) => normalizeAxis(a, x.dims.length));
  if (drop.some((a) => x.dims[a] !== 1)) throw new EvalRefusal('Squeeze of an axis whose size is not 1');
  return [args.reshaped(x, x.dims.filter((_, i) => !drop.includes(i)))];
};

const unsqueeze: Kernel = (args) => {
  const x = args.input(0);
  const axes = args.list('axes', 1) ?? [];
  const rank = x.dims.length + axes.length;
  const insert = axes.map((a) => normalizeAxis(a, rank));
  if (new Set(insert).size !== insert.length) throw new EvalRefusal('Unsqueeze axes repeat');
  const rest = [...x.dims];
  return [args.reshaped(x, Array.from({ length: rank }, (_, i) => (insert.includes(i) ? 1 : rest.shift()!)))];
};

/** Copies `x` broadcast to `outDims` (NumPy rules). */
function broadcastTo(args: Args, x: Value, outDims: readonly number[]): Value {
  const out = args.make(x.dtype, outDims);
  const index = broadcastIndex(x.dims, outDims);
  for (let i = 0; i < index.length; i++) out.data[i] = x.data[index[i]!]!;
  return out;
}

const expand: Kernel = (args) => {
  const x = args.input(0);
  return [broadcastTo(args, x, broadcastDims([x.dims, numbersOf(args.input(1))]))];
};

const concat: Kernel = (args) => {
  const parts = Array.from({ length: args.inputCount }, (_, i) => args.input(i));
  const first = parts[0];
  if (first === undefined) throw new EvalRefusal('Concat of nothing');
  const axis = normalizeAxis(args.int('axis') ?? NaN, first.dims.length);
  const fits = (v: Value): boolean => v.dtype === first.dtype && v.dims.length === first.dims.length && v.dims.every((d, i) => i === axis || d === first.dims[i]);
  if (!parts.every(fits)) throw new EvalRefusal('Concat inputs differ in type or in dims off the axis');
  const dims = [...first.dims];
  dims[axis] = parts.reduce((n, v) => n + v.dims[axis]!, 0);
  const out = args.make(first.dtype, dims);
  // Each part contributes one contiguous run per index of the axes before `axis`.
  const outer = elementCount(dims.slice(0, axis));
  const rowOut = stridesOf(dims)[axis]! * dims[axis]!;
  let offset = 0;
  for (const v of parts) {
    const row = v.dims[axis]! * stridesOf(v.dims)[axis]!;
    for (let o = 0; o < outer; o++) out.data.set(v.data.subarray(o * row, (o + 1) * row) as never, o * rowOut + offset);
    offset += row;
  }
  return [out];
};

const constantOfShape: Kernel = (args) => {
  const attribute = args.attributeTensor('value');
  const fill = attribute === undefined ? { dtype: DataType.FLOAT, dims: [1], data: Float32Array.of(0) } : valueOfTensor(attribute);
  if (fill === undefined || fill.data.length !== 1) throw new EvalRefusal('ConstantOfShape value is not one readable element');
  const out = args.make(fill.dtype, numbersOf(args.input(0)));
  (out.data as unknown as { fill(v: unknown): void }).fill(fill.data[0]);
  return [out];
};

const RANGE_TYPES = new Set<number>([DataType.FLOAT, DataType.DOUBLE, DataType.INT16, DataType.INT32, DataType.INT64]);

/** a + b for two elements of one array: numbers or bigints. */
function plus(a: number | bigint, b: number | bigint): number | bigint {
  return typeof a === 'bigint' ? a + (b as bigint) : a + (b as number);
}

/**
 * Range as onnxruntime computes it: ceil((limit − start) / delta) elements, each the previous plus
 * delta, accumulated in the element type (so float32 ranges round as they do at run time). For
 * floats the count is refused when it depends on whether limit − start is rounded to the element
 * type first: the spec and onnxruntime builds disagree there (0.1 to 1.7 by 0.1 in float32 has 16
 * or 17 elements).
 */
const range: Kernel = (args) => {
  const [start, limit, delta] = [args.input(0), args.input(1), args.input(2)];
  const dtype = start.dtype;
  if (!RANGE_TYPES.has(dtype) || limit.dtype !== dtype || delta.dtype !== dtype) throw new EvalRefusal('Range inputs are not of one numeric type');
  const step = delta.data[0]!;
  if (step === 0 || step === 0n) throw new EvalRefusal('Range delta is 0');
  const negated = typeof step === 'bigint' ? -(start.data[0] as bigint) : -(start.data[0] as number);
  const diff = args.make(dtype, []);
  diff.data[0] = plus(limit.data[0]!, negated) as never;
  const count = Math.max(Math.ceil(Number(diff.data[0]) / Number(step)), 0);
  const exact = Math.max(Math.ceil((Number(limit.data[0]) - Number(start.data[0])) / Number(step)), 0);
  if (count !== exact) throw new EvalRefusal('the Range length depends on rounding');
  const out = args.make(dtype, [count]);
  for (let i = 0; i < out.data.length; i++) out.data[i] = (i === 0 ? start.data[0]! : plus(out.data[i - 1]!, step)) as never;
  return [out];
};

export const kernels: Readonly<Record<string, Kernel>> = {
  Identity: (args) => [args.input(0)],
  Reshape: reshape,
  Flatten: flatten,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Expand: expand,
  Concat: concat,
  ConstantOfShape: constantOfShape,
  Range: range,
};
