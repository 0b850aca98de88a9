import { describe, expect, it } from 'vitest';
import { NodeAttributes } from '../../../engine/core/graph/attributes.js';
import { foldPadPass } from '../../../engine/core/optimize/fold-pad.js';
import type { AttributeProto, ModelProto, NodeProto } from '../../../engine/core/onnx/index.js';
import { attr, graph, node, valueInfo } from '../../support/build.js';
import { at, expectRefused, expectSameOutputs, F, feed, int64s, ops, runPass, weights } from './fold-helpers.js';

const PADS = [0, 0, 1, 2, 0, 0, 2, 1];

/** x [1,3,8,8] → [Relu →] Pad (opset 13, pads as an input) → `reader` → y. */
function padThen(reader: NodeProto, options: { pads?: number[]; padAttrs?: AttributeProto[]; value?: number; relu?: boolean } = {}): ModelProto {
  const source = options.relu ? 'r' : 'x';
  const padInputs = options.value === undefined ? [source, 'pads'] : [source, 'pads', 'value'];
  return at(
    graph({
      node: [...(options.relu ? [node('Relu', ['x'], ['r'])] : []), node('Pad', padInputs, ['p'], options.padAttrs ?? [], { name: 'pad' }), reader],
      input: [valueInfo('x', F, [1, 3, 8, 8])],
      output: [valueInfo('y', F)],
      valueInfo: [valueInfo('p', F)],
      initializer: [int64s('pads', options.pads ?? PADS), weights('w', [4, 3, 3, 3], 1), ...(options.value === undefined ? [] : [weights('value', [], new Float32Array([options.value]))])],
    }),
    13,
  );
}

const conv = (attrs: AttributeProto[] = []) => node('Conv', ['p', 'w'], ['y'], attrs, { name: 'conv' });
const pool = (op: string, attrs: AttributeProto[] = []) => node(op, ['p'], ['y'], [attr.ints('kernel_shape', [3, 3]), ...attrs], { name: 'pool' });
const padsOf = (m: ModelProto) => new NodeAttributes(m.graph!.node.at(-1)!).ints('pads');
const x = { x: feed([1, 3, 8, 8]) };

describe('fold-pad', () => {
  it('adds a zero Pad of the spatial axes to the Conv pads', async () => {
    const input = padThen(conv([attr.ints('pads', [1, 0, 0, 1]), attr.ints('strides', [2, 1])]));
    const { model, changes } = runPass(foldPadPass, input);
    expect(changes).toEqual([
      { pass: 'fold-pad', kind: 'folded', nodes: ['pad', 'conv'], into: 'conv', graphPath: 'graph', detail: 'pad added zeros around the spatial axes (1, 2, 2, 1); conv now pads them itself (pads 2, 2, 2, 2).' },
    ]);
    expect(ops(model.graph)).toEqual(['Conv']);
    expect(model.graph!.node[0]!.input).toEqual(['x', 'w']);
    expect(model.graph!.initializer.map((t) => t.name)).toEqual(['w']);
    expect(model.graph!.valueInfo).toEqual([]);
    await expectSameOutputs(input, model, x);
  });

  it('reads pads from the attribute before opset 11, and takes an explicit zero value', async () => {
    const old = at(
      graph({
        node: [node('Pad', ['x'], ['p'], [attr.ints('pads', PADS), attr.float('value', 0)]), node('Conv', ['p', 'w'], ['y'])],
        input: [valueInfo('x', F, [1, 3, 8, 8])],
        output: [valueInfo('y', F)],
        initializer: [weights('w', [4, 3, 3, 3], 1)],
      }),
      10,
    );
    const folded = runPass(foldPadPass, old);
    expect(padsOf(folded.model)).toEqual([1, 2, 2, 1]);
    await expectSameOutputs(old, folded.model, x);
    const valued = padThen(conv(), { value: 0 });
    const result = runPass(foldPadPass, valued);
    expect(ops(result.model.graph)).toEqual(['Conv']);
    expect(result.model.graph!.initializer.map((t) => t.name)).toEqual(['w']);
  });

  it('folds into an AveragePool that counts padding, or that had none and is told to count it', async () => {
    for (const attrs of [[attr.int('count_include_pad', 1), attr.ints('pads', [1, 0, 0, 1])], []]) {
      const input = padThen(pool('AveragePool', attrs));
      const { model } = runPass(foldPadPass, input);
      expect(ops(model.graph)).toEqual(['AveragePool']);
      expect(new NodeAttributes(model.graph!.node[0]!).int('count_include_pad')).toBe(1);
      await expectSameOutputs(input, model, x);
    }
  });

  it('folds into a MaxPool only when the padded value is a Relu output', async () => {
    const input = padThen(pool('MaxPool'), { relu: true });
    const { model } = runPass(foldPadPass, input);
    expect(ops(model.graph)).toEqual(['Relu', 'MaxPool']);
    await expectSameOutputs(input, model, x);
    expectRefused(foldPadPass, padThen(pool('MaxPool')));
  });

  it.each([
    ['a Conv with auto_pad', () => padThen(conv([attr.string('auto_pad', 'SAME_UPPER')]))],
    ['an AveragePool that does not count its own padding', () => padThen(pool('AveragePool', [attr.ints('pads', [1, 1, 1, 1])]))],
    ['a pool with ceil_mode', () => padThen(pool('AveragePool', [attr.int('count_include_pad', 1), attr.int('ceil_mode', 1)]))],
    ['pool pads as large as the kernel', () => padThen(pool('AveragePool', [attr.int('count_include_pad', 1)]), { pads: [0, 0, 3, 0, 0, 0, 0, 0] })],
    ['a reflect Pad', () => padThen(conv(), { padAttrs: [attr.string('mode', 'reflect')] })],
    ['a Pad of ones', () => padThen(conv(), { value: 1 })],
    ['a Pad of the channels', () => padThen(conv(), { pads: [0, 1, 1, 1, 0, 0, 1, 1] })],
    ['a negative Pad (a crop)', () => padThen(conv(), { pads: [0, 0, -1, 0, 0, 0, 0, 0] })],
    ['a ConvTranspose', () => padThen(node('ConvTranspose', ['p', 'w2'], ['y']))],
  ])('refuses %s', (_, make) => {
    expectRefused(foldPadPass, make());
  });

  it('refuses a Pad whose output has another reader', () => {
    const base = padThen(conv()).graph!;
    expectRefused(foldPadPass, at(graph({ ...base, output: [...base.output, valueInfo('p', F)] }), 13));
  });
});
