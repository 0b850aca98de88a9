import { describe, expect, it } from 'vitest';
import type { NodeProto } from '../../../engine/core/onnx/index.js';
import { attr, graph, node, valueInfo } from '../../support/build.js';
import { F, analyze, f32 } from './helpers.js';

const named = (name: string, op: string, inputs: string[], outputs: string[], attrs = [] as ReturnType<typeof attr.int>[]): NodeProto => node(op, inputs, outputs, attrs, { name });
const bnParams = (p: string) => [f32(`${p}_s`, [4]), f32(`${p}_b`, [4]), f32(`${p}_m`, [4]), f32(`${p}_v`, [4])];
const bn = (p: string, input: string, output: string) => named(p, 'BatchNormalization', [input, `${p}_s`, `${p}_b`, `${p}_m`, `${p}_v`], [output]);

/** A RepVGG block on x 1×4×8×8: 3×3 conv + BN, 1×1 conv + BN, and BN of x, summed by two Adds, then Relu. */
function repvgg(options: { pads3x3?: number[]; source1x1?: string } = {}) {
  return graph({
    input: [valueInfo('x', F, [1, 4, 8, 8]), valueInfo('other', F, [1, 4, 8, 8])],
    output: [valueInfo('y', F)],
    initializer: [f32('w3', [4, 4, 3, 3]), f32('w1', [4, 4, 1, 1]), ...bnParams('bn3'), ...bnParams('bn1'), ...bnParams('bnid')],
    node: [
      named('conv3', 'Conv', ['x', 'w3'], ['c3'], [attr.ints('pads', options.pads3x3 ?? [1, 1, 1, 1])]),
      bn('bn3', 'c3', 'n3'),
      named('conv1', 'Conv', [options.source1x1 ?? 'x', 'w1'], ['c1']),
      bn('bn1', 'c1', 'n1'),
      bn('bnid', 'x', 'nid'),
      named('sum1', 'Add', ['n3', 'n1'], ['s1']),
      named('sum2', 'Add', ['s1', 'nid'], ['s']),
      named('relu', 'Relu', ['s'], ['y']),
    ],
  });
}

describe('re-parameterizable parallel branches', () => {
  it('finds a RepVGG block and what merging it into one 3×3 convolution saves', () => {
    const m = analyze(repvgg());
    expect(m.reparameterizable).toHaveLength(1);
    const [block] = m.reparameterizable;
    expect(block).toMatchObject({
      pattern: 'parallel-conv-branches',
      input: 'x',
      output: 's',
      kernel: [3, 3],
      branches: [
        { kind: 'conv', nodes: ['conv3', 'bn3'], kernel: [3, 3] },
        { kind: 'conv', nodes: ['conv1', 'bn1'], kernel: [1, 1] },
        { kind: 'identity', nodes: ['bnid'] },
      ],
      nodes: ['conv3', 'bn3', 'conv1', 'bn1', 'bnid', 'sum1', 'sum2'],
    });
    expect(block!.eliminated.map((e) => e.name)).toEqual(['c3', 'n3', 'c1', 'n1', 'nid', 's1']);
    // Every activation is 1×4×8×8 = 1,024 bytes. Traffic of the seven nodes: conv3 reads x and
    // 576 bytes of weights and writes 1,024 (2,624); each BN reads 1,024 + 64 and writes 1,024
    // (3 × 2,112); conv1 reads x + 64 and writes 1,024 (2,112); each Add reads 2,048 and writes
    // 1,024 (2 × 3,072): 17,216 in all. The merged conv reads x and (4·4·3·3 + 4) · 4 = 592 bytes
    // of weights and writes s: 2,640.
    expect(block!.savedBytes).toBe(17216 - 2640);
    // The 1×1 convolution's 256 outputs × 4 input channels are no longer computed.
    expect(block!.savedMacs).toBe(256 * 4);
  });

  it('needs the branches to read one input and their kernels to share a centre', () => {
    expect(analyze(repvgg({ source1x1: 'other' })).reparameterizable).toEqual([]);
    // Padded 2 before and 0 after, the 3×3 output keeps its size but its window is shifted off the 1×1's.
    expect(analyze(repvgg({ pads3x3: [2, 2, 0, 0] })).reparameterizable).toEqual([]);
  });
});
