import type { BarSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../../engine/core/stats/index.js';
import { histogram, latencyOption } from '../../../renderer/src/features/charts/latency-option.js';

describe('latency histogram', () => {
  it('bins every sample into about √n equal bins from min to max', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 10 + i / 10);
    const h = histogram(samples);
    expect(h.counts).toHaveLength(10);
    expect(h.start).toBe(10);
    expect(h.width).toBeCloseTo(9.9 / 10);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(h.counts.every((c) => c === 10)).toBe(true);
  });

  it('keeps 5 to 40 bins, puts the maximum in the last bin and equal samples in one', () => {
    expect(histogram([1, 2, 3]).counts).toEqual([1, 0, 1, 0, 1]);
    expect(histogram(Array.from({ length: 10_000 }, (_, i) => i)).counts).toHaveLength(40);
    expect(histogram([4, 4, 4])).toEqual({ start: 4, width: 0, counts: [3] });
    expect(histogram([])).toEqual({ start: 0, width: 0, counts: [] });
  });

  it('marks p50, p90 and p99 at the run statistics', () => {
    const samples = [5, 6, 6, 7, 7, 7, 8, 9, 12, 20];
    const stats = summarize(samples);
    const series = (latencyOption(samples, stats).series as BarSeriesOption[])[0]!;
    const marks = (series.markLine?.data ?? []) as { name: string; xAxis: number }[];
    expect(marks.map((m) => m.xAxis)).toEqual([stats.p50, stats.p90, stats.p99]);
    expect(marks[0]!.name).toBe('p50 7.00 ms');
    const counts = (series.data as [number, number][]).map(([, n]) => n);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(samples.length);
  });
});
