import { describe, expect, it } from 'vitest';
import { DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../../../engine/core/onnx/index.js';
import { tensorValues } from '../../../engine/core/onnx/tensor.js';
import { foldConstantsPass } from '../../../engine/core/optimize/fold-constants.js';
import { attr, graph, leBytes, node, tensor, valueInfo } from '../../support/build.js';
import { outputMismatches } from '../../support/equivalence.js';
import { ort } from '../../support/ort.js';
import { F, at, expectRefused, feed, int64s, ops, runPass, weights } from './fold-helpers.js';

const { INT64: I64, INT32: I32, BOOL, FLOAT16, INT8 } = DataType;

function typed(name: string, dataType: number, dims: number[], values: ArrayBufferView): TensorProto {
  return tensor({ name, dataType, dims, rawData: leBytes(values) });
}

const f32 = (name: string, values: number[], dims = [values.length]) => weights(name, dims, Float32Array.from(values));
const i64 = (name: string, values: number[], dims = [values.length]) => int64s(name, values, dims);
const i32 = (name: string, values: number[], dims = [values.length]) => typed(name, I32, dims, Int32Array.from(values));
const bools = (name: string, values: number[], dims = [values.length]) => typed(name, BOOL, dims, Uint8Array.from(values));

function named(op: string, inputs: string[], outputs: string[], name = outputs[0]!, attributes: ReturnType<typeof attr.int>[] = []): NodeProto {
  return node(op, inputs, outputs, attributes, { name });
}

/** A model with no inputs computing `outputs` from initializers, at opset 18. */
function fromConstants(nodes: NodeProto[], initializer: TensorProto[], outputs: [string, number][]): ModelProto {
  return at(graph({ node: nodes, initializer, output: outputs.map(([name, dtype]) => valueInfo(name, dtype)) }), 18);
}

/** Folds the model completely and checks onnxruntime computes bit-identical outputs from the original. */
async function expectFoldedExactly(input: ModelProto): Promise<void> {
  const result = runPass(foldConstantsPass, input);
  expect(ops(result.model.graph)).toEqual([]);
  expect(await outputMismatches(input, result.model, {}, 0)).toEqual([]);
}

const INT64_MIN = -(2 ** 63);

// Each case is evaluated by Whittle and by onnxruntime's own kernels; the results must be equal to the bit.
describe('fold-constants evaluates as onnxruntime does', () => {
  it.each<[string, NodeProto[], TensorProto[], [string, number][]]>([
    [
      'int64 arithmetic with broadcasting; Div truncates toward zero',
      [named('Add', ['a', 'b'], ['add']), named('Sub', ['a', 'b'], ['sub']), named('Mul', ['a', 'b'], ['mul']), named('Div', ['a', 'b'], ['div'])],
      [i64('a', [-7, 7], [2, 1]), i64('b', [2, -2, 3])],
      [['add', I64], ['sub', I64], ['mul', I64], ['div', I64]],
    ],
    [
      'int32 Div and Mod (the sign of the divisor), float Mod with fmod=1 (the sign of the dividend)',
      [named('Div', ['c', 'd'], ['div']), named('Mod', ['c', 'd'], ['mod']), named('Mod', ['e', 'f'], ['fmod'], 'fmod', [attr.int('fmod', 1)])],
      [i32('c', [-7, 7, -7, 7]), i32('d', [2, 2, -2, -2]), f32('e', [-7.5, 7.5]), f32('f', [2, -2])],
      [['div', I32], ['mod', I32], ['fmod', F]],
    ],
    [
      'float32 arithmetic rounds as float32',
      [
        named('Add', ['g', 'h'], ['add']), named('Div', ['g', 'h'], ['div']), named('Sqrt', ['h'], ['sqrt']), named('Reciprocal', ['h'], ['recip']),
        named('Neg', ['g'], ['neg']), named('Abs', ['g'], ['abs']), named('Floor', ['g'], ['floor']), named('Ceil', ['g'], ['ceil']), named('Max', ['g', 'h', 'one'], ['max']),
      ],
      [f32('g', [0.1, -1e-8, -3.5]), f32('h', [0.2, 1, 7]), f32('one', [1], [])],
      [['add', F], ['div', F], ['sqrt', F], ['recip', F], ['neg', F], ['abs', F], ['floor', F], ['ceil', F], ['max', F]],
    ],
    [
      'comparisons, logic and Where',
      [
        named('Equal', ['a', 'b'], ['eq']), named('Less', ['g', 'h'], ['lt']), named('GreaterOrEqual', ['g', 'h'], ['ge']), named('And', ['p', 'q'], ['and']),
        named('Or', ['p', 'q'], ['or']), named('Xor', ['p', 'q'], ['xor']), named('Not', ['p'], ['not']), named('Where', ['p', 'g', 'h'], ['where']),
      ],
      [i64('a', [2, 7], [2, 1]), i64('b', [2, -2, 7]), f32('g', [0.1, 1, 3]), f32('h', [0.2, 1, 2]), bools('p', [1, 0, 1]), bools('q', [1, 1, 0])],
      [['eq', BOOL], ['lt', BOOL], ['ge', BOOL], ['and', BOOL], ['or', BOOL], ['xor', BOOL], ['not', BOOL], ['where', F]],
    ],
    [
      'Cast: floats truncate toward zero, anything non-zero is true, narrow integers wrap',
      [
        named('Cast', ['g'], ['to_i64'], 'a', [attr.int('to', I64)]), named('Cast', ['g'], ['to_bool'], 'b', [attr.int('to', BOOL)]),
        named('Cast', ['a'], ['to_f32'], 'c', [attr.int('to', F)]), named('Cast', ['p'], ['bool_f32'], 'd', [attr.int('to', F)]),
        named('Cast', ['a'], ['to_i8'], 'e', [attr.int('to', INT8)]), named('CastLike', ['a', 'h'], ['like'], 'f'),
      ],
      [f32('g', [-2.7, 2.7, 0, -0.5]), i64('a', [300, -129, 5]), bools('p', [1, 0]), f32('h', [0])],
      [['to_i64', I64], ['to_bool', BOOL], ['to_f32', F], ['bool_f32', F], ['to_i8', INT8], ['like', F]],
    ],
    [
      'Gather with negative indices, on an inner axis and with a scalar index',
      [named('Gather', ['m', 'idx'], ['inner'], 'inner', [attr.int('axis', 1)]), named('Gather', ['m', 'last'], ['row'])],
      [f32('m', Array.from({ length: 12 }, (_, i) => i), [3, 4]), i64('idx', [-1, 0, 1, 1], [2, 2]), i64('last', [-2], [])],
      [['inner', F], ['row', F]],
    ],
    [
      'Slice with negative steps, clamped ends and negative axes; an empty Slice',
      [named('Slice', ['m', 'starts', 'ends', 'axes', 'steps'], ['sliced']), named('Slice', ['m', 'three', 'one', 'minus1'], ['empty'])],
      [
        f32('m', Array.from({ length: 20 }, (_, i) => i), [4, 5]), i64('starts', [-1, 0]), i64('ends', [INT64_MIN, 100]), i64('axes', [0, -1]), i64('steps', [-2, 2]),
        i64('three', [3]), i64('one', [1]), i64('minus1', [-1]),
      ],
      [['sliced', F], ['empty', F]],
    ],
    [
      'Split by sizes and into num_outputs parts; Transpose; Concat on a negative axis',
      [
        named('Split', ['m', 'sizes'], ['s0', 's1'], 'split'), named('Split', ['m'], ['n0', 'n1', 'n2'], 'thirds', [attr.int('num_outputs', 3)]),
        named('Transpose', ['cube'], ['t'], 't', [attr.ints('perm', [2, 0, 1])]), named('Transpose', ['cube'], ['rev']), named('Concat', ['a', 'b'], ['cat'], 'cat', [attr.int('axis', -1)]),
      ],
      [f32('m', Array.from({ length: 10 }, (_, i) => i), [5, 2]), i64('sizes', [2, 3]), f32('cube', Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]), i64('a', [1, 2], [2, 1]), i64('b', [3, 4, 5, 6, 7, 8], [2, 3])],
      [['s0', F], ['s1', F], ['n0', F], ['n1', F], ['n2', F], ['t', F], ['rev', F], ['cat', I64]],
    ],
    [
      'Range (float32 accumulated as onnxruntime does), ConstantOfShape, Expand',
      [
        named('Range', ['ten', 'zero', 'step'], ['down']), named('Range', ['fstart', 'flimit', 'fdelta'], ['frange']),
        named('ConstantOfShape', ['dims'], ['sevens'], 'sevens', [attr.tensor('value', i64('', [7], [1]))]), named('ConstantOfShape', ['dims'], ['zeros']),
        named('Expand', ['col', 'big'], ['expanded']),
      ],
      [i64('ten', [10], []), i64('zero', [0], []), i64('step', [-3], []), f32('fstart', [0.1], []), f32('flimit', [1.95], []), f32('fdelta', [0.1], []), i64('dims', [2, 3]), f32('col', [1, 2, 3], [3, 1]), i64('big', [2, 1, 4])],
      [['down', I64], ['frange', F], ['sevens', I64], ['zeros', F], ['expanded', F]],
    ],
    [
      'Reshape (0 copies, -1 infers), Flatten, Squeeze and Unsqueeze with negative axes, Identity',
      [
        named('Reshape', ['cube', 'target'], ['reshaped']), named('Flatten', ['cube'], ['flat0'], 'flat0', [attr.int('axis', 0)]), named('Flatten', ['cube'], ['flat2'], 'flat2', [attr.int('axis', -1)]),
        named('Unsqueeze', ['cube', 'ends'], ['unsq']), named('Squeeze', ['unsq', 'ends'], ['sq']), named('Identity', ['cube'], ['same']),
      ],
      [f32('cube', Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]), i64('target', [0, -1]), i64('ends', [0, -1])],
      [['reshaped', F], ['flat0', F], ['flat2', F], ['unsq', F], ['sq', F], ['same', F]],
    ],
    [
      'ReduceProd, ReduceSum over every axis, ReduceMax and ReduceMin; Shape with start and end; Size',
      [
        named('ReduceProd', ['ints', 'axis1'], ['prod'], 'prod', [attr.int('keepdims', 0)]), named('ReduceSum', ['ints'], ['sum']), named('ReduceMax', ['cube', 'axis1'], ['max']),
        named('ReduceMin', ['cube'], ['min'], 'min', [attr.int('keepdims', 0)]), named('Shape', ['cube'], ['shape'], 'shape', [attr.int('start', -2), attr.int('end', 10)]), named('Size', ['cube'], ['size']),
      ],
      [i64('ints', [1, 2, 3, -4, 5, 6], [2, 3]), i64('axis1', [1]), f32('cube', Array.from({ length: 24 }, (_, i) => (i * 7) % 11), [2, 3, 4])],
      [['prod', I64], ['sum', I64], ['max', F], ['min', F], ['shape', I64], ['size', I64]],
    ],
  ])('%s', async (_name, nodes, initializer, outputs) => {
    await expectFoldedExactly(fromConstants(nodes, initializer, outputs));
  });
});

/** x [N, 3, 4] reshaped to [N, 12] by a target computed from its own shape: Shape → Gather → Unsqueeze → Concat. */
function shapeChain(): ModelProto {
  return at(graph({
    input: [valueInfo('x', F, ['N', 3, 4])],
    output: [valueInfo('y', F)],
    initializer: [i64('zero', [0], []), i64('axes0', [0]), i64('minus1', [-1])],
    node: [
      named('Shape', ['x'], ['s'], 'shape'), named('Gather', ['s', 'zero'], ['n'], 'gather'), named('Unsqueeze', ['n', 'axes0'], ['n1'], 'unsqueeze'),
      named('Concat', ['n1', 'minus1'], ['target'], 'concat', [attr.int('axis', 0)]), named('Reshape', ['x', 'target'], ['y'], 'reshape'),
    ],
  }));
}

describe('fold-constants: shapes and constants', () => {
  it('folds a Shape → Gather → Unsqueeze → Concat chain once the input dims are given', async () => {
    const input = shapeChain();
    expectRefused(foldConstantsPass, input);
    const result = runPass(foldConstantsPass, input, { inputDims: { x: [2, 3, 4] } });
    expect(result.changes).toEqual([
      {
        pass: 'fold-constants',
        kind: 'folded',
        nodes: ['shape', 'gather', 'unsqueeze', 'concat'],
        detail:
          'Computed 4 nodes ahead of time from constants and the shapes at the given input dims (the result holds at those dims only); "target" (int64[2]) is now stored as a constant, and the 3 constants only they read are gone.',
        graphPath: 'graph',
        atInputDims: true,
      },
    ]);
    const g = result.model.graph!;
    expect(ops(g)).toEqual(['Reshape']);
    expect(g.initializer.map((t) => [t.name, Array.from(tensorValues(t)!, Number)])).toEqual([['target', [2, -1]]]);
    expect(await outputMismatches(input, result.model, { x: feed([2, 3, 4]) }, 0)).toEqual([]);
  });

  it('folds arithmetic on Constant nodes and drops the Constant nodes only it read', async () => {
    const constant = (name: string, value: number) => named('Constant', [], [name], name, [attr.tensor('value', f32('', [value], []))]);
    const input = at(graph({
      input: [valueInfo('x', F, [2])],
      output: [valueInfo('y', F)],
      node: [constant('c1', 1.5), constant('c2', 4), named('Mul', ['c1', 'c2'], ['k'], 'mul'), named('Add', ['x', 'k'], ['y'], 'add')],
    }));
    const result = runPass(foldConstantsPass, input);
    expect(result.changes.map((c) => [c.kind, c.nodes, c.atInputDims])).toEqual([['folded', ['c1', 'c2', 'mul'], undefined]]);
    expect(ops(result.model.graph)).toEqual(['Add']);
    expect(await outputMismatches(input, result.model, { x: feed([2]) }, 0)).toEqual([]);
    // A Constant node read by a node that runs is left as it is: nothing to do.
    expectRefused(foldConstantsPass, result.model);
  });

  it('also stores an intermediate that an evaluated node nothing needs still reads', async () => {
    const input = at(graph({
      input: [valueInfo('x', F, [2])],
      output: [valueInfo('y', F)],
      initializer: [f32('k1', [1, 2]), f32('k2', [3, 4])],
      node: [named('Add', ['k1', 'k2'], ['a']), named('Neg', ['a'], ['b']), named('Mul', ['a', 'k2'], ['unread']), named('Add', ['x', 'b'], ['y'], 'runs')],
    }));
    const result = runPass(foldConstantsPass, input);
    expect(result.changes.map((c) => c.nodes)).toEqual([['a', 'b']]);
    expect(ops(result.model.graph)).toEqual(['Mul', 'Add']);
    expect(result.model.graph!.initializer.map((t) => t.name).sort()).toEqual(['a', 'b', 'k2']);
    expect(await outputMismatches(input, result.model, { x: feed([2]) }, 0)).toEqual([]);
  });
});

describe('fold-constants refuses', () => {
  const add64 = (): ModelProto => fromConstants([named('Add', ['u', 'v'], ['w'])], [f32('u', new Array<number>(64).fill(1)), f32('v', new Array<number>(64).fill(2))], [['w', F]]);

  it('results over maxFoldElements', () => {
    expectRefused(foldConstantsPass, add64(), { maxFoldElements: 32 });
    expect(runPass(foldConstantsPass, add64(), { maxFoldElements: 64 }).changes).toHaveLength(1);
  });

  it('fills much larger than their inputs, which would only make the file bigger', () => {
    expectRefused(foldConstantsPass, fromConstants([named('ConstantOfShape', ['dims'], ['zeros'])], [i64('dims', [64, 64])], [['zeros', F]]));
  });

  it('quantization and random ops, integer division by zero, float16, float Ranges whose length depends on rounding, and initializers callers may override', () => {
    const quantized = typed('q', INT8, [2], Int8Array.of(-3, 5));
    const half = typed('half', FLOAT16, [1], Uint16Array.of(0x3c00));
    const models = [
      fromConstants([named('DequantizeLinear', ['q', 'scale'], ['dq'])], [quantized, f32('scale', [0.5], [])], [['dq', F]]),
      fromConstants([named('RandomNormal', [], ['r'], 'r', [attr.ints('shape', [2])])], [], [['r', F]]),
      fromConstants([named('Div', ['n', 'zero'], ['q'])], [i64('n', [1]), i64('zero', [0])], [['q', I64]]),
      fromConstants([named('Cast', ['half'], ['c'], 'c', [attr.int('to', F)])], [half], [['c', F]]),
      // 16 elements if 1.7 − 0.1 is rounded to float32 first (as the spec's function does), 17 if not (as onnxruntime does).
      fromConstants([named('Range', ['s', 'l', 'd'], ['r'])], [f32('s', [0.1], []), f32('l', [1.7], []), f32('d', [0.1], [])], [['r', F]]),
      at(graph({ input: [valueInfo('u', F, [1])], initializer: [f32('u', [1])], node: [named('Add', ['u', 'u'], ['w'])], output: [valueInfo('w', F)] })),
    ];
    for (const m of models) expectRefused(foldConstantsPass, m);
  });
});

describe('fold-constants in If and Loop bodies', () => {
  it('folds a shape chain inside a branch, from the outer input dims', async () => {
    const chain = shapeChain().graph!;
    const thenBranch = graph({ name: 'then', node: chain.node, initializer: chain.initializer, output: [valueInfo('y', F)] });
    const elseBranch = graph({ name: 'else', node: [named('Neg', ['x'], ['e'])], output: [valueInfo('e', F)] });
    const input = at(graph({
      input: [valueInfo('x', F, ['N', 3, 4]), valueInfo('cond', BOOL, [])],
      output: [valueInfo('out', F)],
      node: [named('If', ['cond'], ['out'], 'if', [attr.graph('then_branch', thenBranch), attr.graph('else_branch', elseBranch)])],
    }));
    const result = runPass(foldConstantsPass, input, { inputDims: { x: [2, 3, 4] } });
    expect(result.changes.map((c) => [c.graphPath, c.nodes])).toEqual([['graph/if.then_branch', ['shape', 'gather', 'unsqueeze', 'concat']]]);
    const then = result.model.graph!.node[0]!.attribute[0]!.g!;
    expect([ops(then), then.initializer.map((t) => t.name)]).toEqual([['Reshape'], ['target']]);
    for (const value of [true, false]) {
      expect(await outputMismatches(input, result.model, { x: feed([2, 3, 4]), cond: new ort.Tensor('bool', [value], []) }, 0)).toEqual([]);
    }
  });

  it('keeps the nodes that decide a branch, so the condition is still computed at run time', () => {
    // onnxruntime inlines Ifs with constant conditions, and crashes on some nested ones.
    const branch = (name: string, op: string): GraphProto => graph({ name, node: [named(op, ['x'], [`${name}_out`])], output: [valueInfo(`${name}_out`, F)] });
    const input = at(graph({
      input: [valueInfo('x', F, ['N', 3])],
      output: [valueInfo('out', F)],
      initializer: [i64('zero', [0], []), i64('one', [1], [])],
      node: [
        named('Shape', ['x'], ['s']), named('Gather', ['s', 'zero'], ['n']), named('Equal', ['n', 'one'], ['single']),
        named('If', ['single'], ['out'], 'if', [attr.graph('then_branch', branch('then', 'Neg')), attr.graph('else_branch', branch('else', 'Relu'))]),
      ],
    }));
    expectRefused(foldConstantsPass, input, { inputDims: { x: [1, 3] } });
  });

  it('folds constants in a Loop body, but not shapes, which may change from one iteration to the next', async () => {
    const body = graph({
      name: 'body',
      input: [valueInfo('i', I64, []), valueInfo('c_in', BOOL, []), valueInfo('acc', F)],
      output: [valueInfo('c_out', BOOL, []), valueInfo('acc_out', F), valueInfo('size', I64)],
      initializer: [f32('k', [2, 3])],
      node: [
        named('Identity', ['c_in'], ['c_out']), named('Mul', ['k', 'k'], ['kk']), named('Concat', ['acc', 'kk'], ['acc_out'], 'grow', [attr.int('axis', 0)]),
        named('Size', ['acc'], ['size']),
      ],
    });
    const input = at(graph({
      input: [valueInfo('x', F, [2])],
      output: [valueInfo('y', F), valueInfo('sizes', I64)],
      initializer: [i64('trips', [3], []), bools('go', [1], [])],
      node: [named('Loop', ['trips', 'go', 'x'], ['y', 'sizes'], 'loop', [attr.graph('body', body)])],
    }));
    const result = runPass(foldConstantsPass, input, { inputDims: { x: [2] } });
    expect(result.changes.map((c) => [c.graphPath, c.nodes])).toEqual([['graph/loop.body', ['kk']]]);
    expect(await outputMismatches(input, result.model, { x: feed([2]) }, 0)).toEqual([]);
  });
});
