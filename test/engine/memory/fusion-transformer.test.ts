import { describe, expect, it } from 'vitest';
import type { NodeProto, ValueInfoProto } from '../../../engine/core/onnx/index.js';
import { attr, graph, node, opset, valueInfo } from '../../support/build.js';
import { F, analyze, f32 } from './helpers.js';

// Opset 17: ReduceMean still takes axes as an attribute, and LayerNormalization exists.
const OPSETS = [opset(17)];
const named = (name: string, op: string, inputs: string[], outputs: string[], attrs = [] as ReturnType<typeof attr.int>[]): NodeProto => node(op, inputs, outputs, attrs, { name });
const lastAxis = [attr.ints('axes', [-1])];
const constants = [f32('two', [], 2), f32('eps', [], 1e-5), f32('gamma', [8]), f32('beta', [8]), f32('sqrt2', [], Math.SQRT2), f32('isqrt2', [], Math.SQRT1_2), f32('one', [], 1), f32('half', [], 0.5), f32('alpha', [], 1.702), f32('bias', [8])];

function build(nodes: NodeProto[], inputs: ValueInfoProto[] = [valueInfo('x', F, [1, 4, 8])], outputs: ValueInfoProto[] = [valueInfo('y', F)]) {
  return graph({ input: inputs, output: outputs, initializer: constants, node: nodes });
}

// x is 1×4×8 float32 (128 bytes); a reduced tensor 1×4×1 is 16 bytes.
const layerNormNodes = [
  named('mean', 'ReduceMean', ['x'], ['mean'], lastAxis),
  named('sub', 'Sub', ['x', 'mean'], ['d']),
  named('pow', 'Pow', ['d', 'two'], ['p']),
  named('var', 'ReduceMean', ['p'], ['v'], lastAxis),
  named('addeps', 'Add', ['v', 'eps'], ['e']),
  named('sqrt', 'Sqrt', ['e'], ['s']),
  named('div', 'Div', ['d', 's'], ['n']),
  named('scale', 'Mul', ['n', 'gamma'], ['m']),
  named('shift', 'Add', ['m', 'beta'], ['y']),
];

describe('LayerNormalization and RMSNorm from their decomposed patterns', () => {
  it('fuses the nine-node LayerNorm pattern', () => {
    const m = analyze(build(layerNormNodes), { opsets: OPSETS });
    expect(m.fusions).toHaveLength(1);
    const [ln] = m.fusions;
    expect(ln).toMatchObject({ pattern: 'LayerNormalization', transformer: 'LayerNormFusion', level: 'basic', kernel: 'LayerNormalization' });
    expect(ln!.nodes).toEqual(['mean', 'sub', 'pow', 'var', 'addeps', 'sqrt', 'div', 'scale', 'shift']);
    expect(ln!.eliminated.map((e) => [e.name, e.bytes])).toEqual([
      ['mean', 16],
      ['d', 128],
      ['p', 128],
      ['v', 16],
      ['e', 16],
      ['s', 16],
      ['n', 128],
      ['m', 128],
    ]);
    // Written once and read once each, except d (read by Pow and Div): 2·16 + 3·128 + 2·128 + 3·(2·16) + 2·128 + 2·128 = 1,280;
    // x read once instead of twice: 128; the exponent and ε (4 bytes each) become attributes: 8.
    expect(ln!.savedBytes).toBe(1280 + 128 + 8);
  });

  it('does not fuse when an intermediate is also a graph output', () => {
    const m = analyze(build(layerNormNodes, undefined, [valueInfo('y', F), valueInfo('n', F)]), { opsets: OPSETS });
    expect(m.fusions).toEqual([]);
  });

  it('fuses Pow → ReduceMean → Add → Sqrt → Div → Mul into SimplifiedLayerNormalization at level extended', () => {
    const g = build([
      named('pow', 'Pow', ['x', 'two'], ['p']),
      named('mean', 'ReduceMean', ['p'], ['r'], lastAxis),
      named('addeps', 'Add', ['r', 'eps'], ['e']),
      named('sqrt', 'Sqrt', ['e'], ['s']),
      named('div', 'Div', ['x', 's'], ['d']),
      named('scale', 'Mul', ['d', 'gamma'], ['y']),
    ]);
    expect(analyze(g, { opsets: OPSETS, optimizationLevel: 'basic' }).fusions).toEqual([]);
    const [rms] = analyze(g, { opsets: OPSETS }).fusions;
    expect(rms).toMatchObject({ pattern: 'SimplifiedLayerNormalization', level: 'extended', nodes: ['pow', 'mean', 'addeps', 'sqrt', 'div', 'scale'] });
    // p 2·128, r/e/s 3·2·16, d 2·128 = 608; x read once instead of twice: 128; exponent and ε: 8.
    expect(rms!.savedBytes).toBe(608 + 128 + 8);
  });

  it('fuses a same-shape residual Add into the LayerNormalization that reads it', () => {
    const g = build(
      [named('add', 'Add', ['x', 'skip'], ['sum']), named('ln', 'LayerNormalization', ['sum', 'gamma', 'beta'], ['y'], [attr.int('axis', -1)])],
      [valueInfo('x', F, [1, 4, 8]), valueInfo('skip', F, [1, 4, 8])],
    );
    expect(analyze(g, { opsets: OPSETS }).fusions).toEqual([
      {
        pattern: 'Add+LayerNormalization',
        transformer: 'SkipLayerNormFusion',
        level: 'extended',
        kernel: 'com.microsoft.SkipLayerNormalization',
        nodes: ['add', 'ln'],
        eliminated: [{ name: 'sum', bytes: 128 }],
        savedBytes: 256,
      },
    ]);
  });
});

describe('Gelu forms', () => {
  // x is 2×8 float32: 64 bytes.
  const x28 = [valueInfo('x', F, [2, 8])];

  it('fuses x/√2 → Erf → +1 → ·x → ·0.5 into Gelu', () => {
    const g = build(
      [named('div', 'Div', ['x', 'sqrt2'], ['d']), named('erf', 'Erf', ['d'], ['e']), named('add', 'Add', ['e', 'one'], ['a']), named('mul', 'Mul', ['x', 'a'], ['m']), named('half', 'Mul', ['m', 'half'], ['y'])],
      x28,
    );
    const [gelu] = analyze(g, { opsets: OPSETS }).fusions;
    expect(gelu).toMatchObject({ pattern: 'Gelu', transformer: 'GeluFusion', level: 'extended', kernel: 'com.microsoft.Gelu', nodes: ['div', 'erf', 'add', 'mul', 'half'] });
    // d, e, a, m: 4 × 2 × 64 = 512; x read once instead of twice: 64; √2, 1 and 0.5: 12.
    expect(gelu!.savedBytes).toBe(512 + 64 + 12);
    // From opset 20 onnxruntime writes the ONNX Gelu op, already at level basic.
    expect(analyze(g, { opsets: [opset(20)], optimizationLevel: 'basic' }).fusions).toMatchObject([{ pattern: 'Gelu', level: 'basic', kernel: 'Gelu' }]);
    // Multiplying by 1/√2 instead of dividing by √2 is not a form onnxruntime recognizes.
    const times = build([named('div', 'Mul', ['x', 'isqrt2'], ['d']), ...g.node.slice(1)], x28);
    expect(analyze(times, { opsets: OPSETS }).fusions).toEqual([]);
  });

  it('fuses the form with x·0.5 computed first, and then a bias Add in front of the Gelu', () => {
    const g = build(
      [
        named('bias', 'Add', ['x', 'bias'], ['b']),
        named('xhalf', 'Mul', ['b', 'half'], ['h']),
        named('div', 'Div', ['b', 'sqrt2'], ['d']),
        named('erf', 'Erf', ['d'], ['e']),
        named('add', 'Add', ['e', 'one'], ['a']),
        named('mul', 'Mul', ['h', 'a'], ['y']),
      ],
      x28,
    );
    const fusions = analyze(g, { opsets: OPSETS }).fusions;
    expect(fusions.map((f) => [f.pattern, f.kernel])).toEqual([
      ['Gelu', 'com.microsoft.Gelu'],
      ['Add+Gelu', 'com.microsoft.BiasGelu'],
    ]);
    expect(fusions[0]!.eliminated.map((e) => e.name)).toEqual(['h', 'd', 'e', 'a']);
    // BiasGelu: b is no longer written and read; the bias is still read.
    expect(fusions[1]).toMatchObject({ nodes: ['bias', 'xhalf', 'div', 'erf', 'add', 'mul'], eliminated: [{ name: 'b', bytes: 64 }], savedBytes: 128 });
  });

  it('fuses x·Sigmoid(x) (SiLU) and x·Sigmoid(αx) into QuickGelu, only when the Sigmoid has one reader', () => {
    const silu = analyze(build([named('sig', 'Sigmoid', ['x'], ['s']), named('mul', 'Mul', ['x', 's'], ['y'])], x28), { opsets: OPSETS });
    // s: 2 × 64; x read once instead of twice: 64.
    expect(silu.fusions).toMatchObject([{ pattern: 'Sigmoid+Mul', transformer: 'QuickGeluFusion', kernel: 'com.microsoft.QuickGelu', savedBytes: 192 }]);
    const scaled = analyze(build([named('alpha', 'Mul', ['x', 'alpha'], ['t']), named('sig', 'Sigmoid', ['t'], ['s']), named('mul', 'Mul', ['x', 's'], ['y'])], x28), { opsets: OPSETS });
    // t and s: 2 × 2 × 64; x once: 64; α: 4.
    expect(scaled.fusions).toMatchObject([{ pattern: 'Mul+Sigmoid+Mul', nodes: ['alpha', 'sig', 'mul'], savedBytes: 256 + 64 + 4 }]);
    const shared = analyze(build([named('sig', 'Sigmoid', ['x'], ['s']), named('mul', 'Mul', ['x', 's'], ['y'])], x28, [valueInfo('y', F), valueInfo('s', F)]), { opsets: OPSETS });
    expect(shared.fusions).toEqual([]);
  });
});
