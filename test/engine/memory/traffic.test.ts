import { describe, expect, it } from 'vitest';
import type { NodeProto } from '../../../engine/core/onnx/index.js';
import { graph, node, valueInfo } from '../../support/build.js';
import { F, analyze, f32 } from './helpers.js';

function model() {
  return graph({
    input: [valueInfo('x', F, [1, 4, 5, 5])],
    output: [valueInfo('y', F)],
    initializer: [f32('w', [4, 4, 1, 1]), f32('s', [4, 1, 1])],
    node: [
      node('Neg', ['s'], ['t']), // folded at load: no traffic
      node('Conv', ['x', 'w'], ['c']),
      node('Relu', ['c'], ['y']),
    ],
  });
}

describe('memory traffic', () => {
  it('counts every input and output of the nodes that run once, weights once per node', () => {
    // Conv: x 400 + w 64 read, c 400 written; Relu: c 400 read, y 400 written.
    const m = analyze(model());
    expect(m.trafficBytes).toBe(400 + 64 + 400 + 400 + 400);
    expect(m.trafficUnknownNodes).toBe(0);
    // Conv+Relu at level extended: c is neither written nor read.
    expect(m.fusedTrafficBytes).toBe(m.trafficBytes - 800);
  });

  it('takes the cost model’s per-node bytes when given, and counts nodes it cannot count apart', () => {
    const bytes: Record<string, { readBytes: number; writeBytes: number } | undefined> = { Conv: { readBytes: 1000, writeBytes: 10 }, Relu: undefined };
    const m = analyze(model(), { bytesOf: (n: NodeProto) => bytes[n.opType] });
    expect(m.trafficBytes).toBe(1010);
    expect(m.trafficUnknownNodes).toBe(1);
    // The Conv+Relu fusion covers a node of unknown traffic, so its saving is not taken off a total that lacks it.
    expect(m.fusions.map((f) => f.pattern)).toEqual(['Conv+Relu']);
    expect(m.fusedTrafficBytes).toBe(1010);
  });

  it('leaves a node whose sizes are unknown out of the total', () => {
    const g = graph({
      input: [valueInfo('x', F, ['N', 4])],
      output: [valueInfo('y', F)],
      node: [node('Relu', ['x'], ['y'])],
    });
    const m = analyze(g);
    expect(m.trafficBytes).toBe(0);
    expect(m.trafficUnknownNodes).toBe(1);
  });
});
