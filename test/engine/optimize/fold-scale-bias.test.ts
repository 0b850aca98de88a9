import { describe, expect, it } from 'vitest';
import { foldScaleBiasPass } from '../../../engine/core/optimize/fold-scale-bias.js';
import { attr, graph, node, valueInfo } from '../../support/build.js';
import { at, expectRefused, expectSameOutputs, F, feed, ops, runPass, weights } from './fold-helpers.js';

/** x [2,3,6,6] → Conv (3→4, 3×3, padded) → the given nodes, reading 'c', ending in y [2,4,6,6]. */
function convThen(nodes: ReturnType<typeof node>[], constants: ReturnType<typeof weights>[]) {
  return at(
    graph({
      node: [node('Conv', ['x', 'w', 'b'], ['c'], [attr.ints('pads', [1, 1, 1, 1])], { name: 'conv' }), ...nodes],
      input: [valueInfo('x', F, [2, 3, 6, 6])],
      output: [valueInfo('y', F, [2, 4, 6, 6])],
      initializer: [weights('w', [4, 3, 3, 3], 1), weights('b', [4], 2), ...constants],
    }),
  );
}

const x = { x: feed([2, 3, 6, 6]) };

describe('fold-scale-bias', () => {
  it('folds a per-channel Mul and then a per-channel Add into the Conv in one run', async () => {
    const input = convThen([node('Mul', ['c', 's'], ['m'], [], { name: 'scale' }), node('Add', ['m', 't'], ['y'], [], { name: 'shift' })], [weights('s', [1, 4, 1, 1], 3), weights('t', [4, 1, 1], 4)]);
    const { model, changes } = runPass(foldScaleBiasPass, input);
    expect(changes.map((c) => [c.kind, c.nodes, c.into])).toEqual([
      ['folded', ['conv', 'scale'], 'conv'],
      ['folded', ['conv', 'shift'], 'conv'],
    ]);
    expect(changes[0]!.detail).toBe('scale multiplied the output of conv by a constant per channel; the scale now sits in its weights and bias.');
    expect(changes[1]!.detail).toBe('shift added a constant per channel to the output of conv; the shift now sits in its bias.');
    expect(ops(model.graph)).toEqual(['Conv']);
    expect(model.graph!.node[0]!.output).toEqual(['y']);
    // The Add changed only the bias.
    expect(model.graph!.initializer.map((t) => t.name).sort()).toEqual(['b_folded_1', 'w_folded']);
    await expectSameOutputs(input, model, x);
  });

  it('folds a scalar Mul whose constant comes first', async () => {
    const input = convThen([node('Mul', ['k', 'c'], ['y'])], [weights('k', [], 5)]);
    const { model, changes } = runPass(foldScaleBiasPass, input);
    expect(changes[0]!.detail).toContain('by one constant');
    expect(ops(model.graph)).toEqual(['Conv']);
    await expectSameOutputs(input, model, x);
  });

  it('folds an Add of a [N] bias into a Gemm and a per-channel Mul into a ConvTranspose', async () => {
    const gemm = at(
      graph({
        node: [node('Gemm', ['x', 'w'], ['g'], [attr.int('transB', 1)]), node('Add', ['g', 'n'], ['y'])],
        input: [valueInfo('x', F, [3, 6])],
        output: [valueInfo('y', F, [3, 5])],
        initializer: [weights('w', [5, 6], 1), weights('n', [5], 2)],
      }),
    );
    const folded = runPass(foldScaleBiasPass, gemm);
    expect(ops(folded.model.graph)).toEqual(['Gemm']);
    await expectSameOutputs(gemm, folded.model, { x: feed([3, 6]) });

    const up = at(
      graph({
        node: [node('ConvTranspose', ['x', 'w'], ['u'], [attr.int('group', 2)]), node('Mul', ['u', 's'], ['y'])],
        input: [valueInfo('x', F, [1, 4, 5, 5])],
        output: [valueInfo('y', F, [1, 6, 7, 7])],
        initializer: [weights('w', [4, 3, 3, 3], 3), weights('s', [6, 1, 1], 4)],
      }),
    );
    const scaled = runPass(foldScaleBiasPass, up);
    expect(ops(scaled.model.graph)).toEqual(['ConvTranspose']);
    await expectSameOutputs(up, scaled.model, { x: feed([1, 4, 5, 5]) });
  });

  it.each([
    ['spreads over the spatial axes', [1, 1, 6, 6]],
    ['spreads over the batch', [2, 4, 1, 1]],
    ['lies along the last axis', [4]],
    ['has more dims than the output', [1, 1, 4, 1, 1]],
  ])('refuses a Mul by a constant that %s', (_, dims) => {
    expectRefused(foldScaleBiasPass, convThen([node('Mul', ['c', 's'], ['y'])], [weights('s', dims, 3)]));
  });

  it('refuses a Mul by a value computed at run time, and one the Conv output feeds twice', () => {
    expectRefused(foldScaleBiasPass, convThen([node('Sigmoid', ['c'], ['g']), node('Mul', ['c', 'g'], ['y'])], []));
    expectRefused(foldScaleBiasPass, convThen([node('Mul', ['c', 'c'], ['y'])], []));
  });

  it('refuses a Sub and a Div (not folded by this pass)', () => {
    expectRefused(foldScaleBiasPass, convThen([node('Sub', ['c', 's'], ['y'])], [weights('s', [1, 4, 1, 1], 3)]));
  });
});
