/** Half-precision (float16) conversions, for tensors onnxruntime-node holds as Uint16Array bits. */

function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  return rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
}

/**
 * IEEE 754 half-precision bits of `value`, rounded to nearest with ties to even, straight from
 * the double: going through float32 first would round twice.
 */
export function floatToHalfBits(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  // 65520 lies halfway between 65504 (the largest half) and 2^16, and ties go to even: infinity.
  if (a >= 65520) return sign | 0x7c00;
  // Subnormals count in units of 2^-24; a carry to 1024 is exactly the smallest normal's bits.
  if (a < 2 ** -14) return sign | roundHalfToEven(a * 2 ** 24);
  let exponent = Math.floor(Math.log2(a));
  if (2 ** exponent > a) exponent--;
  else if (2 ** (exponent + 1) <= a) exponent++;
  // A mantissa rounded up to 2048 carries into the exponent through the addition.
  return sign | (((exponent + 15) << 10) + roundHalfToEven(a * 2 ** (10 - exponent)) - 1024);
}

/** The number that half-precision `bits` encode. */
export function halfBitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}
