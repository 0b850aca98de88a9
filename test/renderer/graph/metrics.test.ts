import { describe, expect, it } from 'vitest';
import type { BenchmarkResult } from '../../../engine/protocol/benchmark.js';
import { buildBlockTree } from '../../../renderer/src/features/graph/grouping.js';
import { availableMetrics, computeTotals, measuredTimes, metricById, metricValue } from '../../../renderer/src/features/graph/metrics.js';
import { node, value } from './synthetic.js';

const nodes = [
  node('/block/Conv', 'Conv', [value('x')], [value('y')], { macs: 1000, flops: 2000, params: 10, readBytes: 300, writeBytes: 100, predictedMs: 0.5 }),
  node('/block/Relu', 'Relu', [value('y')], [value('z')], { flops: 100, readBytes: 100, writeBytes: 100, predictedMs: 0.1 }),
  node('/block/Custom', 'Custom', [value('z')], [value('w')], { counted: false, predictedMs: null }),
  node('/Reshape', 'Reshape', [value('w')], [value('out')], { counted: false, predictedMs: null }),
];
const tree = buildBlockTree(nodes);

describe('computeTotals', () => {
  const totals = computeTotals(tree, nodes, null);

  it('sums a block over its counted nodes and says how many could not be counted', () => {
    const block = totals.blocks.get('/block')!;
    expect(block).toMatchObject({ nodeCount: 3, uncounted: 1, macs: 1000, flops: 2100, params: 10, bytes: 600, predictedMs: 0.6 });
    expect(metricValue(block, 'intensity')).toBeCloseTo(2100 / 600);
    expect(metricValue(totals.blocks.get('')!, 'macs')).toBe(1000);
  });

  it('gives no value, never zero, where nothing was counted', () => {
    const reshape = totals.nodes[3]!;
    expect(metricValue(reshape, 'macs')).toBeNull();
    expect(metricValue(reshape, 'bytes')).toBeNull();
    expect(metricValue(reshape, 'predictedMs')).toBeNull();
    expect(metricValue(totals.nodes[1]!, 'macs')).toBe(0);
  });

  it('adds measured times only where a per-node benchmark measured them', () => {
    const bench = { nodes: [{ name: '/block/Conv', ms: 0.7 }, { name: '/block/Custom', ms: 0.2 }] } as unknown as BenchmarkResult;
    const measured = measuredTimes(bench);
    const withBench = computeTotals(tree, nodes, measured);
    expect(metricValue(withBench.blocks.get('/block')!, 'measuredMs')).toBeCloseTo(0.9);
    expect(metricValue(withBench.nodes[1]!, 'measuredMs')).toBeNull();
    expect(metricValue(totals.nodes[0]!, 'measuredMs')).toBeNull();
  });
});

describe('metrics', () => {
  it('offers measured time only with per-node measurements', () => {
    expect(measuredTimes(null)).toBeNull();
    expect(measuredTimes({ nodes: [] } as unknown as BenchmarkResult)).toBeNull();
    expect(availableMetrics(false).map((m) => m.id)).not.toContain('measuredMs');
    expect(availableMetrics(true).map((m) => m.id)).toEqual(['predictedMs', 'measuredMs', 'macs', 'params', 'bytes', 'intensity']);
  });

  it('formats values with their units', () => {
    expect(metricById('macs').format(1_230_000_000)).toBe('1.23 GMAC');
    expect(metricById('macs').format(512)).toBe('512 MAC');
    expect(metricById('predictedMs').format(0.0042)).toBe('4.20 µs');
    expect(metricById('predictedMs').format(12.5)).toBe('12.5 ms');
    expect(metricById('bytes').format(2048)).toBe('2.00 KiB');
  });
});
