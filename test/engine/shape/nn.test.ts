import { describe, expect, it } from 'vitest';
import { DataType, type TensorProto } from '../../../engine/core/onnx/index.js';
import { attr, leBytes, node, tensor, valueInfo } from '../../support/build.js';
import { infer, shapeOf } from '../../support/shape.js';

const { FLOAT, FLOAT16, INT64, UINT8 } = DataType;
const MS = { domain: 'com.microsoft' };

function int64(name: string, values: number[], dims: number[] = [values.length]): TensorProto {
  return tensor({ name, dataType: INT64, dims, rawData: leBytes(BigInt64Array.from(values, BigInt)) });
}

describe('convolution output sizes', () => {
  it('computes symbolic spatial dims for pads, strides, dilations and auto_pad', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['N', 3, 'H', 'W']), valueInfo('w', FLOAT, [16, 3, 3, 3])],
      node: [
        node('Conv', ['x', 'w'], ['padded'], [attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [2, 2])]),
        node('Conv', ['x', 'w'], ['same'], [attr.string('auto_pad', 'SAME_UPPER'), attr.ints('strides', [2, 2])]),
        node('Conv', ['x', 'w'], ['keep'], [attr.ints('pads', [1, 1, 1, 1])]),
        node('Conv', ['x', 'w'], ['dilated'], [attr.ints('dilations', [2, 2])]),
        node('FusedConv', ['x', 'w'], ['fused'], [attr.string('activation', 'Relu'), attr.ints('pads', [1, 1, 1, 1])], MS),
      ],
    });
    expect(shapeOf(r.typeOf('padded'))).toEqual({ dtype: FLOAT, shape: ['N', 16, 'floor((H+1)/2)', 'floor((W+1)/2)'] });
    expect(shapeOf(r.typeOf('same'))).toEqual({ dtype: FLOAT, shape: ['N', 16, 'ceil(H/2)', 'ceil(W/2)'] });
    expect(shapeOf(r.typeOf('keep'))).toEqual({ dtype: FLOAT, shape: ['N', 16, 'H', 'W'] });
    expect(shapeOf(r.typeOf('dilated'))).toEqual({ dtype: FLOAT, shape: ['N', 16, 'H-4', 'W-4'] });
    expect(shapeOf(r.typeOf('fused'))).toEqual({ dtype: FLOAT, shape: ['N', 16, 'H', 'W'] });
  });

  it('leaves a dim unknown when auto_pad and explicit pads disagree, and rejects a channel mismatch', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, [1, 4, 8, 'W']), valueInfo('w', FLOAT, [8, 4, 3, 3]), valueInfo('w3', FLOAT, [8, 3, 3, 3])],
      node: [
        node('Conv', ['x', 'w'], ['both'], [attr.string('auto_pad', 'SAME_UPPER'), attr.ints('pads', [0, 0, 0, 0])]),
        node('Conv', ['x', 'w3'], ['bad'], [], { name: 'bad_conv' }),
      ],
    });
    expect(shapeOf(r.typeOf('both'))).toEqual({ dtype: FLOAT, shape: [1, 8, null, null] });
    const bad = [...r.unknown.values()].find((u) => u.node.name === 'bad_conv');
    expect(bad?.reason).toMatch(/4 channels/);
  });

  it('sizes ConvTranspose from strides and pads, from output_shape, and only trusts SAME when runtimes agree', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['N', 4, 'H', 'W']), valueInfo('w', FLOAT, [4, 2, 4, 4]), valueInfo('x1', FLOAT, [1, 1, 3, 3]), valueInfo('w1', FLOAT, [1, 1, 3, 3])],
      node: [
        node('ConvTranspose', ['x', 'w'], ['up'], [attr.int('group', 2), attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])]),
        node('ConvTranspose', ['x', 'w'], ['given'], [attr.int('group', 2), attr.ints('output_shape', [10, 8])]),
        node('ConvTranspose', ['x', 'w'], ['same'], [attr.int('group', 2), attr.ints('strides', [2, 2]), attr.string('auto_pad', 'SAME_UPPER')]),
        node('ConvTranspose', ['x', 'w'], ['same_padded'], [attr.int('group', 2), attr.ints('strides', [2, 2]), attr.string('auto_pad', 'SAME_UPPER'), attr.ints('output_padding', [1, 1])]),
        node('ConvTranspose', ['x1', 'w1'], ['adjusted'], [attr.ints('strides', [3, 2]), attr.ints('output_padding', [1, 1])]),
      ],
    });
    expect(shapeOf(r.typeOf('up'))).toEqual({ dtype: FLOAT, shape: ['N', 4, 'H*2', 'W*2'] });
    expect(shapeOf(r.typeOf('given'))).toEqual({ dtype: FLOAT, shape: ['N', 4, 10, 8] });
    expect(shapeOf(r.typeOf('same'))).toEqual({ dtype: FLOAT, shape: ['N', 4, 'H*2', 'W*2'] });
    expect(shapeOf(r.typeOf('same_padded'))).toEqual({ dtype: FLOAT, shape: ['N', 4, null, null] });
    expect(shapeOf(r.typeOf('adjusted'))).toEqual({ dtype: FLOAT, shape: [1, 1, 10, 8] });
  });
});

describe('pooling', () => {
  it('drops a ceil_mode window that would start in the end padding, symbolically only when that cannot happen', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, [1, 1, 5, 5]), valueInfo('s', FLOAT, [1, 1, 'H', 'W'])],
      node: [
        node('MaxPool', ['x'], ['y', 'i'], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1]), attr.int('ceil_mode', 1)]),
        node('MaxPool', ['s'], ['k3'], [attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2]), attr.int('ceil_mode', 1)]),
        node('MaxPool', ['s'], ['k2'], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2]), attr.int('ceil_mode', 1)]),
        node('MaxPool', ['s'], ['k2_padded'], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1]), attr.int('ceil_mode', 1)]),
      ],
    });
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT, shape: [1, 1, 3, 3] });
    expect(shapeOf(r.typeOf('i'))).toEqual({ dtype: INT64, shape: [1, 1, 3, 3] });
    expect(shapeOf(r.typeOf('k3'))).toEqual({ dtype: FLOAT, shape: [1, 1, 'ceil((H-1)/2)', 'ceil((W-1)/2)'] });
    expect(shapeOf(r.typeOf('k2'))).toEqual({ dtype: FLOAT, shape: [1, 1, 'ceil(H/2)', 'ceil(W/2)'] });
    // With end padding, whether the last window starts in it depends on the size (5 drops one, 4 does not).
    expect(shapeOf(r.typeOf('k2_padded'))).toEqual({ dtype: FLOAT, shape: [1, 1, null, null] });
  });

  it('knows VALID with ceil_mode only where the floor and ceil readings agree', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, [1, 1, 5, 6])],
      node: [node('AveragePool', ['x'], ['y'], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2]), attr.string('auto_pad', 'VALID'), attr.int('ceil_mode', 1)])],
    });
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT, shape: [1, 1, null, 3] });
  });

  it('handles global, ROI and unpooling shapes', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['N', 256, 'H', 'W']), valueInfo('rois', FLOAT, ['R', 4]), valueInfo('rois5', FLOAT, ['R', 5]), valueInfo('idx', INT64, ['R'])],
      initializer: [int64('out_shape', [1, 256, 5, 5])],
      node: [
        node('GlobalAveragePool', ['x'], ['gap']),
        node('RoiAlign', ['x', 'rois', 'idx'], ['aligned'], [attr.int('output_height', 7), attr.int('output_width', 7)]),
        node('MaxRoiPool', ['x', 'rois5'], ['roipool'], [attr.ints('pooled_shape', [6, 6])]),
        node('MaxUnpool', ['x', 'x'], ['unpooled'], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])]),
        node('MaxUnpool', ['x', 'x', 'out_shape'], ['unpooled_to'], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])]),
      ],
    });
    expect(shapeOf(r.typeOf('gap'))).toEqual({ dtype: FLOAT, shape: ['N', 256, 1, 1] });
    expect(shapeOf(r.typeOf('aligned'))).toEqual({ dtype: FLOAT, shape: ['R', 256, 7, 7] });
    expect(shapeOf(r.typeOf('roipool'))).toEqual({ dtype: FLOAT, shape: ['R', 256, 6, 6] });
    expect(shapeOf(r.typeOf('unpooled'))).toEqual({ dtype: FLOAT, shape: ['N', 256, 'H*2', 'W*2'] });
    expect(shapeOf(r.typeOf('unpooled_to'))).toEqual({ dtype: FLOAT, shape: [1, 256, 5, 5] });
  });

  it('pools channels-last tensors for ONNX Runtime quantized pools', () => {
    const r = infer({
      input: [valueInfo('x', UINT8, ['N', 'H', 'W', 32])],
      node: [
        node('QLinearGlobalAveragePool', ['x', 's', 'z', 's', 'z'], ['gap'], [attr.int('channels_last', 1)], MS),
        node('QLinearAveragePool', ['x', 's', 'z', 's', 'z'], ['ap'], [attr.int('channels_last', 1), attr.ints('kernel_shape', [3, 3]), attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])], MS),
      ],
    });
    expect(shapeOf(r.typeOf('gap'))).toEqual({ dtype: UINT8, shape: ['N', 1, 1, 32] });
    expect(shapeOf(r.typeOf('ap'))).toEqual({ dtype: UINT8, shape: ['N', 'floor((H+1)/2)', 'floor((W+1)/2)', 32] });
  });
});

describe('normalization', () => {
  it('shapes LayerNormalization statistics from the axis, of stash_type', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT16, ['B', 'S', 768]), valueInfo('scale', FLOAT16, [768])],
      node: [
        node('LayerNormalization', ['x', 'scale'], ['y', 'mean', 'inv']),
        node('LayerNormalization', ['x', 'scale'], ['y1', 'mean1'], [attr.int('axis', 1)]),
        node('LayerNormalization', ['x', 'scale'], ['y2'], [attr.int('axis', 3)], { name: 'bad_axis' }),
      ],
    });
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT16, shape: ['B', 'S', 768] });
    expect(shapeOf(r.typeOf('mean'))).toEqual({ dtype: FLOAT, shape: ['B', 'S', 1] });
    expect(shapeOf(r.typeOf('inv'))).toEqual({ dtype: FLOAT, shape: ['B', 'S', 1] });
    expect(shapeOf(r.typeOf('mean1'))).toEqual({ dtype: FLOAT, shape: ['B', 1, 1] });
    expect([...r.unknown.values()].find((u) => u.node.name === 'bad_axis')?.reason).toMatch(/axis 3/);
  });

  it('gives BatchNormalization the five outputs of opset 9 and the running statistics of opset 15', () => {
    const stats = ['scale', 'bias', 'mean', 'var'].map((n) => valueInfo(n, FLOAT, [3]));
    const g = (outputs: string[]) => ({ input: [valueInfo('x', FLOAT, ['N', 3, 'H', 'W']), ...stats], node: [node('BatchNormalization', ['x', 'scale', 'bias', 'mean', 'var'], outputs)] });
    const r9 = infer(g(['y', 'm', 'v', 'sm', 'sv']), 9);
    for (const name of ['m', 'v', 'sm', 'sv']) expect(shapeOf(r9.typeOf(name))).toEqual({ dtype: FLOAT, shape: [3] });
    const r15 = infer(g(['y', 'rm', 'rv']), 15);
    expect(shapeOf(r15.typeOf('y'))).toEqual({ dtype: FLOAT, shape: ['N', 3, 'H', 'W'] });
    expect(shapeOf(r15.typeOf('rv'))).toEqual({ dtype: FLOAT, shape: [3] });
  });
});

describe('grids and attention', () => {
  it('samples 3-D grids and builds an affine grid from a known size', () => {
    const r = infer({
      input: [valueInfo('x', FLOAT, ['N', 'C', 'D', 'H', 'W']), valueInfo('grid', FLOAT, ['N', 'd', 'h', 'w', 3]), valueInfo('theta', FLOAT, ['N', 2, 3])],
      initializer: [int64('size', [2, 3, 32, 48])],
      node: [node('GridSample', ['x', 'grid'], ['sampled']), node('AffineGrid', ['theta', 'size'], ['affine'])],
    });
    expect(shapeOf(r.typeOf('sampled'))).toEqual({ dtype: FLOAT, shape: ['N', 'C', 'd', 'h', 'w'] });
    expect(shapeOf(r.typeOf('affine'))).toEqual({ dtype: FLOAT, shape: [2, 32, 48, 2] });
  });

  it('shapes opset 23 Attention for 3-D inputs with a KV cache and for 4-D inputs', () => {
    const r = infer(
      {
        input: [
          valueInfo('q', FLOAT, ['B', 'S', 64]),
          valueInfo('k', FLOAT, ['B', 'S', 16]),
          valueInfo('v', FLOAT, ['B', 'S', 24]),
          valueInfo('past_k', FLOAT, ['B', 2, 'P', 8]),
          valueInfo('past_v', FLOAT, ['B', 2, 'P', 12]),
          valueInfo('q4', FLOAT, ['B', 8, 'S', 64]),
          valueInfo('k4', FLOAT, ['B', 2, 'T', 64]),
          valueInfo('v4', FLOAT, ['B', 2, 'T', 32]),
        ],
        node: [
          node('Attention', ['q', 'k', 'v', '', 'past_k', 'past_v'], ['y', 'present_k', 'present_v', 'qk'], [attr.int('q_num_heads', 8), attr.int('kv_num_heads', 2)]),
          node('Attention', ['q4', 'k4', 'v4'], ['y4', '', '', 'qk4']),
        ],
      },
      23,
    );
    expect(shapeOf(r.typeOf('y'))).toEqual({ dtype: FLOAT, shape: ['B', 'S', 96] });
    expect(shapeOf(r.typeOf('present_k'))).toEqual({ dtype: FLOAT, shape: ['B', 2, 'P+S', 8] });
    expect(shapeOf(r.typeOf('present_v'))).toEqual({ dtype: FLOAT, shape: ['B', 2, 'P+S', 12] });
    expect(shapeOf(r.typeOf('qk'))).toEqual({ dtype: FLOAT, shape: ['B', 8, 'S', 'P+S'] });
    expect(shapeOf(r.typeOf('y4'))).toEqual({ dtype: FLOAT, shape: ['B', 8, 'S', 32] });
    expect(shapeOf(r.typeOf('qk4'))).toEqual({ dtype: FLOAT, shape: ['B', 8, 'S', 'T'] });
  });
});
