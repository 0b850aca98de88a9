import { describe, expect, it } from 'vitest';
import { DataType, type TensorProto } from '../../../engine/core/onnx/index.js';
import { attr, leBytes, node, tensor, valueInfo } from '../../support/build.js';
import { infer, reasonFor, shapeOf, typeOf } from '../../support/shape.js';

const { BOOL, FLOAT, INT64 } = DataType;

function int64(name: string, values: number[], dims: number[] = [values.length]): TensorProto {
  return tensor({ name, dataType: INT64, dims, rawData: leBytes(BigInt64Array.from(values, BigInt)) });
}

function bools(name: string, values: boolean[]): TensorProto {
  return tensor({ name, dataType: BOOL, dims: [values.length], rawData: Uint8Array.from(values, Number) });
}

describe('Gather family', () => {
  it('gathers contents with negative and 2-D indices, and rejects indices out of range', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['B', 'S', 8])],
      initializer: [int64('last', [-1], []), int64('pairs', [0, 2, 1, 0], [2, 2]), int64('far', [3], [])],
      node: [
        node('Shape', ['x'], ['s']),
        node('Gather', ['s', 'last'], ['width']),
        node('Gather', ['s', 'pairs'], ['grid']),
        node('Gather', ['x', 'pairs'], ['rows'], [attr.int('axis', 1)]),
        node('Gather', ['s', 'far'], ['bad'], [], { name: 'bad' }),
      ],
    });
    expect(typeOf(r.typeOf('width'))).toEqual({ dtype: INT64, shape: [], value: [8] });
    expect(typeOf(r.typeOf('grid'))).toEqual({ dtype: INT64, shape: [2, 2], value: ['B', 8, 'S', 'B'] });
    expect(shapeOf(r.typeOf('rows'))).toEqual({ dtype: FLOAT, shape: ['B', 2, 2, 8] });
    expect(reasonFor(r, 'bad')).toMatch(/index 3 is out of range for a dim of 3/);
  });

  it('sizes GatherND with batch_dims and GatherElements by the indices', () => {
    const r = infer({
      input: [valueInfo('data', FLOAT, ['B', 5, 6, 7]), valueInfo('idx', INT64, ['B', 4, 2]), valueInfo('el', INT64, ['B', 1, 6, 7])],
      node: [node('GatherND', ['data', 'idx'], ['nd'], [attr.int('batch_dims', 1)]), node('GatherElements', ['data', 'el'], ['ge'], [attr.int('axis', 1)])],
    });
    expect(shapeOf(r.typeOf('nd'))).toEqual({ dtype: FLOAT, shape: ['B', 4, 7] });
    expect(shapeOf(r.typeOf('ge'))).toEqual({ dtype: FLOAT, shape: ['B', 1, 6, 7] });
  });

  it('inserts OneHot depth at the axis, cast to an integer', () => {
    const r = infer({
      input: [valueInfo('i', INT64, ['B', 'S']), valueInfo('values', FLOAT, [2])],
      initializer: [tensor({ name: 'depth', dataType: FLOAT, dims: [], rawData: leBytes(Float32Array.of(10.7)) })],
      node: [node('OneHot', ['i', 'depth', 'values'], ['y'], [attr.int('axis', 1)])],
    });
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT, shape: ['B', 10, 'S'] });
  });
});

describe('data-dependent sizes', () => {
  it('names sizes after the node unless the data is known', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, [3, 'N']), valueInfo('mask', BOOL, [3])],
      initializer: [int64('known', [0, 3, 0, 7], [2, 2]), bools('keep', [true, false, true])],
      node: [
        node('NonZero', ['x'], ['nz'], [], { name: 'nz' }),
        node('NonZero', ['known'], ['nz_known']),
        node('Compress', ['x', 'mask'], ['picked'], [attr.int('axis', 0)], { name: 'pick' }),
        node('Compress', ['x', 'keep'], ['kept'], [attr.int('axis', 0)]),
        node('Unique', ['x'], ['u', 'first', 'inverse', 'counts'], [], { name: 'uniq' }),
        node('Unique', ['x'], ['rows', 'rows_first', 'rows_inverse', 'rows_counts'], [attr.int('axis', -1)], { name: 'urows' }),
      ],
    });
    expect(shapeOf(r.typeOf('nz'))).toEqual({ dtype: INT64, shape: [2, 'nz_nonzero'] });
    expect(typeOf(r.typeOf('nz_known'))).toEqual({ dtype: INT64, shape: [2, 2], value: [0, 1, 1, 1] });
    expect(shapeOf(r.typeOf('picked'))).toEqual({ dtype: FLOAT, shape: ['pick_selected', 'N'] });
    expect(shapeOf(r.typeOf('kept'))).toEqual({ dtype: FLOAT, shape: [2, 'N'] });
    expect([r.typeOf('u'), r.typeOf('inverse'), r.typeOf('counts')].map(shapeOf)).toEqual([
      { dtype: FLOAT, shape: ['uniq_unique'] },
      { dtype: INT64, shape: ['3*N'] },
      { dtype: INT64, shape: ['uniq_unique'] },
    ]);
    expect([r.typeOf('rows'), r.typeOf('rows_inverse')].map(shapeOf)).toEqual([
      { dtype: FLOAT, shape: [3, 'urows_unique'] },
      { dtype: INT64, shape: ['N'] },
    ]);
  });

  it('cuts the TopK axis to k from the opset 1 attribute or the input', () => {
    const x = valueInfo('x', FLOAT, ['B', 100]);
    const v1 = infer({ input: [x], node: [node('TopK', ['x'], ['v', 'i'], [attr.int('k', 5)])] }, 1);
    expect([shapeOf(v1.typeOf('v')), shapeOf(v1.typeOf('i'))]).toEqual([
      { dtype: FLOAT, shape: ['B', 5] },
      { dtype: INT64, shape: ['B', 5] },
    ]);
    const v11 = infer({ input: [x], initializer: [int64('k', [200])], node: [node('TopK', ['x', 'k'], ['v', 'i'], [], { name: 'big' })] }, 11);
    expect(reasonFor(v11, 'big')).toMatch(/k 200 is out of range/);
  });
});
