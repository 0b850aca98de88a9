import { describe, expect, it } from 'vitest';
import { DataType, type TensorProto } from '../../../engine/core/onnx/index.js';
import { attr, leBytes, node, tensor, valueInfo } from '../../support/build.js';
import { infer, shapeOf } from '../../support/shape.js';

const { FLOAT, INT64 } = DataType;

function int64(name: string, values: number[], dims: number[] = []): TensorProto {
  return tensor({ name, dataType: INT64, dims, rawData: leBytes(BigInt64Array.from(values, BigInt)) });
}

describe('DFT', () => {
  it('resizes the signal axis on symbolic dims: opset 20 axis input, one-sided and inverse one-sided', () => {
    const r = infer(
      {
        input: [valueInfo('x', FLOAT, ['B', 'T', 1]), valueInfo('z', FLOAT, ['B', 'K', 2])],
        initializer: [int64('axis', [-2]), int64('n', [512])],
        node: [
          node('DFT', ['x', '', 'axis'], ['rfft'], [attr.int('onesided', 1)]),
          node('DFT', ['x'], ['full']),
          node('DFT', ['z', '', 'axis'], ['irfft'], [attr.int('onesided', 1), attr.int('inverse', 1)]),
          node('DFT', ['x', 'n'], ['padded'], [attr.int('onesided', 1)]),
        ],
      },
      20,
    );
    expect(shapeOf(r.typeOf('rfft'))).toEqual({ dtype: FLOAT, shape: ['B', 'floor(T/2)+1', 2] });
    expect(shapeOf(r.typeOf('full'))).toEqual({ dtype: FLOAT, shape: ['B', 'T', 2] });
    expect(shapeOf(r.typeOf('irfft'))).toEqual({ dtype: FLOAT, shape: ['B', '2*(K-1)', 1] });
    expect(shapeOf(r.typeOf('padded'))).toEqual({ dtype: FLOAT, shape: ['B', 257, 2] });
  });

  it('reads the axis attribute (default 1) in opset 17 and leaves the axis unknown when opset 20 gets it at run time', () => {
    const r17 = infer(
      { input: [valueInfo('x', FLOAT, [2, 8, 6, 1])], node: [node('DFT', ['x'], ['a'], [attr.int('onesided', 1)]), node('DFT', ['x'], ['b'], [attr.int('axis', -2), attr.int('onesided', 1)])] },
      17,
    );
    expect(shapeOf(r17.typeOf('a'))).toEqual({ dtype: FLOAT, shape: [2, 5, 6, 2] });
    expect(shapeOf(r17.typeOf('b'))).toEqual({ dtype: FLOAT, shape: [2, 8, 4, 2] });
    const r20 = infer({ input: [valueInfo('x', FLOAT, [2, 8, 1]), valueInfo('axis', INT64, [])], node: [node('DFT', ['x', '', 'axis'], ['y'], [attr.int('onesided', 1)])] }, 20);
    expect(shapeOf(r20.typeOf('y'))).toEqual({ dtype: FLOAT, shape: [null, null, 2] });
  });
});

describe('STFT and windows', () => {
  it('counts frames symbolically from the signal length', () => {
    const r = infer(
      {
        input: [valueInfo('signal', FLOAT, ['B', 'L', 1])],
        initializer: [int64('step', [160]), int64('size', [400])],
        node: [node('HannWindow', ['size'], ['window']), node('STFT', ['signal', 'step', 'window'], ['spec']), node('STFT', ['signal', 'step', '', 'size'], ['full'], [attr.int('onesided', 0)])],
      },
      17,
    );
    expect(shapeOf(r.typeOf('window'))).toEqual({ dtype: FLOAT, shape: [400] });
    expect(shapeOf(r.typeOf('spec'))).toEqual({ dtype: FLOAT, shape: ['B', 'floor((L-400)/160)+1', 201, 2] });
    expect(shapeOf(r.typeOf('full'))).toEqual({ dtype: FLOAT, shape: ['B', 'floor((L-400)/160)+1', 400, 2] });
  });

  it('sizes MelWeightMatrix from known inputs', () => {
    const r = infer(
      {
        input: [valueInfo('rate', INT64, []), valueInfo('lo', FLOAT, []), valueInfo('hi', FLOAT, [])],
        initializer: [int64('bins', [80]), int64('n', [400])],
        node: [node('MelWeightMatrix', ['bins', 'n', 'rate', 'lo', 'hi'], ['mel'], [attr.int('output_datatype', DataType.DOUBLE)])],
      },
      17,
    );
    expect(shapeOf(r.typeOf('mel'))).toEqual({ dtype: DataType.DOUBLE, shape: [201, 80] });
  });
});
