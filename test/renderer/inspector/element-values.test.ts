import { describe, expect, it } from 'vitest';
import type { TensorData } from '../../../engine/protocol/index.js';
import { bfloat16ToFloat, elementValues, halfToFloat, tensorBytes } from '../../../renderer/src/features/inspector/element-values.js';

describe('halfToFloat', () => {
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
    expect(halfToFloat(bits)).toBe(value);
  });

  it('keeps the sign of zero and reads NaN', () => {
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(halfToFloat(0xfc01)).toBeNaN();
  });
});

describe('bfloat16ToFloat', () => {
  it.each([
    [0x3f80, 1],
    [0xc040, -3],
    [0x3e20, 0.15625],
    [0x7f80, Infinity],
  ])('bits %s are %s', (bits, value) => {
    expect(bfloat16ToFloat(bits)).toBe(value);
  });
});

const tensor = (dtype: string, data: TensorData['data']): TensorData => ({ name: 't', dtype, dims: [data.length], data });

describe('elementValues', () => {
  it('decodes float16 bit patterns', () => {
    expect([...elementValues(tensor('float16', Uint16Array.of(0x3c00, 0xc000, 0x0000, 0x4400)))]).toEqual([1, -2, 0, 4]);
  });

  it('reads int64 and uint64 elements as numbers', () => {
    expect([...elementValues(tensor('int64', BigInt64Array.of(-(2n ** 40n), 0n, 7n)))]).toEqual([-(2 ** 40), 0, 7]);
    expect([...elementValues(tensor('uint64', BigUint64Array.of(2n ** 63n)))]).toEqual([2 ** 63]);
  });

  it('reads 8- and 32-bit integers and floats as they are', () => {
    expect([...elementValues(tensor('int8', Int8Array.of(-128, 0, 127)))]).toEqual([-128, 0, 127]);
    expect([...elementValues(tensor('uint8', Uint8Array.of(0, 255)))]).toEqual([0, 255]);
    expect([...elementValues(tensor('int32', Int32Array.of(-5, 2 ** 31 - 1)))]).toEqual([-5, 2 ** 31 - 1]);
    expect([...elementValues(tensor('float32', Float32Array.of(0.5, -1.25)))]).toEqual([0.5, -1.25]);
    expect([...elementValues(tensor('bfloat16', Uint16Array.of(0x3f80)))]).toEqual([1]);
  });
});

describe('tensorBytes', () => {
  it('multiplies the element size by the dims', () => {
    expect(tensorBytes('float32', [64, 3, 3, 3])).toBe(6912);
    expect(tensorBytes('float16', [1024, 1024])).toBe(2 * 1024 * 1024);
    expect(tensorBytes('int64', [])).toBe(8);
  });

  it('is unknown for symbolic dims, unknown rank or types not sent', () => {
    expect(tensorBytes('float32', ['n', 3])).toBeNull();
    expect(tensorBytes('float32', [null])).toBeNull();
    expect(tensorBytes('float32', undefined)).toBeNull();
    expect(tensorBytes('string', [2])).toBeNull();
  });
});
