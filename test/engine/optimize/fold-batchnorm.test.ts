import { describe, expect, it } from 'vitest';
import { foldBatchNormPass } from '../../../engine/core/optimize/fold-batchnorm.js';
import { attr, graph, node, valueInfo } from '../../support/build.js';
import { at, expectRefused, expectSameOutputs, F, feed, ops, runPass, weights } from './fold-helpers.js';

/** γ, β, μ, σ² of a BatchNormalization over `c` channels, named `${p}.γ`…, with positive variances. */
function bnParams(p: string, c: number, seed: number) {
  return [weights(`${p}.gamma`, [c], seed, 0.5, 1.5), weights(`${p}.beta`, [c], seed + 1), weights(`${p}.mean`, [c], seed + 2), weights(`${p}.var`, [c], seed + 3, 0.1, 2)];
}
const bnInputs = (x: string, p: string): string[] => [x, `${p}.gamma`, `${p}.beta`, `${p}.mean`, `${p}.var`];

/** x [1,3,8,8] → Conv (3→4, 3×3) → BatchNormalization → y. */
function convBn(options: { bias?: boolean; named?: boolean; extraReader?: boolean; attrs?: ReturnType<typeof attr.int>[] } = {}) {
  const { bias = true, named = true } = options;
  const name = (n: string) => (named ? { name: n } : {});
  const nodes = [
    node('Conv', bias ? ['x', 'w', 'b'] : ['x', 'w'], ['c'], [attr.ints('pads', [1, 1, 1, 1])], name('conv')),
    node('BatchNormalization', bnInputs('c', 'bn'), ['y'], [attr.float('epsilon', 1e-3), ...(options.attrs ?? [])], name('bn')),
  ];
  if (options.extraReader) nodes.push(node('Relu', ['c'], ['r']));
  return at(
    graph({
      node: nodes,
      input: [valueInfo('x', F, [1, 3, 8, 8])],
      output: [valueInfo('y', F, [1, 4, 8, 8]), ...(options.extraReader ? [valueInfo('r', F, [1, 4, 8, 8])] : [])],
      valueInfo: [valueInfo('c', F, [1, 4, 8, 8])],
      initializer: [weights('w', [4, 3, 3, 3], 1), ...(bias ? [weights('b', [4], 2)] : []), ...bnParams('bn', 4, 10)],
    }),
  );
}

const x = { x: feed([1, 3, 8, 8]) };

describe('fold-batchnorm', () => {
  it('folds a BatchNormalization into the Conv before it, which takes over the graph output', async () => {
    const input = convBn();
    const { model, changes } = runPass(foldBatchNormPass, input);
    expect(changes).toEqual([
      { pass: 'fold-batchnorm', kind: 'folded', nodes: ['conv', 'bn'], into: 'conv', graphPath: 'graph', detail: expect.stringContaining('bn folded into conv') },
    ]);
    expect(changes[0]!.detail).toContain('ε = 0.001');
    const g = model.graph!;
    expect(ops(g)).toEqual(['Conv']);
    expect(g.node[0]!.output).toEqual(['y']);
    expect(g.node[0]!.input).toEqual(['x', 'w_folded', 'b_folded']);
    expect(g.initializer.map((t) => t.name).sort()).toEqual(['b_folded', 'w_folded']);
    expect(g.valueInfo).toEqual([]);
    await expectSameOutputs(input, model, x);
  });

  it('gives a Conv without bias one, and names unnamed nodes by type and place', async () => {
    const input = convBn({ bias: false, named: false });
    const { model, changes } = runPass(foldBatchNormPass, input);
    expect(changes.map((c) => [c.nodes, c.into])).toEqual([[['Conv #0', 'BatchNormalization #1'], 'Conv #0']]);
    expect(model.graph!.node[0]!.input).toEqual(['x', 'w_folded', 'w_folded_bias']);
    await expectSameOutputs(input, model, x);
  });

  it('reads parameters held by Constant nodes, as PaddleOCR exports them, and drops those nodes', async () => {
    const base = convBn();
    const g = base.graph!;
    const constants = g.initializer.map((t) => node('Constant', [], [t.name], [attr.tensor('value', { ...t, name: '' })]));
    const input = at(graph({ ...g, initializer: [], node: [...constants, ...g.node] }));
    const { model, changes } = runPass(foldBatchNormPass, input);
    expect(changes).toHaveLength(1);
    expect(ops(model.graph)).toEqual(['Conv']);
    await expectSameOutputs(input, model, x);
  });

  it('keeps a weight shared with another Conv for that Conv', async () => {
    const base = convBn().graph!;
    const input = at(graph({ ...base, node: [...base.node, node('Conv', ['x', 'w', 'b'], ['z'], [attr.ints('pads', [1, 1, 1, 1])], { name: 'twin' })], output: [...base.output, valueInfo('z', F, [1, 4, 8, 8])] }));
    const { model } = runPass(foldBatchNormPass, input);
    expect(model.graph!.initializer.map((t) => t.name).sort()).toEqual(['b', 'b_folded', 'w', 'w_folded']);
    expect(model.graph!.node.find((n) => n.name === 'twin')!.input).toEqual(['x', 'w', 'b']);
    await expectSameOutputs(input, model, x);
  });

  it.each([1, 2])('folds into a ConvTranspose of group %i, scaling axis 1 within each group', async (group) => {
    // Weights [Cin 4, Cout/group, 3, 3]: 4 output channels in all.
    const input = at(
      graph({
        node: [
          node('ConvTranspose', ['x', 'w', 'b'], ['c'], [attr.int('group', group), attr.ints('strides', [2, 2])], { name: 'up' }),
          node('BatchNormalization', bnInputs('c', 'bn'), ['y'], [], { name: 'bn' }),
        ],
        input: [valueInfo('x', F, [1, 4, 5, 5])],
        output: [valueInfo('y', F, [1, 4, 11, 11])],
        initializer: [weights('w', [4, 4 / group, 3, 3], 3), weights('b', [4], 4), ...bnParams('bn', 4, 20)],
      }),
    );
    const { model, changes } = runPass(foldBatchNormPass, input);
    expect(changes.map((c) => c.nodes)).toEqual([['up', 'bn']]);
    expect(ops(model.graph)).toEqual(['ConvTranspose']);
    await expectSameOutputs(input, model, { x: feed([1, 4, 5, 5]) });
  });

  it.each([
    ['transB=1 with alpha, beta and a [1, N] C', [attr.int('transB', 1), attr.float('alpha', 0.7), attr.float('beta', 1.3)], [5, 6], [1, 5]],
    ['transB=0 with a single-value C', [], [6, 5], [1]],
    ['no C', [], [6, 5], undefined],
  ] as const)('folds into a Gemm: %s', async (_, attrs, wDims, cDims) => {
    const input = at(
      graph({
        node: [
          node('Gemm', cDims ? ['x', 'w', 'c'] : ['x', 'w'], ['g'], [...attrs], { name: 'fc' }),
          node('BatchNormalization', bnInputs('g', 'bn'), ['y'], [], { name: 'bn' }),
        ],
        input: [valueInfo('x', F, [3, 6])],
        output: [valueInfo('y', F, [3, 5])],
        initializer: [weights('w', [...wDims], 5), ...(cDims ? [weights('c', [...cDims], 6)] : []), ...bnParams('bn', 5, 30)],
      }),
    );
    const { model, changes } = runPass(foldBatchNormPass, input);
    expect(changes.map((c) => c.into)).toEqual(['fc']);
    const gemm = model.graph!.node[0]!;
    expect(gemm.attribute.map((a) => a.name)).not.toContain('beta');
    expect(model.graph!.initializer.find((t) => t.name === gemm.input[2])!.dims).toEqual([5]);
    await expectSameOutputs(input, model, { x: feed([3, 6]) });
  });

  it('refuses when the Conv output has another reader', () => {
    expectRefused(foldBatchNormPass, convBn({ extraReader: true }));
  });

  it('refuses when the Conv output is a graph output', () => {
    const base = convBn().graph!;
    expectRefused(foldBatchNormPass, at(graph({ ...base, output: [...base.output, valueInfo('c', F, [1, 4, 8, 8])] })));
  });

  it('refuses BatchNormalization in training mode, and the per-activation form of old opsets (spatial=0)', () => {
    expectRefused(foldBatchNormPass, convBn({ attrs: [attr.int('training_mode', 1)] }));
    expectRefused(foldBatchNormPass, convBn({ attrs: [attr.int('spatial', 0)] }));
  });

  it('refuses statistics outputs that are read', () => {
    const base = convBn().graph!;
    const bn = { ...base.node[1]!, output: ['y', 'running_mean'] };
    expectRefused(foldBatchNormPass, at(graph({ ...base, node: [base.node[0]!, bn], output: [...base.output, valueInfo('running_mean', F, [4])] }), 9));
  });

  it('refuses weights that are graph inputs (fed at run time) and parameters of the wrong length', () => {
    const base = convBn().graph!;
    expectRefused(foldBatchNormPass, at(graph({ ...base, input: [...base.input, valueInfo('w', F, [4, 3, 3, 3])] })));
    const short = base.initializer.map((t) => (t.name === 'bn.var' ? weights('bn.var', [1], 1, 0.5, 1) : t));
    expectRefused(foldBatchNormPass, at(graph({ ...base, initializer: short })));
  });

  it('folds a whole chain of Conv → BatchNormalization pairs in one run', async () => {
    const input = at(
      graph({
        node: [
          node('Conv', ['x', 'w1'], ['c1'], [attr.ints('pads', [1, 1, 1, 1])]),
          node('BatchNormalization', bnInputs('c1', 'bn1'), ['n1']),
          node('Relu', ['n1'], ['r1']),
          node('Conv', ['r1', 'w2'], ['c2']),
          node('BatchNormalization', bnInputs('c2', 'bn2'), ['y']),
        ],
        input: [valueInfo('x', F, [1, 3, 8, 8])],
        output: [valueInfo('y', F, [1, 2, 8, 8])],
        initializer: [weights('w1', [4, 3, 3, 3], 1), weights('w2', [2, 4, 1, 1], 2), ...bnParams('bn1', 4, 40), ...bnParams('bn2', 2, 50)],
      }),
    );
    const { model, changes } = runPass(foldBatchNormPass, input);
    // The second Conv is #2 in the output, #3 in the input.
    expect(changes.map((c) => [c.nodes.join('+'), c.into])).toEqual([
      ['Conv #0+BatchNormalization #1', 'Conv #0'],
      ['Conv #3+BatchNormalization #4', 'Conv #2'],
    ]);
    expect(ops(model.graph)).toEqual(['Conv', 'Relu', 'Conv']);
    await expectSameOutputs(input, model, x);
  });
});
