import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../engine/core/analysis/index.js';
import { findDevice } from '../../../engine/core/hardware/index.js';
import { DataType, decodeModel, type TensorProto } from '../../../engine/core/onnx/index.js';
import { attr, graph, leBytes, model, node, tensor, valueInfo } from '../../support/build.js';

// Nodes inside If/Loop/Scan bodies come from the coster that costs their owner, so the owner's
// figures must be the sum of its body's: hand-checkable without any other truth.

const device = findDevice('rpi5')!;
const SILERO = 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx';
const { FLOAT, INT64, BOOL } = DataType;

function int64(name: string, values: number[], dims: number[] = []): TensorProto {
  return tensor({ name, dataType: INT64, dims, rawData: leBytes(BigInt64Array.from(values, BigInt)) });
}

function floats(name: string, dims: number[]): TensorProto {
  return tensor({ name, dataType: FLOAT, dims, rawData: leBytes(new Float32Array(dims.reduce((a, b) => a * b, 1))) });
}

describe('subgraphNodes', () => {
  it('lists both branches of Silero VAD v5, the taken one summing to its If node', () => {
    const a = analyzeModel(decodeModel(readFileSync(SILERO)), { device, inputDims: { input: [1, 512], state: [2, 1, 128] } });
    const ifs = a.nodes.filter((n) => n.opType === 'If');
    expect(ifs.map((n) => n.name)).toEqual(['If_0']);
    const owner = ifs[0]!;
    // Main-graph totals are unchanged: body nodes are not in `nodes`.
    expect(a.totals.nodes).toBe(a.nodes.length);
    expect(a.subgraphNodes.every((n) => n.owner === 'If_0')).toBe(true);
    // At 512 samples only the 16 kHz (then) branch can run; the else branch is listed, marked not taken.
    const thenNodes = a.subgraphNodes.filter((n) => n.graphPath === 'If_0/then_branch');
    const elseNodes = a.subgraphNodes.filter((n) => n.graphPath === 'If_0/else_branch');
    expect(thenNodes).toHaveLength(113);
    expect(elseNodes).toHaveLength(113);
    expect(thenNodes.every((n) => n.taken === true && n.runs === 1)).toBe(true);
    expect(elseNodes.every((n) => n.taken === false && n.runs === 0 && n.share === 0)).toBe(true);
    // Nested bodies (the decoder's own Ifs) follow, with their full path.
    expect(a.subgraphNodes.some((n) => n.graphPath.startsWith('If_0/then_branch/') && n.graphPath.endsWith('/then_branch'))).toBe(true);
    // The direct nodes of the taken branch (nested If nodes hold their own bodies) make the owner's cost.
    expect(owner.counted).toBe(true);
    expect(owner.macs).toBeGreaterThan(0);
    expect(thenNodes.reduce((s, n) => s + n.macs, 0)).toBe(owner.macs);
    expect(thenNodes.reduce((s, n) => s + n.flops, 0)).toBe(owner.flops);
  });

  it('gives a Loop body per iteration, the owner counting it trip-count times', () => {
    const body = graph({
      name: 'body',
      node: [node('MatMul', ['x_in', 'w'], ['y']), node('Relu', ['y'], ['x_out']), node('Identity', ['cond_in'], ['cond_out'])],
      input: [valueInfo('i', INT64, []), valueInfo('cond_in', BOOL, []), valueInfo('x_in', FLOAT, [1, 16])],
      output: [valueInfo('cond_out', BOOL, []), valueInfo('x_out', FLOAT, [1, 16])],
    });
    const g = graph({
      input: [valueInfo('x', FLOAT, [1, 16])],
      output: [valueInfo('out', FLOAT, [1, 16])],
      initializer: [int64('M', [5]), floats('w', [16, 16])],
      node: [node('Loop', ['M', '', 'x'], ['out'], [attr.graph('body', body)], { name: 'loop' })],
    });
    const a = analyzeModel(model(g), { device });
    const owner = a.nodes[0]!;
    const inside = a.subgraphNodes;
    expect(inside.map((n) => [n.opType, n.owner, n.graphPath, n.taken, n.runs])).toEqual([
      ['MatMul', 'loop', 'loop/body', null, 5],
      ['Relu', 'loop', 'loop/body', null, 5],
      ['Identity', 'loop', 'loop/body', null, 5],
    ]);
    expect(inside[0]!.macs).toBe(16 * 16);
    expect(inside[0]!.formula).toMatch(/^per iteration: /);
    expect(owner.macs).toBe(5 * inside.reduce((s, n) => s + n.macs, 0));
    expect(owner.flops).toBe(5 * inside.reduce((s, n) => s + n.flops, 0));
    expect(a.totals.macs).toBe(owner.macs);
  });
});
