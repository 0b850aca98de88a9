import type { Analysis, NodeAnalysis } from '../../../engine/core/analysis/types.js';

/** A counted node with round figures; override what a test is about. */
export function node(index: number, over: Partial<NodeAnalysis> = {}): NodeAnalysis {
  return {
    index,
    name: `n${index}`,
    opType: 'Conv',
    inputs: [],
    outputs: [{ name: `n${index}:out`, dtype: 'float32', shape: [1, 8, 4, 4] }],
    counted: true,
    formula: 'test',
    macs: 100,
    flops: 200,
    params: 10,
    weightBytes: 40,
    readBytes: 60,
    writeBytes: 40,
    intensity: 2,
    computeDtype: 'fp32',
    bound: 'memory',
    predictedMs: 1,
    share: 0.25,
    ...over,
  };
}

/** An analysis holding just `nodes` (and `inputs`); what the views under test do not read is left out. */
export function analysisOf(nodes: readonly NodeAnalysis[], inputs: Analysis['inputs'] = []): Analysis {
  return { nodes, inputs } as unknown as Analysis;
}
