import { describe, expect, it } from 'vitest';
import { DataType } from '../../../engine/core/onnx/index.js';
import { attr, node, valueInfo } from '../../support/build.js';
import { infer, reasonFor, shapeOf } from '../../support/shape.js';

const { FLOAT, FLOAT16, INT8, UINT8 } = DataType;

describe('QuantizeLinear', () => {
  it('types y by the zero point, else output_dtype, else uint8', () => {
    const r = infer(
      {
        input: [valueInfo('x', FLOAT, ['N', 16]), valueInfo('s', FLOAT, []), valueInfo('z8', INT8, []), valueInfo('zu8', UINT8, [])],
        node: [
          node('QuantizeLinear', ['x', 's'], ['default']),
          node('QuantizeLinear', ['x', 's', 'z8'], ['by_zero_point']),
          node('QuantizeLinear', ['x', 's'], ['by_attribute'], [attr.int('output_dtype', INT8)]),
          node('QuantizeLinear', ['x', 's', 'zu8'], ['conflict'], [attr.int('output_dtype', INT8)], { name: 'conflict' }),
        ],
      },
      21,
    );
    expect(shapeOf(r.typeOf('default'))).toEqual({ dtype: UINT8, shape: ['N', 16] });
    expect(shapeOf(r.typeOf('by_zero_point'))).toEqual({ dtype: INT8, shape: ['N', 16] });
    expect(shapeOf(r.typeOf('by_attribute'))).toEqual({ dtype: INT8, shape: ['N', 16] });
    expect(reasonFor(r, 'conflict')).toMatch(/output_dtype/);
  });

  it('checks per-axis and blocked scales against x', () => {
    const r = infer(
      {
        input: [valueInfo('x', FLOAT, [4, 64]), valueInfo('axis_ok', FLOAT, [64]), valueInfo('axis_bad', FLOAT, [8]), valueInfo('block_ok', FLOAT, [4, 2]), valueInfo('block_bad', FLOAT, [4, 3])],
        node: [
          node('QuantizeLinear', ['x', 'axis_ok'], ['a']),
          node('QuantizeLinear', ['x', 'axis_bad'], ['b'], [], { name: 'axis_bad' }),
          node('QuantizeLinear', ['x', 'block_ok'], ['c'], [attr.int('block_size', 32)]),
          node('QuantizeLinear', ['x', 'block_bad'], ['d'], [attr.int('block_size', 32)], { name: 'block_bad' }),
        ],
      },
      21,
    );
    expect(shapeOf(r.typeOf('a'))).toEqual({ dtype: UINT8, shape: [4, 64] });
    expect(shapeOf(r.typeOf('c'))).toEqual({ dtype: UINT8, shape: [4, 64] });
    expect(reasonFor(r, 'axis_bad')).toMatch(/does not fit X at axis 1/);
    expect(reasonFor(r, 'block_bad')).toMatch(/in blocks of 32/);
  });
});

describe('DequantizeLinear', () => {
  it('gives float before opset 19 and the scale type from then on', () => {
    const g = { input: [valueInfo('x', INT8, ['N', 16]), valueInfo('s', FLOAT16, [])], node: [node('DequantizeLinear', ['x', 's'], ['y'])] };
    expect(shapeOf(infer(g, 13).typeOf('y'))).toEqual({ dtype: FLOAT, shape: ['N', 16] });
    expect(shapeOf(infer(g, 19).typeOf('y'))).toEqual({ dtype: FLOAT16, shape: ['N', 16] });
    const contrib = { ...g, node: [node('DequantizeLinear', ['x', 's'], ['y'], [], { domain: 'com.microsoft' })] };
    expect(shapeOf(infer(contrib, 13).typeOf('y'))).toEqual({ dtype: FLOAT16, shape: ['N', 16] });
  });
});

describe('DynamicQuantizeLinear', () => {
  it('returns uint8 data with scalar scale and zero point', () => {
    const r = infer({ input: [valueInfo('x', FLOAT, ['B', 'S', 768])], node: [node('DynamicQuantizeLinear', ['x'], ['y', 's', 'z'])] }, 11);
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: UINT8, shape: ['B', 'S', 768] });
    expect(shapeOf(r.typeOf('s'))).toEqual({ dtype: FLOAT, shape: [] });
    expect(shapeOf(r.typeOf('z'))).toEqual({ dtype: UINT8, shape: [] });
  });
});
