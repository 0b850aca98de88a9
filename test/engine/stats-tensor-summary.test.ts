import { describe, expect, it } from 'vitest';
import { histogram, summarizeTensor, weightStats } from '../../engine/core/stats/index.js';
import { numericValues } from '../../engine/core/tensor/numeric-values.js';

describe('weightStats', () => {
  it('gives min, max, mean, population std and the share of exact zeros', () => {
    // Mean 1; squared deviations 0 + 4 + 1 + 1 + 1 + 9 = 16 over 6 elements.
    const s = weightStats([1, -1, 0, 0, 2, 4]);
    expect(s).toMatchObject({ count: 6, nonFinite: 0, min: -1, max: 4, mean: 1, zeros: 2 });
    expect(s.std).toBeCloseTo(Math.sqrt(16 / 6), 12);
    expect(s.sparsity).toBeCloseTo(1 / 3, 12);
  });

  it('counts negative zero as zero', () => {
    expect(weightStats([-0, 1]).zeros).toBe(1);
  });

  it('leaves NaN and infinities out of the figures but counts them', () => {
    const s = weightStats([NaN, 2, Infinity, 4, -Infinity]);
    expect(s).toMatchObject({ count: 5, nonFinite: 3, min: 2, max: 4, mean: 3, std: 1, zeros: 0 });
  });

  it('has no figures without finite elements', () => {
    expect(weightStats([])).toEqual({ count: 0, nonFinite: 0, min: null, max: null, mean: null, std: null, zeros: 0, sparsity: 0 });
    expect(weightStats([NaN])).toMatchObject({ min: null, mean: null, std: null });
  });

  it('stays accurate with a large mean', () => {
    const s = weightStats([1e9 + 1, 1e9 + 2, 1e9 + 3]);
    expect(s.mean).toBe(1e9 + 2);
    expect(s.std).toBeCloseTo(Math.sqrt(2 / 3), 6);
  });
});

describe('histogram', () => {
  it('splits min..max into equal bins, the max in the last one', () => {
    expect(histogram([0, 1, 2, 3, 4], 4, 0, 4)).toEqual({ edges: [0, 1, 2, 3, 4], counts: [1, 1, 1, 2] });
  });

  it('puts a value on an inner edge in the bin above it', () => {
    expect(histogram([-1, 0, 0.5, 1], 2, -1, 1)).toEqual({ edges: [-1, 0, 1], counts: [1, 3] });
  });

  it('counts every finite element once', () => {
    const values = Array.from({ length: 1001 }, (_, i) => Math.sin(i) * 3);
    const h = histogram([...values, NaN, Infinity], 37, Math.min(...values), Math.max(...values));
    expect(h.counts).toHaveLength(37);
    expect(h.edges).toHaveLength(38);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(1001);
    expect(h.edges[37]).toBe(Math.max(...values));
  });

  it('gives a constant tensor one bin holding everything', () => {
    expect(histogram([0.5, 0.5, 0.5], 10, 0.5, 0.5)).toEqual({ edges: [0.5, 0.5], counts: [3] });
  });
});

describe('summarizeTensor', () => {
  it('summarizes float16 weights from their bits', () => {
    // 1, -2, 0, 4: mean 0.75; squared deviations 0.0625 + 7.5625 + 0.5625 + 10.5625 = 18.75.
    const s = summarizeTensor('float16', [2, 2], numericValues('float16', Uint16Array.of(0x3c00, 0xc000, 0x0000, 0x4400)));
    expect(s.stats).toMatchObject({ min: -2, max: 4, mean: 0.75, zeros: 1, sparsity: 0.25 });
    expect(s.stats.std).toBeCloseTo(Math.sqrt(18.75 / 4), 12);
    expect(s.histogram).toEqual({ edges: [-2, 1, 4], counts: [2, 2] });
    expect(s.dims).toEqual([2, 2]);
  });

  it('summarizes int64 tensors', () => {
    const s = summarizeTensor('int64', [4], numericValues('int64', BigInt64Array.of(1n, -1n, 0n, 8n)));
    expect(s.stats).toMatchObject({ min: -1, max: 8, mean: 2, zeros: 1 });
    expect(s.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('summarizes int8 weights and caps the bins', () => {
    const data = Int8Array.from({ length: 10_000 }, (_, i) => (i % 256) - 128);
    const s = summarizeTensor('int8', [10_000], numericValues('int8', data));
    expect(s.stats).toMatchObject({ min: -128, max: 127 });
    expect(s.histogram!.counts).toHaveLength(40);
  });

  it('has no histogram when nothing is finite', () => {
    expect(summarizeTensor('float32', [1], numericValues('float32', Float32Array.of(NaN))).histogram).toBeNull();
  });
});
