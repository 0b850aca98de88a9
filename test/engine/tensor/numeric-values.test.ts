import { describe, expect, it } from 'vitest';
import { halfBitsToNumber } from '../../../engine/core/tensor/float16.js';
import { bfloat16BitsToNumber, numericValues } from '../../../engine/core/tensor/numeric-values.js';

describe('halfBitsToNumber', () => {
  it.each([
    [0x0000, 0],
    [0x3c00, 1],
    [0xc000, -2],
    [0x3800, 0.5],
    [0x3555, 0.333251953125],
    [0x7bff, 65504],
    [0x0400, 2 ** -14],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])('bits %s are %s', (bits, value) => {
    expect(halfBitsToNumber(bits)).toBe(value);
  });

  it('keeps the sign of zero and reads NaN', () => {
    expect(Object.is(halfBitsToNumber(0x8000), -0)).toBe(true);
    expect(halfBitsToNumber(0x7e00)).toBeNaN();
    expect(halfBitsToNumber(0xfc01)).toBeNaN();
  });
});

describe('bfloat16BitsToNumber', () => {
  it.each([
    [0x3f80, 1],
    [0xc040, -3],
    [0x3e20, 0.15625],
    [0x7f80, Infinity],
  ])('bits %s are %s', (bits, value) => {
    expect(bfloat16BitsToNumber(bits)).toBe(value);
  });
});

describe('numericValues', () => {
  it('decodes float16 bit patterns', () => {
    expect(Array.from(numericValues('float16', Uint16Array.of(0x3c00, 0xc000, 0x0000, 0x4400)))).toEqual([1, -2, 0, 4]);
  });

  it('reads int64 and uint64 elements as numbers', () => {
    expect(Array.from(numericValues('int64', BigInt64Array.of(-(2n ** 40n), 0n, 7n)))).toEqual([-(2 ** 40), 0, 7]);
    expect(Array.from(numericValues('uint64', BigUint64Array.of(2n ** 63n)))).toEqual([2 ** 63]);
  });

  it('reads 8- and 32-bit integers and floats as they are', () => {
    expect(Array.from(numericValues('int8', Int8Array.of(-128, 0, 127)))).toEqual([-128, 0, 127]);
    expect(Array.from(numericValues('uint8', Uint8Array.of(0, 255)))).toEqual([0, 255]);
    expect(Array.from(numericValues('int32', Int32Array.of(-5, 2 ** 31 - 1)))).toEqual([-5, 2 ** 31 - 1]);
    expect(Array.from(numericValues('float32', Float32Array.of(0.5, -1.25)))).toEqual([0.5, -1.25]);
    expect(Array.from(numericValues('bfloat16', Uint16Array.of(0x3f80)))).toEqual([1]);
  });
});

