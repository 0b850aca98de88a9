/**
 * Cast and CastLike between the numeric types and bool, as onnxruntime converts: floats to
 * integers truncate toward zero, integers to narrower integers wrap, anything to bool is "not
 * zero". Conversions C++ leaves undefined (NaN or out-of-range floats to integers) are refused.
 */
import { DataType, dataTypeName } from '../../onnx/data-types.js';
import { EvalRefusal, isBig, isFloat, isSupported, type Args, type Kernel, type Value } from './tensor.js';

/** Range of each integer type that is not held as a bigint. */
const NARROW_RANGE: Readonly<Partial<Record<number, readonly [number, number]>>> = {
  [DataType.INT8]: [-128, 127],
  [DataType.UINT8]: [0, 255],
  [DataType.INT16]: [-32768, 32767],
  [DataType.UINT16]: [0, 65535],
  [DataType.INT32]: [-2147483648, 2147483647],
  [DataType.UINT32]: [0, 4294967295],
};

const BIG_RANGE: Readonly<Partial<Record<number, readonly [bigint, bigint]>>> = {
  [DataType.INT64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [DataType.UINT64]: [0n, 2n ** 64n - 1n],
};

function floatToInteger(x: number, to: number): number | bigint {
  if (!Number.isFinite(x)) throw new EvalRefusal(`cannot cast ${x} to ${dataTypeName(to)}`);
  const t = Math.trunc(x);
  const narrow = NARROW_RANGE[to];
  const big = BIG_RANGE[to];
  const inRange = narrow !== undefined ? t >= narrow[0] && t <= narrow[1] : big !== undefined && BigInt(t) >= big[0] && BigInt(t) <= big[1];
  if (!inRange) throw new EvalRefusal(`${x} does not fit in ${dataTypeName(to)}`);
  return isBig(to) ? BigInt(t) : t;
}

/** One element converted from `from` to `to`, as the target array stores it. */
function convert(x: number | bigint, from: number, to: number): number | bigint {
  if (to === DataType.BOOL) return x !== 0 && x !== 0n ? 1 : 0;
  if (isFloat(to)) {
    // A bigint beyond 2^53 would round twice on the way to float32; such casts stay at run time.
    if (typeof x === 'bigint' && (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(Number.MIN_SAFE_INTEGER))) throw new EvalRefusal('integer too large to cast exactly');
    return Number(x);
  }
  if (isFloat(from)) return floatToInteger(x as number, to);
  // Integer to integer (and bool to integer): wrap to the target width, as the typed array stores.
  if (isBig(to)) return to === DataType.INT64 ? BigInt.asIntN(64, BigInt(x)) : BigInt.asUintN(64, BigInt(x));
  return typeof x === 'bigint' ? Number(BigInt.asIntN(64, x) & 0xffffffffn) : x;
}

function castTo(args: Args, x: Value, to: number): Value[] {
  if (!isSupported(to)) throw new EvalRefusal(`Cast to ${dataTypeName(to)} is not evaluated`);
  const out = args.make(to, x.dims);
  const data = out.data as unknown as (number | bigint)[];
  for (let i = 0; i < x.data.length; i++) data[i] = convert(x.data[i]!, x.dtype, to);
  return [out];
}

export const kernels: Readonly<Record<string, Kernel>> = {
  Cast: (args) => castTo(args, args.input(0), args.int('to') ?? -1),
  CastLike: (args) => castTo(args, args.input(0), args.input(1).dtype),
};
