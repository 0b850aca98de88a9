import { halfBitsToNumber } from './float16.js';

const bfloatView = new DataView(new ArrayBuffer(4));

/** The number bfloat16 `bits` encode: they are the top half of a float32's. */
export function bfloat16BitsToNumber(bits: number): number {
  bfloatView.setUint32(0, (bits & 0xffff) << 16);
  return bfloatView.getFloat32(0);
}

/**
 * A tensor's elements as numbers: float16 and bfloat16 decoded from their 16-bit patterns,
 * 64-bit integers rounded to the nearest double; other types as they are, not copied.
 */
export function numericValues(dtype: string, data: ArrayLike<number> | BigInt64Array | BigUint64Array): ArrayLike<number> {
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return Float64Array.from(data, Number);
  if (dtype === 'float16') return Float64Array.from(data, halfBitsToNumber);
  if (dtype === 'bfloat16') return Float64Array.from(data, bfloat16BitsToNumber);
  return data;
}
