import { describe, expect, it } from 'vitest';
import type { Analysis, NodeAnalysis } from '../../../engine/core/analysis/index.js';
import { joinProfile, splitTime, type KernelMap, type ParsedTrace } from '../../../engine/core/profile/index.js';

function node(name: string, opType: string, fields: Partial<NodeAnalysis>): NodeAnalysis {
  return {
    index: 0,
    name,
    opType,
    inputs: [],
    outputs: [],
    counted: true,
    formula: '',
    macs: 0,
    flops: 0,
    params: 0,
    weightBytes: 0,
    readBytes: 0,
    writeBytes: 0,
    intensity: null,
    computeDtype: 'fp32',
    bound: null,
    predictedMs: null,
    share: 0,
    ...fields,
  };
}
const f32 = (name: string, ...shape: number[]) => ({ name, dtype: 'float32', shape });

describe('splitTime', () => {
  it('splits by predicted time, then FLOPs, then equally, and conserves the time', () => {
    expect(splitTime(3, [{ counted: true, predictedMs: 1, flops: 0 }, { counted: true, predictedMs: 2, flops: 0 }])).toEqual([1, 2]);
    expect(splitTime(3, [{ counted: true, predictedMs: null, flops: 1 }, { counted: true, predictedMs: null, flops: 2 }])).toEqual([1, 2]);
    expect(splitTime(3, [{ counted: false, predictedMs: null, flops: 0 }, { counted: false, predictedMs: null, flops: 0 }])).toEqual([1.5, 1.5]);
    for (const ms of [0.1, 0.7, 1 / 3, 123.456789]) {
      const weights = [0.3, 0.1, 0.7, 1e-9, 5].map((p) => ({ counted: true, predictedMs: p, flops: 0 }));
      expect(splitTime(ms, weights).reduce((a, b) => a + b, 0)).toBe(ms);
    }
  });
});

describe('joinProfile', () => {
  // x → Conv → c → Relu → r → Add(r, x) → y: a FusedConv covers Conv+Relu, Add runs alone, a Reorder covers nothing.
  const analysis = {
    outputs: [f32('y', 1, 8, 4, 4)],
    nodes: [
      node('conv', 'Conv', { inputs: [f32('x', 1, 8, 4, 4), f32('w', 8, 8, 1, 1)], outputs: [f32('c', 1, 8, 4, 4)], flops: 8192, readBytes: 768, writeBytes: 512, predictedMs: 0.003 }),
      node('relu', 'Relu', { inputs: [f32('c', 1, 8, 4, 4)], outputs: [f32('r', 1, 8, 4, 4)], flops: 128, readBytes: 512, writeBytes: 512, predictedMs: 0.001 }),
      node('add', 'Add', { inputs: [f32('r', 1, 8, 4, 4), f32('x', 1, 8, 4, 4)], outputs: [f32('y', 1, 8, 4, 4)], flops: 128, readBytes: 1024, writeBytes: 512, predictedMs: 0.002 }),
    ],
  } as unknown as Analysis;
  const trace: ParsedTrace = {
    totalRuns: 3,
    runs: 2,
    runMs: 0.01,
    runsMs: [0.01, 0.01],
    malformedEvents: 0,
    eventsOutsideRuns: 0,
    emptyRuns: 0,
    nodes: [
      { name: 'conv', opType: 'FusedConv', provider: 'CPUExecutionProvider', ms: 0.004, runs: 2, calls: 1, parent: null },
      { name: 'ReorderOutput', opType: 'ReorderOutput', provider: 'CPUExecutionProvider', ms: 0.001, runs: 2, calls: 1, parent: null },
      { name: 'add', opType: 'Add', provider: 'CPUExecutionProvider', ms: 0.002, runs: 2, calls: 1, parent: null },
    ],
  };
  const map: KernelMap = {
    nodes: [
      { name: 'conv', opType: 'FusedConv', domain: 'com.microsoft', covers: ['conv', 'relu'], mappedBy: 'tensors' },
      { name: 'ReorderOutput', opType: 'ReorderOutput', domain: 'com.microsoft.nchwc', covers: [], mappedBy: 'inserted' },
      { name: 'add', opType: 'Add', domain: '', covers: ['add'], mappedBy: 'tensors' },
    ],
    subgraphNodes: [],
    uncovered: [],
  };
  const joined = joinProfile(analysis, trace, map);

  it('sums kernels, reports coverage and unmapped time', () => {
    expect(joined.profile.kernelMs).toBeCloseTo(0.007, 12);
    expect(joined.profile.coverage).toBeCloseTo(0.7, 12);
    expect(joined.profile.unmappedMs).toBeCloseTo(0.001, 12);
  });

  it('rates a fused kernel by the bytes entering and leaving the group, not its intermediates', () => {
    const k = joined.profile.kernels.find((x) => x.name === 'conv')!;
    // in: x (512 B) and w (256 B); out: r (512 B), read by Add outside the group; c stays inside.
    expect(k.gbps).toBeCloseTo(1280 / 4e-6 / 1e9, 9);
    expect(k.gflops).toBeCloseTo(8320 / 4e-6 / 1e9, 9);
    expect(joined.profile.kernels.find((x) => x.name === 'ReorderOutput')).toMatchObject({ covers: [], gflops: null, gbps: null });
  });

  it('splits a fused kernel by predicted time and rates each node on its own work', () => {
    const conv = joined.nodes.find((n) => n.name === 'conv')!;
    const relu = joined.nodes.find((n) => n.name === 'relu')!;
    expect(conv.ms).toBeCloseTo(0.003, 12);
    expect(relu.ms).toBeCloseTo(0.001, 12);
    expect(conv.gflops).toBeCloseTo(8192 / 3e-6 / 1e9, 6);
    expect(conv.gbps).toBeCloseTo(1280 / 3e-6 / 1e9, 6);
    expect(joined.nodes.map((n) => n.name)).toEqual(['conv', 'add', 'relu']);
    expect(joined.profile.opTypes.map((o) => o.opType)).toEqual(['Conv', 'Add', 'Relu']);
    expect(joined.roofline.find((r) => r.name === 'conv')!.predictedGflops).toBeCloseTo(8192 / 3e-6 / 1e9, 6);
  });

});
