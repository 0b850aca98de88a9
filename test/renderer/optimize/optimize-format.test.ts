import { describe, expect, it } from 'vitest';
import type { Change } from '../../../engine/core/optimize/types.js';
import type { ListedVariant, ModelFigures } from '../../../engine/protocol/index.js';
import { fidelityText, figureRows, groupChanges, latencyText } from '../../../renderer/src/features/optimize/optimize-format.js';
import { variantRows } from '../../../renderer/src/features/optimize/variant-rows.js';

const figures = (over: Partial<ModelFigures> = {}): ModelFigures => ({
  nodes: 200,
  params: 1_000_000,
  weightBytes: 4_000_000,
  macs: 5_000_000,
  flops: 10_000_000,
  trafficBytes: 8 * 1024 * 1024,
  peakActivationBytes: 1024,
  predictedMs: 2,
  uncountedNodes: 0,
  ...over,
});

describe('figureRows', () => {
  it('shows each figure before and after, the change in percent, and whether it got better', () => {
    const rows = figureRows(figures(), figures({ nodes: 150, trafficBytes: 6 * 1024 * 1024, predictedMs: 2.5 }));
    expect(rows.find((r) => r.label.startsWith('Nodes'))).toEqual({ label: 'Nodes (Constants aside)', before: '200', after: '150', change: '−25.0%', better: true });
    expect(rows.find((r) => r.label === 'Memory traffic')).toMatchObject({ before: '8.00 MiB', after: '6.00 MiB', change: '−25.0%', better: true });
    expect(rows.find((r) => r.label === 'Predicted time')).toMatchObject({ before: '2.00 ms', after: '2.50 ms', change: '+25.0%', better: false });
    expect(rows.find((r) => r.label === 'MACs')).toMatchObject({ change: '', better: null });
  });
});

describe('groupChanges', () => {
  const change = (pass: Change['pass'], kind: Change['kind'], node: string): Change => ({ pass, kind, nodes: [node], detail: node, graphPath: 'graph' });

  it('groups by pass in the order passes first changed something, counting kinds', () => {
    const groups = groupChanges([change('eliminate', 'removed', 'a'), change('fold-batchnorm', 'folded', 'b'), change('eliminate', 'removed', 'c'), change('eliminate', 'rewritten', 'd')]);
    expect(groups.map((g) => [g.pass, g.counts, g.changes.length])).toEqual([
      ['eliminate', '2 removed, 1 rewritten', 3],
      ['fold-batchnorm', '1 folded', 1],
    ]);
  });
});

describe('fidelityText and latencyText', () => {
  it('say whether the outputs agree, on which inputs', () => {
    expect(fidelityText({ checked: true, inputs: [{ name: 'x', dtype: 'float32', dims: [1, 3, 8, 8], source: 'random' }], outputs: [], worstRelativeError: 1.5e-7, tolerance: 1e-4, passed: true })).toBe(
      'Worst output error 1.50e-7 × max |output| on x 1×3×8×8 (seeded random): within the 0.0001 tolerance.',
    );
    expect(fidelityText({ checked: true, inputs: [], outputs: [], worstRelativeError: 0.3, tolerance: 1e-4, passed: false })).toMatch(/over the 0\.0001 tolerance: the variant does not compute what the original does/);
    expect(fidelityText({ checked: false, reason: 'a preview: nothing was written or run' })).toBe('Outputs not compared: a preview: nothing was written or run.');
  });

  it('say how much faster or slower, measured how', () => {
    const l = { rounds: 3, runsPerRound: 20, intraOpThreads: 2, beforeMs: 2, afterMs: 1.6, speedup: 1.25, beforeRoundsMs: [], afterRoundsMs: [] };
    expect(latencyText(l)).toBe('2.00 ms → 1.60 ms, 1.25× faster (median of 3 alternating rounds of 20 runs, 2 threads).');
    expect(latencyText({ ...l, afterMs: 4, speedup: 0.5 })).toMatch(/2\.00× slower/);
  });
});

describe('variantRows', () => {
  const variant = (over: Partial<ListedVariant>): ListedVariant => ({
    id: 'v1',
    file: 'variants/v1-optimize.onnx',
    sha256: 'a'.repeat(64),
    sizeBytes: 10,
    parent: 'original',
    transform: { id: 'optimize', settings: { passes: ['eliminate', 'fold-batchnorm'] } },
    createdAt: '2026-11-24T16:40:12.000Z',
    engineVersion: '0.1.0',
    externalData: null,
    figures: { nodeCount: 179, macs: 16_300_000 },
    results: {},
    path: '/m/m.whittle/variants/v1-optimize.onnx',
    present: true,
    ...over,
  });

  it('says what made each variant, whether its outputs agree, and its newest latency', () => {
    const bench = (p50: number, at: string) => ({ kind: 'benchmark', recordedAt: at, figures: { latencyP50Ms: p50 }, conditions: {}, file: null });
    const rows = variantRows([
      variant({ results: { fidelity: { kind: 'fidelity', recordedAt: '', figures: { passed: 1, worstRelativeError: 2e-7 }, conditions: {}, file: null }, 'benchmark-cpu-1t': bench(3, '2026-11-24T10:00:00Z'), 'benchmark-cpu-2t': bench(1.5, '2026-11-24T11:00:00Z') } }),
      variant({ id: 'v2', parent: 'v1', transform: { id: 'prune', settings: {} }, present: false }),
    ]);
    expect(rows[0]).toEqual({ id: 'v1', madeBy: 'optimize (eliminate, fold-batchnorm) from original', made: '2026-11-24 16:40', nodes: '179', macs: '16.3 M', fidelity: 'agree (2.0e-7)', latency: '1.50 ms', path: '/m/m.whittle/variants/v1-optimize.onnx', present: true });
    expect(rows[1]).toMatchObject({ madeBy: 'prune from v1', fidelity: 'not checked', latency: '—', present: false });
  });
});
