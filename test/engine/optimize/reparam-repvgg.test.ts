import { afterAll, describe, expect, it } from 'vitest';
import { repvgg } from '../../../bench/models/repvgg.js';
import { cloneProto } from '../../../engine/core/graph/clone.js';
import { DataType, encodeModel, type ModelProto } from '../../../engine/core/onnx/index.js';
import { foldBatchNormPass } from '../../../engine/core/optimize/fold-batchnorm.js';
import { reparamRepVggPass } from '../../../engine/core/optimize/reparam-repvgg.js';
import { attr, node, valueInfo } from '../../support/build.js';
import { outputDifferences, outputMismatches } from '../../support/equivalence.js';
import { feedsFor, repvggBlock, type BlockOptions } from './repvgg-blocks.js';

let maxRelativeError = 0;
afterAll(() => console.log(`reparam-repvgg: largest output error ${maxRelativeError.toExponential(2)} × max |output|`));

/** Runs the pass and checks what holds for every rewrite: input untouched, outputs kept, a second run changes nothing. */
async function reparam(parent: ModelProto) {
  const before = encodeModel(parent);
  const result = reparamRepVggPass.run(parent, {});
  expect(encodeModel(parent)).toEqual(before);
  const feeds = feedsFor(parent);
  expect(await outputMismatches(parent, result.model, feeds, 1e-4)).toEqual([]);
  for (const d of await outputDifferences(parent, result.model, feeds)) maxRelativeError = Math.max(maxRelativeError, d.maxAbsError / d.maxAbs);
  const again = reparamRepVggPass.run(result.model, {});
  expect(again.changes).toEqual([]);
  expect(again.model).toBe(result.model);
  return result;
}

const ops = (m: ModelProto): string[] => m.graph!.node.map((n) => n.opType);

describe('reparam-repvgg', () => {
  it('merges a 3×3 + BN, 1×1 + BN and BN identity block into one 3×3 convolution', async () => {
    const { model, changes } = await reparam(repvggBlock());
    expect(ops(model)).toEqual(['Conv', 'Relu']);
    expect(changes).toEqual([
      {
        pass: 'reparam-repvgg',
        kind: 'merged',
        nodes: ['conv3', 'bn3', 'conv1', 'bn1', 'bnid', 'add1', 'add2'],
        into: 'conv3_reparam',
        detail: expect.stringMatching(/^Merged 3 parallel branches \(3×3 conv \+ BN, 1×1 conv \+ BN, BN identity\) summed by 2 Adds into one 3×3 convolution/),
        graphPath: 'graph',
      },
    ]);
    const conv = model.graph!.node[0]!;
    expect(conv).toMatchObject({ name: 'conv3_reparam', input: ['x', 'conv3_reparam.weight', 'conv3_reparam.bias'], output: ['s2'] });
    expect(Object.fromEntries(conv.attribute.map((a) => [a.name, a.ints.length > 0 ? a.ints.map(Number) : Number(a.i)]))).toEqual({
      dilations: [1, 1],
      group: 1,
      kernel_shape: [3, 3],
      pads: [1, 1, 1, 1],
      strides: [1, 1],
    });
    // Only the merged weights are left.
    expect(model.graph!.initializer.map((t) => [t.name, t.dims])).toEqual([
      ['conv3_reparam.weight', [4, 4, 3, 3]],
      ['conv3_reparam.bias', [4]],
    ]);
  });

  it('merges blocks without identity, with a plain identity, and with BNs already folded', async () => {
    const cases: [BlockOptions, string][] = [
      [{ identity: 'none' }, '(3×3 conv + BN, 1×1 conv + BN) summed by one Add'],
      [{ identity: 'plain' }, '(3×3 conv + BN, 1×1 conv + BN, identity)'],
      [{ folded: true }, '(3×3 conv, 1×1 conv, BN identity)'],
      [{ folded: true, identity: 'plain', sum: true }, '(3×3 conv, 1×1 conv, identity) summed by one Sum'],
    ];
    for (const [options, branches] of cases) {
      const { model, changes } = await reparam(repvggBlock(options));
      expect(ops(model)).toEqual(['Conv', 'Relu']);
      expect(changes).toHaveLength(1);
      expect(changes[0]!.detail).toContain(branches);
    }
  });

  it('writes the identity per group for a grouped convolution', async () => {
    const { model, changes } = await reparam(repvggBlock({ group: 2 }));
    expect(changes).toHaveLength(1);
    const conv = model.graph!.node[0]!;
    expect(conv.attribute.find((a) => a.name === 'group')?.i).toBe(2n);
    expect(model.graph!.initializer[0]!.dims).toEqual([4, 2, 3, 3]);
  });

  it('merges stride-2 blocks, which have no identity', async () => {
    const { model, changes } = await reparam(repvggBlock({ stride: 2, identity: 'none' }));
    expect(ops(model)).toEqual(['Conv', 'Relu']);
    expect(changes[0]!.nodes).toEqual(['conv3', 'bn3', 'conv1', 'bn1', 'add1']);
    expect(model.graph!.node[0]!.attribute.find((a) => a.name === 'strides')?.ints).toEqual([2n, 2n]);
  });

  it('merges parallel kernels of the same size', async () => {
    const { model, changes } = await reparam(repvggBlock({ kernels: [3, 3, 1], identity: 'none', folded: true }));
    expect(ops(model)).toEqual(['Conv', 'Relu']);
    expect(changes[0]!.nodes).toEqual(['conv3', 'conv3_1', 'conv1', 'add1', 'add2']);
  });

  it('merges larger kernels with smaller centred ones', async () => {
    const { model, changes } = await reparam(repvggBlock({ kernels: [5, 3, 1] }));
    expect(ops(model)).toEqual(['Conv', 'Relu']);
    expect(changes[0]!.detail).toContain('into one 5×5 convolution');
    expect(model.graph!.node[0]!.attribute.find((a) => a.name === 'pads')?.ints).toEqual([2n, 2n, 2n, 2n]);
  });

  it('refuses branches that cannot become one convolution', () => {
    const refused: [string, BlockOptions][] = [
      // Padded 2 before and 0 after, the 3×3 keeps the size but its window is shifted off the 1×1's.
      ['misaligned pads', { pads3x3: [2, 2, 0, 0] }],
      // Two dilated 3×3 kernels share a centre, but a merged kernel would have to be dilated too.
      ['dilation', { kernels: [3, 3], dilation: 2, identity: 'none' }],
      ['different inputs', { source1x1: 'other', identity: 'none' }],
      ['an intermediate value read elsewhere', { exposeBranch: true }],
      ['a BatchNormalization in training mode', { trainingModeBn: true }],
    ];
    for (const [why, options] of refused) {
      const parent = repvggBlock(options);
      const result = reparamRepVggPass.run(parent, {});
      expect(result.changes, why).toEqual([]);
      expect(result.model, why).toBe(parent);
    }
  });

  it('drops the weights and value_info only the merged nodes read, Constant nodes included', async () => {
    const parent = repvggBlock({ folded: true, identity: 'none' });
    const g = parent.graph!;
    const w1 = g.initializer.find((t) => t.name === 'w1')!;
    g.initializer = g.initializer.filter((t) => t !== w1);
    g.node.unshift(node('Constant', [], ['w1'], [attr.tensor('value', { ...w1, name: '' })], { name: 'const_w1' }));
    // b3 has another reader, so it stays.
    g.node.push(node('Identity', ['b3'], ['b3_copy'], [], { name: 'keep' }));
    g.output.push(valueInfo('b3_copy', DataType.FLOAT, [4]));
    g.valueInfo.push(valueInfo('conv3_out', DataType.FLOAT, [1, 4, 8, 8]), valueInfo('s1', DataType.FLOAT, [1, 4, 8, 8]));
    const { model, changes } = await reparam(parent);
    expect(changes[0]!.nodes).toEqual(['const_w1', 'conv3', 'conv1', 'add1']);
    expect(ops(model)).toEqual(['Conv', 'Relu', 'Identity']);
    expect(model.graph!.initializer.map((t) => t.name)).toEqual(['b3', 'conv3_reparam.weight', 'conv3_reparam.bias']);
    expect(model.graph!.valueInfo.map((v) => v.name)).toEqual(['s1']);
  });

  it('leaves the input model untouched', () => {
    const parent = repvggBlock();
    const copy = cloneProto(parent);
    reparamRepVggPass.run(parent, {});
    expect(parent).toEqual(copy);
  });

  it('re-parameterizes every block of a small RepVGG network with downsampling stages', async () => {
    const parent = repvgg({ widths: [8, 8, 16, 16, 24], depths: [1, 2, 3, 2, 1], inputSize: 32, classes: 10, seed: 11 });
    const blocks = 9;
    const { model, changes } = await reparam(parent);
    expect(changes).toHaveLength(blocks);
    expect(ops(model).filter((op) => op === 'Conv')).toHaveLength(blocks);
    expect(ops(model).filter((op) => op === 'Relu')).toHaveLength(blocks);
    expect(ops(model).some((op) => op === 'BatchNormalization' || op === 'Add')).toBe(false);
    // Blocks that keep their width and size have three branches; the first of each stage has two.
    expect(changes.map((c) => c.nodes.length)).toEqual([5, 5, 7, 5, 7, 7, 5, 7, 5]);
    expect(changes[1]!.into).toBe('/stage1/stage1.0/rbr_dense/conv/Conv_reparam');
  });

  it('merges the same network after fold-batchnorm, which leaves only the identity BatchNormalizations', async () => {
    const parent = repvgg({ widths: [8, 8, 16], depths: [1, 2, 2], inputSize: 16, classes: 10, seed: 12 });
    const folded = foldBatchNormPass.run(parent, {}).model;
    expect(ops(folded).filter((op) => op === 'BatchNormalization')).toHaveLength(2);
    const { model, changes } = await reparam(folded);
    expect(changes.map((c) => c.nodes.length)).toEqual([3, 3, 5, 3, 5]);
    expect(ops(model).some((op) => op === 'BatchNormalization' || op === 'Add')).toBe(false);
    expect(await outputMismatches(parent, model, feedsFor(parent), 1e-4)).toEqual([]);
  });
});
