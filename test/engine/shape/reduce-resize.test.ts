import { describe, expect, it } from 'vitest';
import { DataType, type TensorProto } from '../../../engine/core/onnx/index.js';
import { attr, leBytes, node, tensor, valueInfo } from '../../support/build.js';
import { infer, shapeOf, typeOf } from '../../support/shape.js';

const { FLOAT, INT64 } = DataType;

function int64(name: string, values: number[], dims: number[] = [values.length]): TensorProto {
  return tensor({ name, dataType: INT64, dims, rawData: leBytes(BigInt64Array.from(values, BigInt)) });
}

function floats(name: string, values: number[]): TensorProto {
  return tensor({ name, dataType: FLOAT, dims: [values.length], rawData: leBytes(Float32Array.from(values)) });
}

describe('reductions', () => {
  it('takes axes as an attribute before opset 18 (13 for ReduceSum) and as an input after', () => {
    const x = valueInfo('x', FLOAT, ['B', 'S', 8]);
    const v13 = infer(
      { input: [x], initializer: [int64('axes', [1])], node: [node('ReduceMean', ['x'], ['mean'], [attr.ints('axes', [-1])]), node('ReduceSum', ['x', 'axes'], ['sum'], [attr.int('keepdims', 0)])] },
      13,
    );
    expect(shapeOf(v13.typeOf('mean'))).toEqual({ dtype: FLOAT, shape: ['B', 'S', 1] });
    expect(shapeOf(v13.typeOf('sum'))).toEqual({ dtype: FLOAT, shape: ['B', 8] });
    const v18 = infer({
      input: [x, valueInfo('unknown_axes', INT64, [1])],
      initializer: [int64('none', [], [0])],
      node: [
        node('ReduceMax', ['x'], ['all'], [attr.int('keepdims', 0)]),
        node('ReduceL2', ['x', 'none'], ['noop'], [attr.int('noop_with_empty_axes', 1)]),
        node('ReduceMin', ['x', 'unknown_axes'], ['kept']),
        node('ReduceMin', ['x', 'unknown_axes'], ['dropped'], [attr.int('keepdims', 0)]),
        node('ArgMax', ['x'], ['arg'], [attr.int('axis', -2), attr.int('keepdims', 0), attr.int('select_last_index', 1)]),
      ],
    });
    expect(shapeOf(v18.typeOf('all'))).toEqual({ dtype: FLOAT, shape: [] });
    expect(shapeOf(v18.typeOf('noop'))).toEqual({ dtype: FLOAT, shape: ['B', 'S', 8] });
    expect(shapeOf(v18.typeOf('kept'))).toEqual({ dtype: FLOAT, shape: [null, null, null] });
    expect(shapeOf(v18.typeOf('dropped'))).toEqual({ dtype: FLOAT, shape: [null, null] });
    expect(shapeOf(v18.typeOf('arg'))).toEqual({ dtype: INT64, shape: ['B', 8] });
  });

  it('evaluates ReduceSum, ReduceProd, ReduceMax and ReduceMin of known contents per axis', () => {
    const r = infer({
      initializer: [int64('m', [1, 5, 3, 2], [2, 2]), int64('cols', [0])],
      node: [
        node('ReduceSum', ['m', 'cols'], ['sum']),
        node('ReduceProd', ['m'], ['prod'], [attr.int('keepdims', 0)]),
        node('ReduceMax', ['m'], ['max'], [attr.int('keepdims', 0)]),
        node('ReduceMin', ['m', 'cols'], ['min'], [attr.int('keepdims', 0)]),
      ],
    });
    expect(typeOf(r.typeOf('sum'))).toEqual({ dtype: INT64, shape: [1, 2], value: [4, 7] });
    expect(typeOf(r.typeOf('prod'))).toEqual({ dtype: INT64, shape: [], value: [30] });
    expect(typeOf(r.typeOf('max'))).toEqual({ dtype: INT64, shape: [], value: [5] });
    expect(typeOf(r.typeOf('min'))).toEqual({ dtype: INT64, shape: [2], value: [1, 2] });
  });
});

describe('Resize and Upsample', () => {
  it('floors dims times scales in float32, and scales symbolic dims by whole numbers only', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['N', 3, 'H', 10])],
      initializer: [floats('up', [1, 1, 2, 0.7]), floats('half', [1, 1, 0.5, 1])],
      node: [node('Resize', ['x', '', 'up'], ['y']), node('Resize', ['x', '', 'half'], ['z'])],
    });
    // 10 * 0.7f rounds to 7 in float32; in double it would be 6.9999999.
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT, shape: ['N', 3, 'H*2', 7] });
    expect(shapeOf(r.typeOf('z'))).toEqual({ dtype: FLOAT, shape: ['N', 3, null, 10] });
  });

  it('takes sizes for the listed axes and keeps the aspect ratio when asked (opset 18)', () => {
    const r = infer(
      {
        input: [valueInfo('x', FLOAT, [1, 3, 480, 640]), valueInfo('empty', FLOAT, [0])],
        initializer: [int64('sizes', [224, 224]), int64('all', [1, 3, 100, 100])],
        node: [
          node('Resize', ['x', '', '', 'sizes'], ['stretch'], [attr.ints('axes', [2, 3])]),
          node('Resize', ['x', '', '', 'sizes'], ['fit'], [attr.ints('axes', [2, 3]), attr.string('keep_aspect_ratio_policy', 'not_larger')]),
          node('Resize', ['x', '', '', 'sizes'], ['cover'], [attr.ints('axes', [2, 3]), attr.string('keep_aspect_ratio_policy', 'not_smaller')]),
          node('Resize', ['x', '', 'empty', 'all'], ['sized']),
        ],
      },
      18,
    );
    expect(shapeOf(r.typeOf('stretch'))).toEqual({ dtype: FLOAT, shape: [1, 3, 224, 224] });
    expect(shapeOf(r.typeOf('fit'))).toEqual({ dtype: FLOAT, shape: [1, 3, 168, 224] });
    expect(shapeOf(r.typeOf('cover'))).toEqual({ dtype: FLOAT, shape: [1, 3, 224, 299] });
    expect(shapeOf(r.typeOf('sized'))).toEqual({ dtype: FLOAT, shape: [1, 3, 100, 100] });
  });

  it('reads scales at input 1 in opset 10, and Upsample scales from attributes before opset 9', () => {
    const x = valueInfo('x', FLOAT, [1, 3, 'H', 4]);
    const v10 = infer({ input: [x], initializer: [floats('s', [1, 1, 2, 2])], node: [node('Resize', ['x', 's'], ['y'])] }, 10);
    expect(shapeOf(v10.typeOf('y'))).toEqual({ dtype: FLOAT, shape: [1, 3, 'H*2', 8] });
    const v7 = infer({ input: [x], node: [node('Upsample', ['x'], ['y'], [attr.floats('scales', [1, 1, 2, 1.5])])] }, 7);
    expect(shapeOf(v7.typeOf('y'))).toEqual({ dtype: FLOAT, shape: [1, 3, 'H*2', 6] });
    const v1 = infer({ input: [x], node: [node('Upsample', ['x'], ['y'], [attr.float('height_scale', 3), attr.float('width_scale', 2)])] }, 1);
    expect(shapeOf(v1.typeOf('y'))).toEqual({ dtype: FLOAT, shape: [1, 3, 'H*3', 8] });
  });

  it('folds Col2Im columns back into an image', () => {
    const r = infer({
      input: [valueInfo('cols', FLOAT, ['N', 27, 'L'])],
      initializer: [int64('image', [5, 5]), int64('block', [3, 3])],
      node: [node('Col2Im', ['cols', 'image', 'block'], ['img'])],
    });
    expect(shapeOf(r.typeOf('img'))).toEqual({ dtype: FLOAT, shape: ['N', 3, 5, 5] });
  });
});
