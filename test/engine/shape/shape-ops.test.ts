import { describe, expect, it } from 'vitest';
import { DataType, type TensorProto } from '../../../engine/core/onnx/index.js';
import { attr, leBytes, node, sparseTensor, tensor, valueInfo } from '../../support/build.js';
import { infer, reasonFor, shapeOf, typeOf } from '../../support/shape.js';

const { FLOAT, INT32, INT64, STRING } = DataType;

function int64(name: string, values: (number | bigint)[], dims: number[] = [values.length]): TensorProto {
  return tensor({ name, dataType: INT64, dims, rawData: leBytes(BigInt64Array.from(values, (v) => BigInt(v))) });
}

describe('shape arithmetic chains', () => {
  it('carries symbolic dims through Shape, Gather, Unsqueeze, Concat and Reshape', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['B', 'S', 768])],
      initializer: [int64('zero', [0], []), int64('one', [1], []), int64('heads', [12, 64]), int64('axes0', [0])],
      node: [
        node('Shape', ['x'], ['s']),
        node('Gather', ['s', 'zero'], ['b']),
        node('Gather', ['s', 'one'], ['seq']),
        node('Unsqueeze', ['b', 'axes0'], ['b1']),
        node('Unsqueeze', ['seq', 'axes0'], ['seq1']),
        node('Concat', ['b1', 'seq1', 'heads'], ['target'], [attr.int('axis', 0)]),
        node('Reshape', ['x', 'target'], ['split_heads']),
        node('Transpose', ['split_heads'], ['per_head'], [attr.ints('perm', [0, 2, 1, 3])]),
      ],
    });
    expect(typeOf(r.typeOf('s'))).toEqual({ dtype: INT64, shape: [3], value: ['B', 'S', 768] });
    expect(typeOf(r.typeOf('b'))).toEqual({ dtype: INT64, shape: [], value: ['B'] });
    expect(typeOf(r.typeOf('target'))).toEqual({ dtype: INT64, shape: [4], value: ['B', 'S', 12, 64] });
    expect(shapeOf(r.typeOf('per_head'))).toEqual({ dtype: FLOAT, shape: ['B', 12, 'S', 64] });
    expect(r.unknown.size).toBe(0);
  });

  it('slices shapes, multiplies element counts and fills constants of a computed shape', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['B', 3, 'H', 'W'])],
      initializer: [int64('two', [2]), int64('end', [2n ** 63n - 1n]), int64('axes', [0])],
      node: [
        node('Shape', ['x'], ['s']),
        node('Slice', ['s', 'two', 'end'], ['spatial']),
        node('ReduceProd', ['spatial'], ['pixels'], [attr.int('keepdims', 0)]),
        node('Shape', ['x'], ['tail'], [attr.int('start', -2)]),
        node('Size', ['x'], ['count']),
        node('ConstantOfShape', ['s'], ['zeros'], [attr.tensor('value', int64('v', [0], [1]))]),
        node('Shape', ['x'], ['s2'], [attr.int('start', 1), attr.int('end', 3)]),
        node('ReduceSum', ['s2', 'axes'], ['sum'], [attr.int('keepdims', 0)]),
      ],
    });
    expect(typeOf(r.typeOf('spatial'))).toEqual({ dtype: INT64, shape: [2], value: ['H', 'W'] });
    expect(typeOf(r.typeOf('pixels'))).toEqual({ dtype: INT64, shape: [], value: ['H*W'] });
    expect(typeOf(r.typeOf('tail'))).toEqual({ dtype: INT64, shape: [2], value: ['H', 'W'] });
    expect(typeOf(r.typeOf('count'))).toEqual({ dtype: INT64, shape: [], value: ['((B*3)*H)*W'] });
    expect(shapeOf(r.typeOf('zeros'))).toEqual({ dtype: INT64, shape: ['B', 3, 'H', 'W'] });
    expect(typeOf(r.typeOf('sum'))).toEqual({ dtype: INT64, shape: [], value: ['3+H'] });
  });
});

describe('Reshape', () => {
  it('copies dims with 0, infers -1 symbolically by cancelling factors, and honours allowzero', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['B', 'S', 768]), valueInfo('e', FLOAT, [0, 4])],
      initializer: [int64('flat', [-1, 768]), int64('back', [0, -1, 12, 64]), int64('heads', [0, 0, 12, -1]), int64('zero', [0, 4]), int64('odd', [7, -1])],
      node: [
        node('Reshape', ['x', 'flat'], ['rows']),
        node('Reshape', ['x', 'heads'], ['h']),
        node('Reshape', ['rows', 'back'], ['again'], [], { name: 'copy_from_rows' }),
        node('Reshape', ['e', 'zero'], ['kept_zero'], [attr.int('allowzero', 1)]),
        node('Reshape', ['e', 'zero'], ['copied'], []),
        node('Reshape', ['x', 'odd'], ['bad'], [], { name: 'bad' }),
      ],
    });
    expect(shapeOf(r.typeOf('rows'))).toEqual({ dtype: FLOAT, shape: ['B*S', 768] });
    expect(shapeOf(r.typeOf('h'))).toEqual({ dtype: FLOAT, shape: ['B', 'S', 12, 64] });
    // 0 copies rows' first dim (B*S); then 768 / (12*64) leaves 1 for the -1.
    expect(shapeOf(r.typeOf('again'))).toEqual({ dtype: FLOAT, shape: ['B*S', 1, 12, 64] });
    expect(shapeOf(r.typeOf('kept_zero'))).toEqual({ dtype: FLOAT, shape: [0, 4] });
    expect(shapeOf(r.typeOf('copied'))).toEqual({ dtype: FLOAT, shape: [0, 4] });
    // 768 is not a multiple of 7, but B*S might be: not known, and not an error.
    expect(shapeOf(r.typeOf('bad'))).toEqual({ dtype: FLOAT, shape: [7, null] });
  });

  it('reads the opset 1 shape attribute and rejects element count mismatches', () => {
    const r = infer(
      {
        input: [valueInfo('x', FLOAT, [2, 3, 4])],
        node: [node('Reshape', ['x'], ['y'], [attr.ints('shape', [4, -1])]), node('Reshape', ['x'], ['z'], [attr.ints('shape', [5, 5])], { name: 'bad' })],
      },
      1,
    );
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT, shape: [4, 6] });
    expect(reasonFor(r, 'bad')).toMatch(/cannot reshape 24 elements into 25/);
  });
});

describe('Squeeze, Unsqueeze, Flatten, Expand', () => {
  it('takes axes as attributes before opset 13', () => {
    const r = infer(
      {
        input: [valueInfo('x', FLOAT, [1, 'N', 1, 4])],
        node: [
          node('Squeeze', ['x'], ['some'], [attr.ints('axes', [0, -2])]),
          node('Squeeze', ['x'], ['all']),
          node('Unsqueeze', ['x'], ['more'], [attr.ints('axes', [-1, 1])]),
        ],
      },
      11,
    );
    expect(shapeOf(r.typeOf('some'))).toEqual({ dtype: FLOAT, shape: ['N', 4] });
    // N might be 1 at run time, so squeezing every 1 leaves the rank unknown.
    expect(shapeOf(r.typeOf('all'))).toEqual({ dtype: FLOAT, shape: undefined });
    expect(shapeOf(r.typeOf('more'))).toEqual({ dtype: FLOAT, shape: [1, 1, 'N', 1, 4, 1] });
  });

  it('squeezes the only dims that can be 1 when the axes input is unknown but its length is', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, [1, 3, 'N', 5]), valueInfo('axes', INT64, [2]), valueInfo('one', INT64, [1])],
      node: [node('Squeeze', ['x', 'axes'], ['y']), node('Squeeze', ['x', 'one'], ['z'])],
    });
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT, shape: [3, 5] });
    expect(shapeOf(r.typeOf('z'))).toEqual({ dtype: FLOAT, shape: [null, null, null] });
  });

  it('flattens symbolic dims and broadcasts Expand targets given as contents', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['B', 3, 'H', 'W']), valueInfo('v', FLOAT, [3, 1]), valueInfo('unknown', INT64, [3])],
      initializer: [int64('target', [2, 1, 6])],
      node: [
        node('Flatten', ['x'], ['f'], [attr.int('axis', -2)]),
        node('Expand', ['v', 'target'], ['e']),
        node('Expand', ['v', 'unknown'], ['partly']),
      ],
    });
    expect(shapeOf(r.typeOf('f'))).toEqual({ dtype: FLOAT, shape: ['B*3', 'H*W'] });
    expect(shapeOf(r.typeOf('e'))).toEqual({ dtype: FLOAT, shape: [2, 3, 6] });
    // 3 can only broadcast against 1 or 3; the 1 takes whatever the target says.
    expect(shapeOf(r.typeOf('partly'))).toEqual({ dtype: FLOAT, shape: [null, 3, null] });
  });

  it('evaluates Expand and Tile of known contents', () => {
    const r = infer({
      initializer: [int64('row', [1, 2], [1, 2]), int64('target', [2, 2]), int64('reps', [2, 1])],
      node: [node('Expand', ['row', 'target'], ['e']), node('Tile', ['row', 'reps'], ['t'])],
    });
    expect(typeOf(r.typeOf('e'))).toEqual({ dtype: INT64, shape: [2, 2], value: [1, 2, 1, 2] });
    expect(typeOf(r.typeOf('t'))).toEqual({ dtype: INT64, shape: [2, 2], value: [1, 2, 1, 2] });
  });
});

describe('Constant, ConstantOfShape, Range, EyeLike', () => {
  it('types every Constant value attribute', () => {
    const values = tensor({ dataType: FLOAT, dims: [2], rawData: leBytes(Float32Array.of(1, 2)) });
    const r = infer({
      node: [
        node('Constant', [], ['f'], [attr.float('value_float', 0)]),
        node('Constant', [], ['fs'], [attr.floats('value_floats', [1, 2, 3])]),
        node('Constant', [], ['i'], [attr.int('value_int', 7)]),
        node('Constant', [], ['is'], [attr.ints('value_ints', [4, 5])]),
        node('Constant', [], ['s'], [attr.string('value_string', 'a')]),
        node('Constant', [], ['sparse'], [attr.sparseTensor('sparse_value', sparseTensor(values, int64('at', [1, 5]), [3, 4]))]),
      ],
    });
    expect(typeOf(r.typeOf('f'))).toEqual({ dtype: FLOAT, shape: [], value: [0] });
    expect(typeOf(r.typeOf('fs'))).toEqual({ dtype: FLOAT, shape: [3], value: [1, 2, 3] });
    expect(typeOf(r.typeOf('i'))).toEqual({ dtype: INT64, shape: [], value: [7] });
    expect(typeOf(r.typeOf('is'))).toEqual({ dtype: INT64, shape: [2], value: [4, 5] });
    expect(shapeOf(r.typeOf('s'))).toEqual({ dtype: STRING, shape: [] });
    expect(shapeOf(r.typeOf('sparse'))).toEqual({ dtype: FLOAT, shape: [3, 4] });
  });

  it('sizes Range from known and symbolic limits', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['S', 8])],
      initializer: [int64('zero', [0], []), int64('one', [1], []), int64('ten', [10], []), int64('three', [3], [])],
      node: [
        node('Range', ['zero', 'ten', 'three'], ['stepped']),
        node('Range', ['ten', 'zero', 'one'], ['empty']),
        node('Shape', ['x'], ['s']),
        node('Gather', ['s', 'zero'], ['seq']),
        node('Range', ['zero', 'seq', 'one'], ['positions']),
        node('ConstantOfShape', ['s'], ['filled'], [attr.tensor('value', tensor({ dataType: INT32, dims: [1], rawData: leBytes(Int32Array.of(1)) }))]),
      ],
    });
    expect(typeOf(r.typeOf('stepped'))).toEqual({ dtype: INT64, shape: [4], value: [0, 3, 6, 9] });
    expect(typeOf(r.typeOf('empty'))).toEqual({ dtype: INT64, shape: [0], value: [] });
    expect(shapeOf(r.typeOf('positions'))).toEqual({ dtype: INT64, shape: ['S'] });
    expect(shapeOf(r.typeOf('filled'))).toEqual({ dtype: INT32, shape: ['S', 8] });
  });

  it('leaves a float Range size unknown where float32 and double division disagree', () => {
    const f = (name: string, v: number) => tensor({ name, dataType: FLOAT, dims: [], rawData: leBytes(Float32Array.of(v)) });
    const r = infer({
      initializer: [f('zero', 0), f('one', 1), f('five', 5), f('two', 2), f('tenth', 0.1), f('three_tenths', 0.3)],
      node: [node('Range', ['one', 'five', 'two'], ['exact']), node('Range', ['zero', 'three_tenths', 'tenth'], ['ambiguous'])],
    });
    expect(shapeOf(r.typeOf('exact'))).toEqual({ dtype: FLOAT, shape: [2] });
    // 0.3f / 0.1f is 3.0000000745 in double (4 elements) but 3 in float32 (3 elements).
    expect(shapeOf(r.typeOf('ambiguous'))).toEqual({ dtype: FLOAT, shape: [null] });
  });

  it('takes EyeLike dtype from the attribute or the input', () => {
    const r = infer({
      input: [valueInfo('x', INT32, [3, 'N'])],
      node: [node('EyeLike', ['x'], ['same']), node('EyeLike', ['x'], ['double'], [attr.int('dtype', DataType.DOUBLE)])],
    });
    expect(shapeOf(r.typeOf('same'))).toEqual({ dtype: INT32, shape: [3, 'N'] });
    expect(shapeOf(r.typeOf('double'))).toEqual({ dtype: DataType.DOUBLE, shape: [3, 'N'] });
  });
});
