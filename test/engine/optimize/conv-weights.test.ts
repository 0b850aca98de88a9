import { describe, expect, it } from 'vitest';
import { outputChannels, scaleShiftOutputChannels } from '../../../engine/core/optimize/conv-weights.js';

const iota = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i + 1);

describe('scaleShiftOutputChannels', () => {
  it('scales Conv weights along axis 0 and shifts the bias', () => {
    // [Cout 2, Cin 1, 1, 2]
    const r = scaleShiftOutputChannels(iota(4), [2, 1, 1, 2], Float32Array.of(1, -1), Float64Array.of(2, 10), Float64Array.of(0.5, 3), 'conv');
    expect([...r.weights]).toEqual([2, 4, 30, 40]);
    expect([...r.bias]).toEqual([2.5, -7]);
  });

  it('treats a missing bias as zeros and a missing shift as none', () => {
    const r = scaleShiftOutputChannels(iota(2), [2, 1], undefined, Float32Array.of(3, 4), undefined, 'conv');
    expect([...r.weights]).toEqual([3, 8]);
    expect([...r.bias]).toEqual([0, 0]);
  });

  it('scales a [K, N] Gemm weight along its columns', () => {
    const r = scaleShiftOutputChannels(iota(6), [2, 3], undefined, Float64Array.of(1, 10, 100), Float64Array.of(1, 2, 3), 'gemm');
    expect([...r.weights]).toEqual([1, 20, 300, 4, 50, 600]);
    expect([...r.bias]).toEqual([1, 2, 3]);
  });

  it('scales ConvTranspose weights along axis 1 within each group', () => {
    // [Cin 4, Cout/group 1, 1, 1] with group 2: input channels 0,1 feed output 0; 2,3 feed output 1.
    expect(outputChannels([4, 1, 1, 1], 'conv-transpose', 2)).toBe(2);
    const r = scaleShiftOutputChannels(iota(4), [4, 1, 1, 1], undefined, Float64Array.of(10, 100), undefined, 'conv-transpose', 2);
    expect([...r.weights]).toEqual([10, 20, 300, 400]);
    // group 1, [Cin 2, Cout 2, 1, 1]: axis 1 is the output channel.
    const g1 = scaleShiftOutputChannels(iota(4), [2, 2, 1, 1], undefined, Float64Array.of(10, 100), undefined, 'conv-transpose');
    expect([...g1.weights]).toEqual([10, 200, 30, 400]);
  });

  it('computes in float64 before rounding to float32', () => {
    const r = scaleShiftOutputChannels(Float32Array.of(3), [1, 1], Float32Array.of(1e8), Float64Array.of(1 / 3), Float64Array.of(-1e8 / 3 + 0.25), 'conv');
    expect(r.weights[0]).toBe(Math.fround(1));
    expect(r.bias[0]).toBe(Math.fround(0.25));
  });

  it('throws when the lengths do not fit the shape', () => {
    expect(() => scaleShiftOutputChannels(iota(4), [2, 2], undefined, Float64Array.of(1), undefined, 'conv')).toThrow(RangeError);
    expect(() => scaleShiftOutputChannels(iota(3), [3, 1, 1, 1], undefined, Float64Array.of(1, 1), undefined, 'conv-transpose', 2)).toThrow(RangeError);
  });
});
