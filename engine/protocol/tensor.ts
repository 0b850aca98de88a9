import type { TensorSummary } from '../core/stats/tensor-summary.js';
import { between, count, fields, finiteNumber, list, nullable, object, text, ValidationError, type Validator } from './validate.js';

/**
 * The typed arrays that may cross the process boundary as raw bytes (structured clone between
 * processes, binary WebSocket frames to a browser), by constructor name.
 */
export const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;

export type TypedArrayKind = keyof typeof TYPED_ARRAYS;
export type TypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayKind]>;

/** The kind of `value` when it is one of {@link TYPED_ARRAYS}, else undefined. */
export function typedArrayKind(value: unknown): TypedArrayKind | undefined {
  if (!ArrayBuffer.isView(value)) return undefined;
  const name = (value.constructor as { name?: unknown }).name;
  return typeof name === 'string' && Object.hasOwn(TYPED_ARRAYS, name) && value instanceof TYPED_ARRAYS[name as TypedArrayKind] ? (name as TypedArrayKind) : undefined;
}

/**
 * An initializer's elements. float16 and bfloat16 come as their raw 16-bit patterns in a
 * Uint16Array, bool as 0/1 bytes in a Uint8Array.
 */
export interface TensorData {
  readonly name: string;
  /** ONNX element type name: float32, int64, float16… */
  readonly dtype: string;
  readonly dims: readonly number[];
  readonly data: TypedArray;
}

/** The largest tensor `model.tensor` sends; bigger ones are refused with a readable error. */
export const MAX_TENSOR_BYTES = 64 * 1024 * 1024;

/** Which typed array carries each element type Whittle can send. */
export const ARRAY_KIND_OF_DTYPE: Readonly<Record<string, TypedArrayKind>> = {
  float32: 'Float32Array',
  float64: 'Float64Array',
  float16: 'Uint16Array',
  bfloat16: 'Uint16Array',
  int8: 'Int8Array',
  uint8: 'Uint8Array',
  bool: 'Uint8Array',
  int16: 'Int16Array',
  uint16: 'Uint16Array',
  int32: 'Int32Array',
  uint32: 'Uint32Array',
  int64: 'BigInt64Array',
  uint64: 'BigUint64Array',
};

const MAX_NAME = 65_536;

const tensorFields = fields({ name: text(MAX_NAME), dtype: text(100), dims: list(count, 64), data: (data: unknown) => data });

export const tensorData: Validator<TensorData> = (value, at) => {
  const { dtype, dims, data } = tensorFields(value, at);
  const expected = ARRAY_KIND_OF_DTYPE[dtype];
  if (expected === undefined) throw new ValidationError(`${at}.dtype`, `"${dtype.slice(0, 40)}" is not a type Whittle sends`);
  if (typedArrayKind(data) !== expected) throw new ValidationError(`${at}.data`, `must be a ${expected}`);
  const elements = dims.reduce((n, d) => n * d, 1);
  if ((data as TypedArray).length !== elements) throw new ValidationError(`${at}.data`, `has ${(data as TypedArray).length} elements, dims say ${elements}`);
  return value as TensorData;
};

const statistic = nullable(finiteNumber);

/** A tensor's statistics and histogram, as `model.weightStats` answers. */
export const tensorSummary: Validator<TensorSummary> = object({
  dtype: text(100),
  dims: list(count, 64),
  stats: object({ count, nonFinite: count, min: statistic, max: statistic, mean: statistic, std: statistic, zeros: count, sparsity: between(0, 1) }),
  histogram: nullable(object({ edges: list(finiteNumber, 1_001), counts: list(count, 1_000) })),
});
