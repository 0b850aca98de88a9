import { describe, expect, it } from 'vitest';
import type { NodeProto, ValueInfoProto } from '../../../engine/core/onnx/index.js';
import { attr, graph, node, valueInfo } from '../../support/build.js';
import { F, analyze, f32 } from './helpers.js';

const named = (name: string, op: string, inputs: string[], outputs: string[], attrs = [] as ReturnType<typeof attr.int>[]): NodeProto => node(op, inputs, outputs, attrs, { name });
const pads1 = [attr.ints('pads', [1, 1, 1, 1])];

/** x 1×3×8×8 → Conv (4 filters 3×3, same size) → c 1×4×8×8 = 1,024 bytes → tail. */
function convInto(tail: NodeProto[], extra: { outputs?: ValueInfoProto[]; bias?: boolean } = {}) {
  return graph({
    input: [valueInfo('x', F, [1, 3, 8, 8])],
    output: extra.outputs ?? [valueInfo('y', F)],
    initializer: [f32('w', [4, 3, 3, 3]), f32('b', [4]), f32('scale', [4]), f32('shift', [4]), f32('mean', [4]), f32('var', [4]), f32('k', [4, 1, 1]), f32('half', [])],
    node: [named('conv', 'Conv', extra.bias ? ['x', 'w', 'b'] : ['x', 'w'], ['c'], pads1), ...tail],
  });
}

const bn = (input: string, output: string) => named('bn', 'BatchNormalization', [input, 'scale', 'shift', 'mean', 'var'], [output]);

describe('convolution fusions', () => {
  it('folds BatchNormalization into the Conv, then fuses the Relu into a FusedConv', () => {
    const g = convInto([bn('c', 'n'), named('relu', 'Relu', ['n'], ['y'])]);
    const basic = analyze(g, { optimizationLevel: 'basic' });
    // c is no longer written and read (2 × 1,024); BN's four 16-byte parameters are no longer read,
    // and the Conv gains a 16-byte bias (BN's shifted B).
    expect(basic.fusions).toEqual([
      { pattern: 'Conv+BatchNormalization', transformer: 'ConvBNFusion', level: 'basic', kernel: 'Conv', nodes: ['conv', 'bn'], eliminated: [{ name: 'c', bytes: 1024 }], savedBytes: 2048 + 64 - 16 },
    ]);
    const extended = analyze(g, { optimizationLevel: 'extended' });
    expect(extended.fusions[1]).toEqual({
      pattern: 'Conv+Relu',
      transformer: 'ConvActivationFusion',
      level: 'extended',
      kernel: 'com.microsoft.FusedConv',
      nodes: ['conv', 'bn', 'relu'],
      eliminated: [{ name: 'n', bytes: 1024 }],
      savedBytes: 2048,
    });
    expect(extended.fusedTrafficBytes).toBe(extended.trafficBytes - 2096 - 2048);
  });

  it('fuses only through a tensor with a single reader that is not a graph output', () => {
    const readTwice = convInto([bn('c', 'n'), named('relu', 'Relu', ['n'], ['y']), named('peek', 'Sigmoid', ['c'], ['p'])], { outputs: [valueInfo('y', F), valueInfo('p', F)] });
    expect(analyze(readTwice).fusions).toEqual([]);
    const exposed = convInto([bn('c', 'n'), named('relu', 'Relu', ['n'], ['y'])], { outputs: [valueInfo('y', F), valueInfo('c', F)] });
    expect(analyze(exposed).fusions).toEqual([]);
    // n read twice: BN still folds into the Conv, but no activation fuses.
    const branch = convInto([bn('c', 'n'), named('relu', 'Relu', ['n'], ['r']), named('add', 'Add', ['n', 'r'], ['y'])]);
    expect(analyze(branch).fusions.map((f) => f.pattern)).toEqual(['Conv+BatchNormalization']);
  });

  it('folds a per-channel constant Add as the bias, and a constant Mul into the weights', () => {
    const withBias = analyze(convInto([named('add', 'Add', ['c', 'k'], ['y'])], { bias: true }));
    // The Conv's bias absorbs k (same size): c's 2 × 1,024 and k's 16 bytes are saved.
    expect(withBias.fusions).toMatchObject([{ pattern: 'Conv+Add(constant)', transformer: 'ConvAddFusion', kernel: 'Conv', savedBytes: 2048 + 16 }]);
    // Without a bias, k becomes it: only c is saved.
    expect(analyze(convInto([named('add', 'Add', ['c', 'k'], ['y'])])).fusions).toMatchObject([{ savedBytes: 2048 }]);
    const scaled = analyze(convInto([named('mul', 'Mul', ['c', 'half'], ['y'])]));
    expect(scaled.fusions).toMatchObject([{ pattern: 'Conv+Mul(constant)', transformer: 'ConvMulFusion', savedBytes: 2048 + 4 }]);
  });

  it('fuses Clip only when its bounds are constants', () => {
    const clip = (max: string) =>
      graph({
        input: [valueInfo('x', F, [1, 3, 8, 8]), valueInfo('top', F, [])],
        output: [valueInfo('y', F)],
        initializer: [f32('w', [4, 3, 3, 3]), f32('zero', [], 0), f32('six', [], 6)],
        node: [named('conv', 'Conv', ['x', 'w'], ['c'], pads1), named('clip', 'Clip', ['c', 'zero', max], ['y'])],
      });
    // The bounds become attributes of the FusedConv: their 2 × 4 bytes are no longer read either.
    expect(analyze(clip('six')).fusions).toMatchObject([{ pattern: 'Conv+Clip', nodes: ['conv', 'clip'], savedBytes: 2048 + 8 }]);
    expect(analyze(clip('top')).fusions).toEqual([]);
  });

  it('drops a Relu that feeds a Clip', () => {
    const g = graph({
      input: [valueInfo('x', F, [2, 8])],
      output: [valueInfo('y', F)],
      initializer: [f32('zero', [], 0), f32('six', [], 6)],
      node: [named('relu', 'Relu', ['x'], ['r']), named('clip', 'Clip', ['r', 'zero', 'six'], ['y'])],
    });
    // r (64 bytes) is no longer written and read; the Clip still reads its bounds.
    expect(analyze(g).fusions).toEqual([{ pattern: 'Relu+Clip', transformer: 'FuseReluClip', level: 'basic', kernel: 'Clip', nodes: ['relu', 'clip'], eliminated: [{ name: 'r', bytes: 64 }], savedBytes: 128 }]);
  });

  describe('residual Conv+Add(+activation), level all', () => {
    const residual = (dims: (number | string)[], bias = true) =>
      graph({
        input: [valueInfo('x', F, dims), valueInfo('skip', F, dims)],
        output: [valueInfo('y', F)],
        initializer: [f32('w', [4, 4, 3, 3]), f32('b', [4])],
        node: [named('conv', 'Conv', bias ? ['x', 'w', 'b'] : ['x', 'w'], ['c'], pads1), named('add', 'Add', ['c', 'skip'], ['a']), named('relu', 'Relu', ['a'], ['y'])],
      });

    it('fuses the Conv, the residual Add and the Relu into one FusedConv', () => {
      const m = analyze(residual([1, 4, 8, 8]));
      expect(m.fusions).toEqual([
        {
          pattern: 'Conv+Add+Relu',
          transformer: 'ConvAddActivationFusion',
          level: 'all',
          kernel: 'com.microsoft.FusedConv',
          nodes: ['conv', 'add', 'relu'],
          eliminated: [
            { name: 'c', bytes: 1024 },
            { name: 'a', bytes: 1024 },
          ],
          savedBytes: 4096,
        },
      ]);
      expect(analyze(residual([1, 4, 8, 8]), { optimizationLevel: 'extended' }).fusions).toEqual([]);
    });

    it('needs a Conv bias and shapes onnxruntime can see without Whittle’s pinned dims', () => {
      expect(analyze(residual([1, 4, 8, 8], false)).fusions).toEqual([]);
      // A symbolic batch still leaves the shapes comparable; symbolic H and W do not.
      expect(analyze(residual(['N', 4, 8, 8]), { inputDims: { x: [1, 4, 8, 8], skip: [1, 4, 8, 8] } }).fusions).toHaveLength(1);
      expect(analyze(residual(['N', 4, 'H', 'W']), { inputDims: { x: [1, 4, 8, 8], skip: [1, 4, 8, 8] } }).fusions).toEqual([]);
    });
  });
});

describe('matrix-multiply fusions', () => {
  const dense = (dims: (number | string)[]) =>
    graph({
      input: [valueInfo('x', F, dims)],
      output: [valueInfo('y', F)],
      initializer: [f32('w', [8, 4]), f32('b', [4])],
      node: [named('mm', 'MatMul', ['x', 'w'], ['m']), named('add', 'Add', ['m', 'b'], ['a']), named('relu', 'Relu', ['a'], ['y'])],
    });

  it('turns MatMul + bias Add into Gemm, then fuses the activation into FusedGemm', () => {
    // x 2×8: m and a are 2×4 = 32 bytes; the Gemm reads the same weight and bias.
    const m = analyze(dense([2, 8]));
    expect(m.fusions).toEqual([
      { pattern: 'MatMul+Add', transformer: 'MatMulAddFusion', level: 'basic', kernel: 'Gemm', nodes: ['mm', 'add'], eliminated: [{ name: 'm', bytes: 32 }], savedBytes: 64 },
      { pattern: 'Gemm+Relu', transformer: 'GemmActivationFusion', level: 'extended', kernel: 'com.microsoft.FusedGemm', nodes: ['mm', 'add', 'relu'], eliminated: [{ name: 'a', bytes: 32 }], savedBytes: 64 },
    ]);
  });

  it('folds a constant scalar scale on an input or on the output into FusedMatMul', () => {
    const scaled = (nodes: NodeProto[], inputs = [valueInfo('x', F, [2, 8])]) =>
      graph({ input: inputs, output: [valueInfo('y', F)], initializer: [f32('w', [8, 8]), f32('s', [], 0.125)], node: nodes });
    // 2×8 intermediates: 64 bytes, written and read; the 4-byte scale becomes an attribute.
    expect(analyze(scaled([named('mm', 'MatMul', ['x', 'w'], ['m']), named('div', 'Div', ['m', 's'], ['y'])])).fusions).toEqual([
      { pattern: 'MatMul+Div', transformer: 'MatMulScaleFusion', level: 'extended', kernel: 'com.microsoft.FusedMatMul', nodes: ['mm', 'div'], eliminated: [{ name: 'm', bytes: 64 }], savedBytes: 132 },
    ]);
    expect(analyze(scaled([named('mul', 'Mul', ['x', 's'], ['q']), named('mm', 'MatMul', ['q', 'w'], ['y'])])).fusions).toMatchObject([{ pattern: 'Mul+MatMul', savedBytes: 132 }]);
    // Attention scores: two activations multiplied (4×4 per batch: 2·4·4·4 = 128 bytes), scaled by 1/√d.
    const scores = scaled([named('qk', 'MatMul', ['q', 'k'], ['m']), named('div', 'Div', ['m', 's'], ['y'])], [valueInfo('q', F, [2, 4, 8]), valueInfo('k', F, [2, 8, 4])]);
    expect(analyze(scores).fusions).toMatchObject([{ pattern: 'MatMul+Div', savedBytes: 256 + 4 }]);
  });

  it('fuses a rank-3 MatMul only when onnxruntime knows the whole input shape, and then not the activation', () => {
    expect(analyze(dense([1, 2, 8])).fusions.map((f) => f.pattern)).toEqual(['MatMul+Add']);
    expect(analyze(dense(['N', 2, 8]), { inputDims: { x: [1, 2, 8] } }).fusions).toEqual([]);
  });
});
