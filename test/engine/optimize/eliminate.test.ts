import { describe, expect, it } from 'vitest';
import { DataType, encodeModel, type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../../../engine/core/onnx/index.js';
import { eliminatePass } from '../../../engine/core/optimize/eliminate.js';
import { attr, graph, leBytes, node, tensor, valueInfo } from '../../support/build.js';
import { outputMismatches } from '../../support/equivalence.js';
import { ort } from '../../support/ort.js';
import { F, at, expectRefused, feed, int64s, ops, runPass, weights } from './fold-helpers.js';

const x = valueInfo('x', F, [1, 3, 4, 4]);
const y = valueInfo('y', F);

function named(op: string, inputs: string[], outputs: string[], name: string, attributes: AttributeProto[] = [], domain = ''): NodeProto {
  return node(op, inputs, outputs, attributes, { name, domain });
}

/** x → Relu → a → `middle` → b → Sigmoid → y: the middle node's readers are rewired. */
function around(middle: NodeProto[], extra: Partial<GraphProto> = {}): ModelProto {
  return at(graph({ input: [x], output: [y], node: [named('Relu', ['x'], ['a'], 'relu'), ...middle, named('Sigmoid', ['b'], ['y'], 'sigmoid')], ...extra }));
}

/** Runs the pass (input untouched, nothing left to do after) and checks onnxruntime computes exactly the same outputs. */
async function eliminate(input: ModelProto, feeds: Record<string, ort.Tensor> = { x: feed([1, 3, 4, 4]) }): Promise<ModelProto> {
  const result = runPass(eliminatePass, input);
  expect(await outputMismatches(input, result.model, feeds, 0)).toEqual([]);
  return result.model;
}

describe('eliminate: pass-through nodes', () => {
  it.each([
    ['Identity', [named('Identity', ['a'], ['b'], 'mid')], 'Identity passes its input through'],
    ['Dropout whose mask is unread', [named('Dropout', ['a'], ['b', 'mask'], 'mid')], 'Dropout passes its input through at inference'],
    ['Cast to the type it has', [named('Cast', ['a'], ['b'], 'mid', [attr.int('to', F)])], 'Cast to float32 of a tensor that is already float32'],
    ['Reshape to the shape it has', [named('Reshape', ['a', 'shape'], ['b'], 'mid')], 'Reshape to the shape its input already has (1x3x4x4)'],
    ['Transpose by the identity', [named('Transpose', ['a'], ['b'], 'mid', [attr.ints('perm', [0, 1, 2, 3])])], 'Transpose with the identity permutation'],
    ['Pad of zeros', [named('Pad', ['a', 'pads'], ['b'], 'mid')], 'Pad of zero on every side'],
  ])('removes %s and rewires its readers', async (_name, middle, why) => {
    const input = around(middle, { initializer: [int64s('shape', [1, 3, 4, 4]), int64s('pads', [0, 0, 0, 0, 0, 0, 0, 0])] });
    const result = eliminatePass.run(input, {});
    expect(result.changes[0]).toEqual({ pass: 'eliminate', kind: 'removed', nodes: ['mid'], detail: `${why}; readers of "b" now read "a".`, graphPath: 'graph' });
    const out = await eliminate(input);
    expect(ops(out.graph)).toEqual(['Relu', 'Sigmoid']);
    expect(out.graph!.node[1]!.input).toEqual(['a']);
  });

  it('removes a cancelling Unsqueeze → Squeeze pair', async () => {
    const input = around([named('Unsqueeze', ['a', 'axes'], ['u'], 'unsqueeze'), named('Squeeze', ['u', 'axes'], ['b'], 'squeeze')], { initializer: [int64s('axes', [0, -1])] });
    const out = await eliminate(input);
    expect(eliminatePass.run(input, {}).changes[0]!.nodes).toEqual(['unsqueeze', 'squeeze']);
    expect(ops(out.graph)).toEqual(['Relu', 'Sigmoid']);
  });

  it('keeps what changes its input', () => {
    const keeps: [NodeProto, TensorProto[]][] = [
      [named('Cast', ['a'], ['b'], 'mid', [attr.int('to', DataType.DOUBLE)]), []],
      [named('Reshape', ['a', 'flat'], ['b'], 'mid'), [int64s('flat', [1, 48])]],
      [named('Transpose', ['a'], ['b'], 'mid', [attr.ints('perm', [0, 2, 1, 3])]), []],
      [named('Pad', ['a', 'pads'], ['b'], 'mid'), [int64s('pads', [0, 0, 1, 0, 0, 0, 0, 0])]],
    ];
    for (const [middle, initializer] of keeps) expect(eliminatePass.run(around([middle], { initializer }), {}).changes, middle.opType).toEqual([]);
  });

  it('keeps a Dropout whose mask is read, or that runs in training mode', () => {
    const maskRead = at(graph({ input: [x], output: [y, valueInfo('mask', DataType.BOOL)], node: [named('Dropout', ['x'], ['y', 'mask'], 'drop')] }));
    expectRefused(eliminatePass, maskRead);
    const training = tensor({ name: 'training', dataType: DataType.BOOL, dims: [], rawData: Uint8Array.of(1) });
    const trainingMode = around([named('Dropout', ['a', 'ratio', 'training'], ['b'], 'drop')], { initializer: [weights('ratio', [], Float32Array.of(0.5)), training] });
    expectRefused(eliminatePass, trainingMode);
  });

  it('keeps an Unsqueeze → Squeeze pair whose middle value is read elsewhere, or whose axes differ', () => {
    const shared = at(graph({
      input: [x],
      output: [y, valueInfo('u', F)],
      initializer: [int64s('axes', [0])],
      node: [named('Unsqueeze', ['x', 'axes'], ['u'], 'unsqueeze'), named('Squeeze', ['u', 'axes'], ['y'], 'squeeze')],
    }));
    expectRefused(eliminatePass, shared);
    const differ = around([named('Unsqueeze', ['a', 'zero'], ['u'], 'unsqueeze'), named('Squeeze', ['u', 'one'], ['b'], 'squeeze')], { initializer: [int64s('zero', [0]), int64s('one', [1])] });
    expect(eliminatePass.run(differ, {}).changes).toEqual([]);
  });

  it('removes a Reshape to symbolic dims it already has, for every batch size', async () => {
    const input = at(graph({
      input: [valueInfo('x', F, ['N', 3])],
      output: [y],
      initializer: [int64s('shape', [0, 3])],
      node: [named('Relu', ['x'], ['a'], 'relu'), named('Reshape', ['a', 'shape'], ['y'], 'reshape')],
    }));
    const out = await eliminate(input, { x: feed([5, 3]) });
    expect(ops(out.graph)).toEqual(['Relu']);
  });
});

describe('eliminate: graph outputs keep their names', () => {
  it('makes the producer write the graph output when a no-op gives it', async () => {
    const input = at(graph({ input: [x], output: [y], node: [named('Relu', ['x'], ['a'], 'relu'), named('Identity', ['a'], ['y'], 'id')] }));
    const result = eliminatePass.run(input, {});
    expect(result.changes.map((c) => c.detail)).toEqual(['Identity passes its input through; "a" is now written as the output "y".']);
    const out = await eliminate(input);
    expect(out.graph!.node.map((n) => [n.opType, n.output])).toEqual([['Relu', ['y']]]);
    expect(out.graph!.output.map((o) => o.name)).toEqual(['y']);
  });

  it('keeps an Identity from a graph input, or from a value that is itself a graph output', () => {
    expectRefused(eliminatePass, at(graph({ input: [x], output: [y], node: [named('Identity', ['x'], ['y'], 'id')] })));
    const twice = at(graph({ input: [x], output: [valueInfo('a', F), y], node: [named('Relu', ['x'], ['a'], 'relu'), named('Identity', ['a'], ['y'], 'id')] }));
    expectRefused(eliminatePass, twice);
  });
});

describe('eliminate: unread nodes, initializers and inputs', () => {
  it('removes a chain nothing reads, the initializers only it read, and unread graph inputs', async () => {
    const input = at(graph({
      input: [x, valueInfo('unused', F, [2])],
      output: [y],
      initializer: [weights('w', [1, 3, 1, 1], 3), weights('orphan', [4], 4)],
      node: [named('Relu', ['x'], ['y'], 'relu'), named('Mul', ['x', 'w'], ['m'], 'mul'), named('Exp', ['m'], ['e'], 'exp')],
    }));
    const result = runPass(eliminatePass, input);
    expect(result.changes).toEqual([
      { pass: 'eliminate', kind: 'removed', nodes: ['exp', 'mul'], detail: 'Nothing reads the outputs of these 2 nodes.', graphPath: 'graph' },
      { pass: 'eliminate', kind: 'removed', nodes: ['w', 'orphan'], detail: 'Nothing reads these 2 initializers (28 bytes).', graphPath: 'graph' },
      { pass: 'eliminate', kind: 'removed', nodes: ['unused'], detail: 'Nothing reads this graph input; callers no longer feed it.', graphPath: 'graph' },
    ]);
    const out = result.model.graph!;
    expect([ops(out), out.initializer.length, out.input.map((v) => v.name)]).toEqual([['Relu'], 0, ['x']]);
    const variant = await ort.InferenceSession.create(encodeModel(result.model));
    expect(variant.inputNames).toEqual(['x']);
    await variant.release();
  });

  it('keeps unread nodes of other domains (they may act beyond their outputs), and inputs that are also outputs', () => {
    const input = at(graph({
      input: [x, valueInfo('through', F, [2])],
      output: [y, valueInfo('through', F, [2])],
      node: [named('Relu', ['x'], ['y'], 'relu'), named('Custom', ['x'], ['c'], 'custom', [], 'com.example')],
    }));
    expectRefused(eliminatePass, input);
  });
});

describe('eliminate: If, Loop and Scan bodies', () => {
  // then: a branch-local Identity giving the branch output (its producer takes the name) and a dead
  // Neg; else: an Identity of an outer value giving the branch output, which must stay.
  const thenBranch = graph({
    name: 'then',
    output: [valueInfo('t_out', F)],
    node: [named('Relu', ['x'], ['t_relu'], 't_relu'), named('Identity', ['t_relu'], ['t_out'], 't_id'), named('Neg', ['x'], ['t_dead'], 't_dead')],
  });
  const elseBranch = graph({ name: 'else', output: [valueInfo('e_out', F)], node: [named('Identity', ['x'], ['e_out'], 'e_id')] });
  const input = at(graph({
    input: [x, valueInfo('cond', DataType.BOOL, [])],
    output: [y],
    node: [named('If', ['cond'], ['y'], 'if', [attr.graph('then_branch', thenBranch), attr.graph('else_branch', elseBranch)])],
  }));

  it('cleans a branch without touching its outputs', async () => {
    const result = runPass(eliminatePass, input);
    expect(result.changes.map((c) => [c.graphPath, c.nodes])).toEqual([
      ['graph/if.then_branch', ['t_id']],
      ['graph/if.then_branch', ['t_dead']],
    ]);
    const then = result.model.graph!.node[0]!.attribute[0]!.g!;
    expect(then.node.map((n) => [n.opType, n.output[0]])).toEqual([['Relu', 't_out']]);
    for (const value of [true, false]) {
      const feeds = { x: feed([1, 3, 4, 4]), cond: new ort.Tensor('bool', [value], []) };
      expect(await outputMismatches(input, result.model, feeds, 0)).toEqual([]);
    }
  });

  it('leaves a Loop body its interface: the carried condition passes through an Identity', () => {
    const body = graph({
      name: 'body',
      input: [valueInfo('i', DataType.INT64, []), valueInfo('c_in', DataType.BOOL, []), valueInfo('acc_in', F)],
      output: [valueInfo('c_out', DataType.BOOL, []), valueInfo('acc_out', F)],
      node: [named('Identity', ['c_in'], ['c_out'], 'keep_cond'), named('Add', ['acc_in', 'x'], ['acc_out'], 'add')],
    });
    const trips = tensor({ name: 'trips', dataType: DataType.INT64, dims: [], rawData: leBytes(BigInt64Array.of(3n)) });
    const go = tensor({ name: 'go', dataType: DataType.BOOL, dims: [], rawData: Uint8Array.of(1) });
    const loop = at(graph({ input: [x], output: [y], initializer: [trips, go], node: [named('Loop', ['trips', 'go', 'x'], ['y'], 'loop', [attr.graph('body', body)])] }));
    expectRefused(eliminatePass, loop);
  });
});
