import type { Dim } from '../../../../engine/core/shape/types.js';
import type { TensorData } from '../../../../engine/protocol/index.js';

/** Bytes per element of the types `model.tensor` sends. */
const ELEMENT_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
};

/** A tensor's size in bytes from its dtype and shape; null when a dim or the element size is unknown. */
export function tensorBytes(dtype: string, shape: readonly Dim[] | undefined): number | null {
  const size = ELEMENT_BYTES[dtype];
  if (size === undefined || shape === undefined) return null;
  let n = size;
  for (const d of shape) {
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}

/** IEEE 754 half precision bits as a number: subnormals, infinities and NaN included. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const bfloatView = new DataView(new ArrayBuffer(4));

/** bfloat16 bits are the top half of a float32's. */
export function bfloat16ToFloat(bits: number): number {
  bfloatView.setUint32(0, (bits & 0xffff) << 16);
  return bfloatView.getFloat32(0);
}

/** The tensor's elements as numbers; 16-bit floats decoded from their bits, 64-bit integers rounded to the nearest double. */
export function elementValues(tensor: TensorData): Float64Array {
  const { data, dtype } = tensor;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data, Number);
  if (dtype === 'float16') return Float64Array.from(data, halfToFloat);
  if (dtype === 'bfloat16') return Float64Array.from(data, bfloat16ToFloat);
  return Float64Array.from(data);
}
