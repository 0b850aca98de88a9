import { describe, expect, it } from 'vitest';
import { DataType, type GraphProto, type NodeProto, type TensorProto, type ValueInfoProto } from '../../../engine/core/onnx/index.js';
import { attr, graph, leBytes, node, tensor, valueInfo } from '../../support/build.js';
import { infer, shapeOf } from '../../support/shape.js';

const { FLOAT, INT64, BOOL } = DataType;

function int64(name: string, values: number[], dims: number[] = []): TensorProto {
  return tensor({ name, dataType: INT64, dims, rawData: leBytes(BigInt64Array.from(values, BigInt)) });
}

function bool(name: string, value: boolean): TensorProto {
  return tensor({ name, dataType: BOOL, dims: [], rawData: Uint8Array.of(value ? 1 : 0) });
}

function floats(name: string, dims: number[]): TensorProto {
  return tensor({ name, dataType: FLOAT, dims, rawData: leBytes(new Float32Array(dims.reduce((a, b) => a * b, 1))) });
}

function body(nodes: NodeProto[], input: ValueInfoProto[], output: string[], name = 'body'): GraphProto {
  return graph({ name, node: nodes, input, output: output.map((o) => valueInfo(o, 0)) });
}

/**
 * Silero VAD's shape: the sample rate picks a 16 kHz or an 8 kHz subnetwork. Their features
 * differ in width (258 vs 130 here); the state they return is the same.
 */
function sileroLike(sr: { input: true } | { constant: number }): Partial<GraphProto> {
  const then_branch = body([node('Sigmoid', ['feat16'], ['t_feat']), node('Tanh', ['state'], ['t_state'])], [], ['t_feat', 't_state'], 'then');
  const else_branch = body([node('Sigmoid', ['feat8'], ['e_feat']), node('Tanh', ['state'], ['e_state'])], [], ['e_feat', 'e_state'], 'else');
  const inputs = [valueInfo('feat16', FLOAT, ['batch', 258, 'frames']), valueInfo('feat8', FLOAT, ['batch', 130, 'frames']), valueInfo('state', FLOAT, [2, 'batch', 128])];
  return {
    input: 'input' in sr ? [...inputs, valueInfo('sr', INT64, [])] : inputs,
    initializer: 'constant' in sr ? [int64('sr', [sr.constant]), int64('k16000', [16000])] : [int64('k16000', [16000])],
    node: [
      node('Equal', ['sr', 'k16000'], ['is16k']),
      node('If', ['is16k'], ['feat', 'stateN'], [attr.graph('then_branch', then_branch), attr.graph('else_branch', else_branch)]),
    ],
  };
}

describe('If', () => {
  it('merges branches of different shapes dim by dim: equal dims kept, different ones unknown', () => {
    const r = infer(sileroLike({ input: true }));
    expect(shapeOf(r.typeOf('feat'))).toEqual({ dtype: FLOAT, shape: ['batch', null, 'frames'] });
    expect(shapeOf(r.typeOf('stateN'))).toEqual({ dtype: FLOAT, shape: [2, 'batch', 128] });
  });

  it('takes the branch a known condition picks, and leaves the other uninferred', () => {
    const g = sileroLike({ constant: 16000 });
    const r = infer(g);
    expect(shapeOf(r.typeOf('feat'))).toEqual({ dtype: FLOAT, shape: ['batch', 258, 'frames'] });
    const elseBranch = g.node![1]!.attribute.find((a) => a.name === 'else_branch')!.g!;
    expect(r.typesOf(elseBranch).size).toBe(0);
    expect(shapeOf(infer(sileroLike({ constant: 8000 })).typeOf('feat'))).toEqual({ dtype: FLOAT, shape: ['batch', 130, 'frames'] });
  });

  it('takes the only branch that can run with these shapes, and fails when neither can', () => {
    // Silero VAD given a 16 kHz frame: the 8 kHz path's layers do not fit it (here, 400 vs 5).
    const broken = (name: string) => body([node('Add', ['x', 'w'], [`${name}_y`])], [], [`${name}_y`], name);
    const works = body([node('Relu', ['x'], ['ok'])], [], ['ok'], 'works');
    const ifOf = (then_branch: GraphProto, else_branch: GraphProto) => ({
      input: [valueInfo('c', BOOL, []), valueInfo('x', FLOAT, ['B', 400])],
      initializer: [floats('w', [5])],
      node: [node('If', ['c'], ['y'], [attr.graph('then_branch', then_branch), attr.graph('else_branch', else_branch)], { name: 'if' })],
    });
    expect(shapeOf(infer(ifOf(works, broken('b'))).typeOf('y'))).toEqual({ dtype: FLOAT, shape: ['B', 400] });
    expect(shapeOf(infer(ifOf(broken('a'), works)).typeOf('y'))).toEqual({ dtype: FLOAT, shape: ['B', 400] });
    const neither = infer(ifOf(broken('a'), broken('b')));
    expect(neither.typeOf('y')).toBeUndefined();
    expect(neither.findings.find((f) => f.node === 'if')?.message).toMatch(/neither branch can run: Add #0: cannot broadcast/);
    const known = ifOf(broken('a'), works);
    const takesBroken = infer({ ...known, input: known.input.slice(1), initializer: [...known.initializer, bool('c', true)] });
    expect(takesBroken.findings.find((f) => f.node === 'if')?.message).toMatch(/the then_branch it takes cannot run/);
  });

  it('keeps known contents only when both branches agree on them', () => {
    const branch = (name: string, value: number) => graph({ name, initializer: [int64(`${name}_v`, [value, 7], [2])], output: [valueInfo(`${name}_v`, INT64)] });
    const ifOf = (a: number, b: number) => ({
      input: [valueInfo('c', BOOL, [])],
      node: [node('If', ['c'], ['out'], [attr.graph('then_branch', branch('t', a)), attr.graph('else_branch', branch('e', b))])],
    });
    expect(infer(ifOf(3, 4)).typeOf('out')).toEqual({ kind: 'tensor', dtype: INT64, shape: [2] });
    expect(infer(ifOf(3, 3)).typeOf('out')).toEqual({ kind: 'tensor', dtype: INT64, shape: [2], value: [3, 7] });
  });

  it('fails when the branches give different element types', () => {
    const then_branch = body([node('Cast', ['x'], ['t'], [attr.int('to', INT64)])], [], ['t'], 'then');
    const else_branch = body([node('Relu', ['x'], ['e'])], [], ['e'], 'else');
    const g = { input: [valueInfo('c', BOOL, []), valueInfo('x', FLOAT, [4])], node: [node('If', ['c'], ['y'], [attr.graph('then_branch', then_branch), attr.graph('else_branch', else_branch)])] };
    const r = infer(g);
    expect([...r.unknown.values()].map((u) => u.reason)).toEqual([expect.stringMatching(/element types differ/)]);
  });
});

/** Loop body: (i, cond) → cond passthrough, y + one, and y's new value as a scan output. */
function counterBody(extra: NodeProto[] = []): GraphProto {
  return body(
    [node('Identity', ['cond_in'], ['cond_out']), node('Add', ['y_in', 'one'], ['y_out']), node('Identity', ['y_out'], ['scan']), ...extra],
    [valueInfo('i', INT64, []), valueInfo('cond_in', BOOL, []), valueInfo('y_in', FLOAT, [1])],
    ['cond_out', 'y_out', 'scan'],
  );
}

describe('Loop', () => {
  it('stacks scan outputs along a leading dim of the trip count when M is known and the condition stays true', () => {
    const r = infer({
      input: [valueInfo('y', FLOAT, [1])],
      initializer: [int64('M', [5]), bool('cond', true), floats('one', [1])],
      node: [node('Loop', ['M', 'cond', 'y'], ['y_final', 'ys'], [attr.graph('body', counterBody())])],
    });
    expect(shapeOf(r.typeOf('y_final'))).toEqual({ dtype: FLOAT, shape: [1] });
    expect(shapeOf(r.typeOf('ys'))).toEqual({ dtype: FLOAT, shape: [5, 1] });
    expect(r.findings).toEqual([]);
  });

  it('counts the trips as a fresh symbol when the condition can stop the loop early or M is unknown', () => {
    const loop = (inputs: string[]) => node('Loop', inputs, ['y_final', 'ys'], [attr.graph('body', counterBody())], { name: 'loop' });
    const runtimeCond = infer({
      input: [valueInfo('y', FLOAT, [1]), valueInfo('cond', BOOL, [])],
      initializer: [int64('M', [5]), floats('one', [1])],
      node: [loop(['M', 'cond', 'y'])],
    });
    expect(shapeOf(runtimeCond.typeOf('ys'))).toEqual({ dtype: FLOAT, shape: ['loop_trips', 1] });
    const runtimeM = infer({ input: [valueInfo('y', FLOAT, [1]), valueInfo('M', INT64, [])], initializer: [floats('one', [1])], node: [loop(['M', '', 'y'])] });
    expect(shapeOf(runtimeM.typeOf('ys'))).toEqual({ dtype: FLOAT, shape: ['loop_trips', 1] });
  });

  it('runs the body again when a carried value changes shape, until the types settle', () => {
    // y: [1, 4] + w: [3, 1] gives [3, 4]: the carried value is [1, 4] on entry and [3, 4] after.
    const g = body(
      [node('Identity', ['c_in'], ['c_out']), node('Add', ['y_in', 'w'], ['y_out']), node('Mystery', ['y_out'], ['z'])],
      [valueInfo('i', INT64, []), valueInfo('c_in', BOOL, []), valueInfo('y_in', FLOAT, [1, 4])],
      ['c_out', 'y_out'],
    );
    const r = infer({
      input: [valueInfo('y', FLOAT, [1, 4])],
      initializer: [int64('M', [3]), floats('w', [3, 1])],
      node: [node('Loop', ['M', '', 'y'], ['y_final'], [attr.graph('body', g)])],
    });
    expect(shapeOf(r.typeOf('y_final'))).toEqual({ dtype: FLOAT, shape: [null, 4] });
    expect(shapeOf(r.typeOf('y_in', g))).toEqual({ dtype: FLOAT, shape: [null, 4] });
    // The body ran more than once; its unknown node is reported once.
    expect(r.findings.filter((f) => f.message.includes('Mystery'))).toHaveLength(1);
  });
});

describe('Scan', () => {
  it('slices along scan_input_axes and stacks along a negative scan_output_axes (opset 9+)', () => {
    const g = body(
      [node('Add', ['s_in', 'x_t'], ['s_out']), node('Identity', ['s_out'], ['z_t'])],
      [valueInfo('s_in', FLOAT, ['batch', 8]), valueInfo('x_t', FLOAT, ['batch', 8])],
      ['s_out', 'z_t'],
    );
    const r = infer({
      input: [valueInfo('s', FLOAT, ['batch', 8]), valueInfo('x', FLOAT, ['batch', 'T', 8])],
      node: [node('Scan', ['s', 'x'], ['s_final', 'z'], [attr.graph('body', g), attr.int('num_scan_inputs', 1), attr.ints('scan_input_axes', [1]), attr.ints('scan_output_axes', [-1])])],
    });
    expect(shapeOf(r.typeOf('s_final'))).toEqual({ dtype: FLOAT, shape: ['batch', 8] });
    expect(shapeOf(r.typeOf('z'))).toEqual({ dtype: FLOAT, shape: ['batch', 8, 'T'] });
  });

  it('keeps the batch axis on states and outputs in the opset 8 form', () => {
    const g = body([node('Add', ['s_in', 'x_t'], ['s_out']), node('Identity', ['s_out'], ['z_t'])], [valueInfo('s_in', FLOAT, [2]), valueInfo('x_t', FLOAT, [2])], ['s_out', 'z_t']);
    const r = infer(
      {
        input: [valueInfo('s', FLOAT, ['B', 2]), valueInfo('x', FLOAT, ['B', 'T', 2])],
        node: [node('Scan', ['', 's', 'x'], ['s_final', 'z'], [attr.graph('body', g), attr.int('num_scan_inputs', 1)])],
      },
      8,
    );
    expect(shapeOf(r.typeOf('s_final'))).toEqual({ dtype: FLOAT, shape: ['B', 2] });
    expect(shapeOf(r.typeOf('z'))).toEqual({ dtype: FLOAT, shape: ['B', 'T', 2] });
  });
});
