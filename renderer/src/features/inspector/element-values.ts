import type { Dim } from '../../../../engine/core/shape/types.js';

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
