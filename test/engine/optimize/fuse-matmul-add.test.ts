import { describe, expect, it } from 'vitest';
import { fuseMatMulAddPass } from '../../../engine/core/optimize/fuse-matmul-add.js';
import type { ModelProto, NodeProto } from '../../../engine/core/onnx/index.js';
import { attr, graph, node, valueInfo } from '../../support/build.js';
import { at, expectRefused, expectSameOutputs, F, feed, ops, runPass, weights } from './fold-helpers.js';

/** x [xDims] → MatMul by w [8, 5] → Add of a bias of `biasDims` → y. */
function matMulAdd(xDims: (number | string)[], biasDims: number[], options: { biasFirst?: boolean; extra?: NodeProto[]; biasConstantNode?: boolean } = {}): ModelProto {
  const add = node('Add', options.biasFirst ? ['bias', 'm'] : ['m', 'bias'], ['y'], [], { name: 'add' });
  const bias = weights('bias', biasDims, 2);
  // A Constant node between the two, as exporters write them: the Gemm must come after it.
  const biasNodes = options.biasConstantNode ? [node('Constant', [], ['bias'], [attr.tensor('value', { ...bias, name: '' })])] : [];
  return at(
    graph({
      node: [node('MatMul', ['x', 'w'], ['m'], [], { name: 'mm' }), ...biasNodes, add, ...(options.extra ?? [])],
      input: [valueInfo('x', F, xDims)],
      output: [valueInfo('y', F)],
      valueInfo: [valueInfo('m', F)],
      initializer: [weights('w', [8, 5], 1), ...(options.biasConstantNode ? [] : [bias])],
    }),
  );
}

describe('fuse-matmul-add', () => {
  it('turns MatMul + bias Add on a 2-D input into one Gemm with the Add’s output', async () => {
    const input = matMulAdd([4, 8], [5]);
    const { model, changes } = runPass(fuseMatMulAddPass, input);
    expect(changes).toEqual([
      { pass: 'fuse-matmul-add', kind: 'merged', nodes: ['mm', 'add'], into: 'mm', graphPath: 'graph', detail: 'mm (a 2-D input times a constant [8, 5]) and add (a constant bias [5]) became one Gemm.' },
    ]);
    const gemm = model.graph!.node[0]!;
    expect([gemm.opType, gemm.input, gemm.output, gemm.attribute]).toEqual(['Gemm', ['x', 'w', 'bias'], ['y'], []]);
    expect(model.graph!.valueInfo).toEqual([]);
    await expectSameOutputs(input, model, { x: feed([4, 8]) });
  });

  it.each<[string, number[], { biasFirst?: boolean; biasConstantNode?: boolean }]>([
    ['[1, N], bias first', [1, 5], { biasFirst: true }],
    ['[M, N]', [4, 5], {}],
    ['[M, 1]', [4, 1], {}],
    ['[N] from a Constant node', [5], { biasConstantNode: true }],
  ])('takes a bias of %s', async (_, biasDims, options) => {
    const input = matMulAdd([4, 8], biasDims, options);
    const { model } = runPass(fuseMatMulAddPass, input);
    expect(ops(model.graph)).toEqual(options.biasConstantNode ? ['Constant', 'Gemm'] : ['Gemm']);
    await expectSameOutputs(input, model, { x: feed([4, 8]) });
  });

  it('needs the row count for an [M, N] bias: a symbolic M is pinned by input dims', async () => {
    const input = matMulAdd(['batch', 8], [4, 5]);
    expectRefused(fuseMatMulAddPass, input);
    const { model } = runPass(fuseMatMulAddPass, input, { inputDims: { x: [4, 8] } });
    expect(ops(model.graph)).toEqual(['Gemm']);
    // A [N] bias needs no row count.
    expect(ops(runPass(fuseMatMulAddPass, matMulAdd(['batch', 8], [5])).model.graph)).toEqual(['Gemm']);
    await expectSameOutputs(input, model, { x: feed([4, 8]) });
  });

  it('refuses a 3-D input: Gemm is 2-D only', () => {
    expectRefused(fuseMatMulAddPass, matMulAdd([2, 4, 8], [5]));
  });

  it('refuses a bias that would grow the product, one computed at run time, and a product read twice', () => {
    expectRefused(fuseMatMulAddPass, matMulAdd([4, 8], [2, 4, 5]));
    expectRefused(fuseMatMulAddPass, matMulAdd([4, 8], [3, 5]));
    const g = matMulAdd([4, 8], [5]).graph!;
    const runtimeBias = at(graph({ ...g, input: [...g.input, valueInfo('b', F, [5])], node: [g.node[0]!, node('Add', ['m', 'b'], ['y'])] }));
    expectRefused(fuseMatMulAddPass, runtimeBias);
    expectRefused(fuseMatMulAddPass, matMulAdd([4, 8], [5], { extra: [node('Relu', ['m'], ['r'])] }));
  });
});
