import { describe, expect, it } from 'vitest';
import { analyzeModel, type NodeAnalysis } from '../../../engine/core/analysis/index.js';
import { findDevice } from '../../../engine/core/hardware/index.js';
import { DataType, type AttributeProto, type GraphProto } from '../../../engine/core/onnx/index.js';
import { attr, graph, model, node, opset, tensor, valueInfo } from '../../support/build.js';

// Costs worked out by hand for small models: every expected number is derived in the comment
// beside it from the layer's sizes, not from Whittle's code.

const { FLOAT } = DataType;
const device = findDevice('rpi5')!;

function weight(name: string, dims: number[]) {
  return tensor({ name, dataType: FLOAT, dims, rawData: new Uint8Array(4 * dims.reduce((a, b) => a * b, 1)) });
}

function analyze(g: Partial<GraphProto>, inputDims: Record<string, number[]> = {}) {
  return analyzeModel(model(graph(g), { opsetImport: [opset(21)] }), { device, inputDims });
}

function only(nodes: readonly NodeAnalysis[], opType: string): NodeAnalysis {
  const found = nodes.filter((n) => n.opType === opType);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** One Conv on x [1, cIn, h, w] with weight [cOut, cIn/group, k, k]. */
function conv(cIn: number, h: number, cOut: number, k: number, attributes: AttributeProto[], group = 1) {
  return analyze({
    input: [valueInfo('x', FLOAT, [1, cIn, h, h])],
    output: [valueInfo('y', FLOAT)],
    initializer: [weight('w', [cOut, cIn / group, k, k])],
    node: [node('Conv', ['x', 'w'], ['y'], [...attributes, attr.int('group', group)])],
  });
}

describe('convolutions', () => {
  it('standard, strided, dilated, grouped, depthwise and 1×1', () => {
    // 3×3 pad 1 stride 1, 16 → 32 on 56×56: |Y| = 32·56·56, C_in/g·k² = 16·9.
    expect(only(conv(16, 56, 32, 3, [attr.ints('pads', [1, 1, 1, 1])]).nodes, 'Conv').macs).toBe(32 * 56 * 56 * 16 * 9);
    // Stride 2: output 28×28.
    expect(only(conv(16, 56, 32, 3, [attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [2, 2])]).nodes, 'Conv').macs).toBe(32 * 28 * 28 * 16 * 9);
    // Dilation 2, pad 2 keeps 56×56; dilation does not change the taps per output.
    expect(only(conv(16, 56, 32, 3, [attr.ints('pads', [2, 2, 2, 2]), attr.ints('dilations', [2, 2])]).nodes, 'Conv').macs).toBe(32 * 56 * 56 * 16 * 9);
    // Group 4: each output sees 16/4 = 4 input channels.
    expect(only(conv(16, 56, 32, 3, [attr.ints('pads', [1, 1, 1, 1])], 4).nodes, 'Conv').macs).toBe(32 * 56 * 56 * 4 * 9);
    // Depthwise 32 → 32, group 32: one input channel per output; params 32·9.
    const dw = only(conv(32, 56, 32, 3, [attr.ints('pads', [1, 1, 1, 1])], 32).nodes, 'Conv');
    expect(dw.macs).toBe(32 * 56 * 56 * 9);
    expect(dw.params).toBe(32 * 9);
    // Intensity: 2·MACs over x + w + y bytes = 2·903,168 / (4·(100,352 + 288 + 100,352)) ≈ 2.25 (DOMAIN.md).
    expect(dw.intensity).toBeCloseTo((2 * 32 * 56 * 56 * 9) / (4 * (32 * 56 * 56 * 2 + 288)), 9);
    expect(dw.intensity!).toBeCloseTo(2.25, 1);
    expect(dw.bound).toBe('memory');
    // 1×1, 64 → 128 on 14×14.
    expect(only(conv(64, 14, 128, 1, []).nodes, 'Conv').macs).toBe(128 * 14 * 14 * 64);
  });

  it('3×3 256 → 256 at 14×14 sits near 84 FLOP/B, compute-bound on a Raspberry Pi 5', () => {
    const n = only(conv(256, 14, 256, 3, [attr.ints('pads', [1, 1, 1, 1])]).nodes, 'Conv');
    const macs = 256 * 14 * 14 * 256 * 9;
    const bytes = 4 * (256 * 14 * 14 * 2 + 256 * 256 * 9);
    expect(n.macs).toBe(macs);
    expect(n.intensity).toBeCloseTo((2 * macs) / bytes, 9);
    expect(n.intensity!).toBeGreaterThan(80);
    expect(n.bound).toBe('compute');
  });

  it('ConvTranspose scatters each input element: |X| × C_out/group × k²', () => {
    const a = analyze({
      input: [valueInfo('x', FLOAT, [1, 16, 10, 10])],
      output: [valueInfo('y', FLOAT)],
      initializer: [weight('w', [16, 8, 4, 4])],
      node: [node('ConvTranspose', ['x', 'w'], ['y'], [attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 1])])],
    });
    const n = only(a.nodes, 'ConvTranspose');
    expect(n.outputs[0]!.shape).toEqual([1, 8, 20, 20]);
    expect(n.macs).toBe(16 * 10 * 10 * 8 * 16);
  });
});

describe('matrix products and element-wise ops', () => {
  it('Gemm with transB, batched broadcast MatMul, and the intensity of Add and Relu', () => {
    const a = analyze({
      input: [valueInfo('a', FLOAT, [8, 256]), valueInfo('p', FLOAT, [2, 4, 64, 32]), valueInfo('u', FLOAT, [1000]), valueInfo('v', FLOAT, [1000])],
      output: [valueInfo('g', FLOAT), valueInfo('m', FLOAT), valueInfo('s', FLOAT), valueInfo('r', FLOAT)],
      initializer: [weight('b', [128, 256]), weight('c', [128]), weight('q', [32, 48])],
      node: [
        node('Gemm', ['a', 'b', 'c'], ['g'], [attr.int('transB', 1)]),
        node('MatMul', ['p', 'q'], ['m']),
        node('Add', ['u', 'v'], ['s']),
        node('Relu', ['s'], ['r']),
      ],
    });
    expect(only(a.nodes, 'Gemm').macs).toBe(8 * 128 * 256);
    expect(only(a.nodes, 'MatMul').macs).toBe(2 * 4 * 64 * 48 * 32);
    // Add: 1 FLOP per element over 3 × 4 bytes moved = 1/12; Relu: 1 compare over 8 bytes = 1/8.
    expect(only(a.nodes, 'Add').intensity).toBeCloseTo(1 / 12, 12);
    expect(only(a.nodes, 'Relu').intensity).toBeCloseTo(1 / 8, 12);
    expect(only(a.nodes, 'Add').bound).toBe('memory');
  });

  it('an attention block: QKᵀ and AV each B·H·S·S·D MACs', () => {
    const a = analyze({
      input: ['q', 'k', 'v'].map((n) => valueInfo(n, FLOAT, [1, 8, 16, 64])),
      output: [valueInfo('o', FLOAT)],
      node: [
        node('Transpose', ['k'], ['kt'], [attr.ints('perm', [0, 1, 3, 2])]),
        node('MatMul', ['q', 'kt'], ['scores'], [], { name: 'qk' }),
        node('Softmax', ['scores'], ['p'], [attr.int('axis', -1)]),
        node('MatMul', ['p', 'v'], ['o'], [], { name: 'av' }),
      ],
    });
    const byName = new Map(a.nodes.map((n) => [n.name, n]));
    expect(byName.get('qk')!.outputs[0]!.shape).toEqual([1, 8, 16, 16]);
    expect(byName.get('qk')!.macs).toBe(1 * 8 * 16 * 16 * 64);
    expect(byName.get('av')!.macs).toBe(1 * 8 * 16 * 64 * 16);
    expect(a.totals.macs).toBe(2 * 8 * 16 * 16 * 64);
    expect(only(a.nodes, 'Softmax').flops).toBeGreaterThan(0);
  });
});

describe('recurrent layers, per time step and direction', () => {
  function recurrent(op: 'LSTM' | 'GRU', gates: number, direction: string, dirs: number) {
    // seq 5, batch 2, input 10, hidden 20.
    return analyze({
      input: [valueInfo('x', FLOAT, [5, 2, 10])],
      output: [valueInfo('y', FLOAT)],
      initializer: [weight('W', [dirs, gates * 20, 10]), weight('R', [dirs, gates * 20, 20])],
      node: [node(op, ['x', 'W', 'R'], ['y'], [attr.int('hidden_size', 20), attr.string('direction', direction)])],
    });
  }

  it('LSTM: seq × batch × directions × 4·H × (I + H)', () => {
    const n = only(recurrent('LSTM', 4, 'bidirectional', 2).nodes, 'LSTM');
    expect(n.macs).toBe(5 * 2 * 2 * 4 * 20 * (10 + 20));
    expect(n.params).toBe(2 * 80 * 10 + 2 * 80 * 20);
  });

  it('GRU: 3 gates', () => {
    expect(only(recurrent('GRU', 3, 'forward', 1).nodes, 'GRU').macs).toBe(5 * 2 * 1 * 3 * 20 * (10 + 20));
  });
});

describe('uncounted, never zero', () => {
  it('an op without a rule and a conv on unpinned dims are uncounted, with why, and out of the totals', () => {
    const a = analyzeModel(
      model(
        graph({
          input: [valueInfo('x', FLOAT, ['N', 16, 'H', 'W']), valueInfo('z', FLOAT, [4])],
          output: [valueInfo('y', FLOAT), valueInfo('f', FLOAT)],
          initializer: [weight('w', [8, 16, 3, 3])],
          node: [node('Conv', ['x', 'w'], ['y']), node('Foo', ['z'], ['f'], [], { domain: 'com.example' })],
        }),
        { opsetImport: [opset(21), opset(1, 'com.example')] },
      ),
      { device },
    );
    const convNode = only(a.nodes, 'Conv');
    expect(convNode.counted).toBe(false);
    expect(convNode.uncountedReason).toMatch(/Nx8xH-2xW-2.*pin/);
    const foo = only(a.nodes, 'com.example.Foo');
    expect(foo.counted).toBe(false);
    expect(foo.uncountedReason).toContain('com.example.Foo');
    expect(a.totals.uncountedNodes).toBe(2);
    expect(a.totals.macs).toBe(0);
    expect(a.unpinnedDims).toEqual(['N', 'H', 'W']);
  });
});
