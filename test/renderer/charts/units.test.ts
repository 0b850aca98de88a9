import { describe, expect, it } from 'vitest';
import { formatMs, formatRate, formatTick } from '../../../renderer/src/features/charts/units.js';

describe('chart units', () => {
  it.each([
    [0.85, '850 µs'],
    [7, '7.00 ms'],
    [12.34, '12.3 ms'],
    [0, '0 ms'],
    [1234, '1.23 s'],
  ])('formatMs(%d) is %s', (ms, text) => expect(formatMs(ms)).toBe(text));

  it.each([
    [100, '100 GFLOP/s'],
    [1234, '1.23 TFLOP/s'],
    [0.5, '500 MFLOP/s'],
  ])('formatRate(%d) is %s', (g, text) => expect(formatRate(g)).toBe(text));

  it.each([
    [0.01, '0.01'],
    [1, '1'],
    [100, '100'],
    [10_000, '10k'],
    [1e6, '1M'],
  ])('formatTick(%d) is %s', (n, text) => expect(formatTick(n)).toBe(text));
});
