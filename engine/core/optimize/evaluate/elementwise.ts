/**
 * Element-wise kernels with NumPy broadcasting: arithmetic, comparisons, logic, Where, and a few
 * unary functions. Floats compute in double and round once on storing, which for + − × ÷ and
 * sqrt gives exactly the float32 result; integers wrap as the typed array stores them; int64
 * and uint64 use bigints.
 */
import { DataType } from '../../onnx/data-types.js';
import { EvalRefusal, isBig, isFloat, isSupported, stridesOf, type Args, type Kernel, type Value } from './tensor.js';

/** The broadcast of several shapes, right-aligned; refuses shapes that do not broadcast. */
export function broadcastDims(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    s.forEach((d, i) => {
      const at = rank - s.length + i;
      if (d === out[at] || d === 1) return;
      if (out[at] !== 1) throw new EvalRefusal(`cannot broadcast ${s.join('x')} to ${out.join('x')}`);
      out[at] = d;
    });
  }
  return out;
}

/** For each element of `outDims` in row-major order, the element of `dims` (broadcast into it) that it reads. */
export function broadcastIndex(dims: readonly number[], outDims: readonly number[]): Int32Array {
  const count = outDims.reduce((a, b) => a * b, 1);
  const rank = outDims.length;
  const own = stridesOf(dims);
  const step = outDims.map((_, axis) => {
    const j = axis - (rank - dims.length);
    return j < 0 || dims[j] === 1 ? 0 : own[j]!;
  });
  const index = new Int32Array(count);
  const coords = new Array<number>(rank).fill(0);
  let at = 0;
  for (let i = 0; i < count; i++) {
    index[i] = at;
    for (let axis = rank - 1; axis >= 0; axis--) {
      at += step[axis]!;
      if (++coords[axis]! < outDims[axis]!) break;
      at -= step[axis]! * coords[axis]!;
      coords[axis] = 0;
    }
  }
  return index;
}

function sameTypes(args: Args, values: readonly Value[]): number {
  const dtype = values[0]?.dtype;
  if (dtype === undefined || values.some((v) => v.dtype !== dtype)) throw new EvalRefusal(`${args.node.opType} needs inputs of one element type`);
  return dtype;
}

type Result = number | bigint | boolean;

/**
 * A kernel over inputs of one element type broadcast together, folding them left to right with
 * `onNumber` (floats and narrow integers) or `onBig` (int64, uint64); booleans store as 0 and 1.
 */
function binary(
  result: 'same' | 'bool',
  onNumber: ((a: number, b: number, dtype: number) => Result) | undefined,
  onBig: ((a: bigint, b: bigint) => Result) | undefined,
  accepts: (dtype: number) => boolean = isSupported,
): Kernel {
  return (args) => {
    const operands = Array.from({ length: args.inputCount }, (_, i) => args.input(i));
    const dtype = sameTypes(args, operands);
    const f = (isBig(dtype) ? onBig : onNumber) as ((a: Result, b: Result, dtype: number) => Result) | undefined;
    if (!accepts(dtype) || f === undefined) throw new EvalRefusal(`${args.node.opType} is not evaluated for this element type`);
    const outDims = broadcastDims(operands.map((v) => v.dims));
    const out = args.make(result === 'bool' ? DataType.BOOL : dtype, outDims);
    const indexes = operands.map((v) => broadcastIndex(v.dims, outDims));
    const data = out.data as unknown as Result[];
    for (let i = 0; i < data.length; i++) {
      let acc: Result = operands[0]!.data[indexes[0]![i]!]!;
      for (let k = 1; k < operands.length; k++) acc = f(acc, operands[k]!.data[indexes[k]![i]!]!, dtype);
      data[i] = typeof acc === 'boolean' ? Number(acc) : acc;
    }
    return [out];
  };
}

function nonZero<T extends number | bigint>(b: T): T {
  if (b === 0 || b === 0n) throw new EvalRefusal('integer division by zero');
  return b;
}

/** Integer division truncates toward zero, as C++ (and so onnxruntime) does. */
function divide(a: number, b: number, dtype: number): number {
  return isFloat(dtype) ? a / b : Math.trunc(a / nonZero(b));
}

/** int32 and uint32 products can exceed 2^53: multiply modulo 2^32 instead. */
export function multiply(a: number, b: number, dtype: number): number {
  return dtype === DataType.INT32 || dtype === DataType.UINT32 ? Math.imul(a, b) : a * b;
}

/** Mod: with fmod=1 the remainder has the dividend's sign (C fmod, JS %); else the divisor's (Python), integers only. */
const mod: Kernel = (args) => {
  if (args.int('fmod', 0) === 1) return binary('same', (a, b, dtype) => (isFloat(dtype) ? a % b : a % nonZero(b)), (a, b) => a % nonZero(b))(args);
  if (isFloat(args.input(0).dtype)) throw new EvalRefusal('Mod of floats needs fmod=1');
  return binary(
    'same',
    (a, b) => {
      const r = a % nonZero(b);
      return r !== 0 && r < 0 !== b < 0 ? r + b : r;
    },
    (a, b) => {
      const r = a % nonZero(b);
      return r !== 0n && r < 0n !== b < 0n ? r + b : r;
    },
  )(args);
};

const notBool = (dtype: number): boolean => dtype !== DataType.BOOL;
const onlyBool = (dtype: number): boolean => dtype === DataType.BOOL;

/** Where(condition, x, y): x where the condition holds, else y, all three broadcast together. */
const where: Kernel = (args) => {
  const [cond, x, y] = [args.input(0), args.input(1), args.input(2)];
  if (cond.dtype !== DataType.BOOL || x.dtype !== y.dtype) throw new EvalRefusal('Where needs a bool condition and two inputs of one type');
  const outDims = broadcastDims([cond.dims, x.dims, y.dims]);
  const out = args.make(x.dtype, outDims);
  const [ci, xi, yi] = [cond, x, y].map((v) => broadcastIndex(v.dims, outDims)) as [Int32Array, Int32Array, Int32Array];
  for (let i = 0; i < out.data.length; i++) out.data[i] = cond.data[ci[i]!] ? x.data[xi[i]!]! : y.data[yi[i]!]!;
  return [out];
};

function unary(fn: (x: number) => number, big?: (x: bigint) => bigint, accepts: (dtype: number) => boolean = notBool): Kernel {
  return (args) => {
    const x = args.input(0);
    if (!accepts(x.dtype) || (isBig(x.dtype) && big === undefined)) throw new EvalRefusal(`${args.node.opType} is not evaluated for this element type`);
    const out = args.make(x.dtype, x.dims);
    const f = (isBig(x.dtype) ? big : fn) as (v: unknown) => unknown;
    const data = out.data as unknown as { [i: number]: unknown };
    for (let i = 0; i < x.data.length; i++) data[i] = f(x.data[i]);
    return [out];
  };
}

export const kernels: Readonly<Record<string, Kernel>> = {
  Add: binary('same', (a, b) => a + b, (a, b) => a + b, notBool),
  Sub: binary('same', (a, b) => a - b, (a, b) => a - b, notBool),
  Mul: binary('same', multiply, (a, b) => a * b, notBool),
  Div: binary('same', divide, (a, b) => a / nonZero(b), notBool),
  Mod: mod,
  Max: binary('same', (a, b) => Math.max(a, b), (a, b) => (a > b ? a : b), notBool),
  Min: binary('same', (a, b) => Math.min(a, b), (a, b) => (a < b ? a : b), notBool),
  Equal: binary('bool', (a, b) => a === b, (a, b) => a === b),
  Less: binary('bool', (a, b) => a < b, (a, b) => a < b, notBool),
  LessOrEqual: binary('bool', (a, b) => a <= b, (a, b) => a <= b, notBool),
  Greater: binary('bool', (a, b) => a > b, (a, b) => a > b, notBool),
  GreaterOrEqual: binary('bool', (a, b) => a >= b, (a, b) => a >= b, notBool),
  And: binary('bool', (a, b) => a !== 0 && b !== 0, undefined, onlyBool),
  Or: binary('bool', (a, b) => a !== 0 || b !== 0, undefined, onlyBool),
  Xor: binary('bool', (a, b) => (a !== 0) !== (b !== 0), undefined, onlyBool),
  Where: where,
  Not: unary((x) => (x === 0 ? 1 : 0), undefined, onlyBool),
  Neg: unary((x) => -x, (x) => -x),
  Abs: unary(Math.abs, (x) => (x < 0n ? -x : x)),
  Sqrt: unary(Math.sqrt, undefined, isFloat),
  Reciprocal: unary((x) => 1 / x, undefined, isFloat),
  Floor: unary(Math.floor, undefined, isFloat),
  Ceil: unary(Math.ceil, undefined, isFloat),
};
