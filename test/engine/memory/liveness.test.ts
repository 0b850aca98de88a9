import { describe, expect, it } from 'vitest';
import { DataType } from '../../../engine/core/onnx/index.js';
import { attr, graph, leBytes, node, tensor, valueInfo } from '../../support/build.js';
import { F, analyze, analyzeWithSizes, f32 } from './helpers.js';

// Sizes are float32 vectors: bytes = 4 × elements. Steps are positions in the execution order.

describe('live activations along the execution order', () => {
  it('a chain peaks at the two adjacent tensors of its largest step', () => {
    const g = graph({
      input: [valueInfo('x', F, [25])],
      output: [valueInfo('y', F, [10])],
      node: [node('Relu', ['x'], ['a']), node('Neg', ['a'], ['b']), node('Abs', ['b'], ['y'])],
    });
    // step 0: x 100 + a 200; step 1: a 200 + b 300 (x freed); step 2: b 300 + y 40.
    const m = analyzeWithSizes(g, { x: 25, a: 50, b: 75, y: 10 });
    expect(m.liveBytes).toEqual([300, 500, 340]);
    expect(m.peakActivationBytes).toBe(500);
    expect(m.peakStep).toEqual({ index: 1, node: 'Neg #1' });
    expect(m.liveAtPeak).toEqual([
      { name: 'b', bytes: 300, producer: 'Neg #1' },
      { name: 'a', bytes: 200, producer: 'Relu #0' },
    ]);
    expect(m.peakIsLowerBound).toBe(false);
  });

  it('keeps a skip tensor alive across its branch, so the peak includes it', () => {
    const g = graph({
      input: [valueInfo('x', F, [25])],
      output: [valueInfo('y', F, [25])],
      node: [node('Relu', ['x'], ['a']), node('Neg', ['a'], ['b']), node('Abs', ['b'], ['c']), node('Add', ['a', 'c'], ['y'])],
    });
    // a is read at step 3: step 2 holds a, b, c (300); without the skip a chain of 100-byte tensors peaks at 200.
    const m = analyze(g);
    expect(m.liveBytes).toEqual([200, 200, 300, 300]);
    expect(m.peakActivationBytes).toBe(300);
    expect(m.peakStep?.index).toBe(2);
    expect(m.liveAtPeak.map((t) => t.name)).toEqual(['a', 'b', 'c']);
  });

  it('keeps graph outputs to the end', () => {
    const nodes = [node('Relu', ['x'], ['a']), node('Neg', ['a'], ['b']), node('Abs', ['b'], ['y'])];
    const sizes = { x: 25, a: 25, b: 25, y: 25 };
    const plain = analyzeWithSizes(graph({ input: [valueInfo('x', F, [25])], output: [valueInfo('y', F)], node: nodes }), sizes);
    const both = analyzeWithSizes(graph({ input: [valueInfo('x', F, [25])], output: [valueInfo('a', F), valueInfo('y', F)], node: nodes }), sizes);
    expect(plain.liveBytes).toEqual([200, 200, 200]);
    // a stays: step 1 a + b, step 2 a + b + y.
    expect(both.liveBytes).toEqual([200, 200, 300]);
    expect(both.peakActivationBytes).toBe(300);
  });

  it('treats a Reshape output as a view: no new buffer, and the input lives until the view is last read', () => {
    const g = graph({
      input: [valueInfo('x', F, [2, 12])],
      output: [valueInfo('y', F, [2, 12])],
      initializer: [tensor({ name: 'shape', dataType: DataType.INT64, dims: [2], rawData: leBytes(BigInt64Array.from([2n, 12n])) })],
      node: [
        node('Relu', ['x'], ['a']),
        node('Reshape', ['a', 'shape'], ['v']),
        node('Neg', ['a'], ['b']),
        node('Abs', ['b'], ['c']),
        node('Add', ['v', 'c'], ['y']),
      ],
    });
    // 96-byte tensors. step 0: x + a; step 1: a (= v) alone, x freed; step 2: a + b; step 3: a (read as v
    // at step 4) + b + c; step 4: a + c + y. A copying Reshape would hold a and v together at step 1.
    const m = analyzeWithSizes(g, { x: 24, a: 24, v: 24, b: 24, c: 24, y: 24 });
    expect(m.liveBytes).toEqual([192, 96, 192, 288, 288]);
    expect(m.peakStep?.index).toBe(3);
    expect(m.liveAtPeak).toContainEqual({ name: 'a', bytes: 96, producer: 'Relu #0', aliases: ['v'] });
    expect(m.liveAtPeak.reduce((s, t) => s + (t.bytes ?? 0), 0)).toBe(m.peakActivationBytes);
  });

  it('counts a value read inside an If branch as read by the If', () => {
    const branch = (name: string, read: string) => graph({ name, node: [node('Identity', [read], [`${name}_out`])], output: [valueInfo(`${name}_out`, F, [25])] });
    const g = graph({
      input: [valueInfo('x', F, [25]), valueInfo('cond', DataType.BOOL, [])],
      output: [valueInfo('y', F, [25])],
      node: [
        node('Relu', ['x'], ['a']),
        node('Neg', ['x'], ['b']),
        node('Abs', ['b'], ['c']),
        node('If', ['cond'], ['y'], [attr.graph('then_branch', branch('then', 'a')), attr.graph('else_branch', branch('else', 'c'))]),
      ],
    });
    // cond is 1 byte. a is read only by the then branch, at step 3, so it is alive at every step:
    // step 0: cond + x + a = 201; step 1: + b = 301; step 2: cond + a + b + c = 301; step 3: cond + a + c + y = 301.
    const m = analyze(g);
    expect(m.liveBytes).toEqual([201, 301, 301, 301]);
    expect(m.liveAtPeak.map((t) => t.name)).toContain('a');
  });

  it('reports values of unknown size and makes the peak a lower bound, never counting them as 0 silently', () => {
    const g = graph({
      input: [valueInfo('x', F, ['N', 4]), valueInfo('z', F, [4])],
      output: [valueInfo('y', F)],
      node: [node('Relu', ['x'], ['a']), node('Neg', ['z'], ['b']), node('Add', ['a', 'b'], ['y'])],
    });
    // x, a and y have the unpinned dim N. Known: z 16 (steps 0–1), b 16 (steps 1–2).
    const m = analyze(g);
    expect(m.unknownSizeValues).toBe(3);
    expect(m.peakIsLowerBound).toBe(true);
    expect(m.liveBytes).toEqual([16, 32, 16]);
    expect(m.liveAtPeak).toEqual([
      { name: 'b', bytes: 16, producer: 'Neg #1' },
      { name: 'z', bytes: 16 },
      { name: 'a', bytes: null, producer: 'Relu #0' },
    ]);
    // Pinned, every size is known: x 32 + z 16 + a 32; then z + a + b (x freed); then a + b + y 32.
    const pinned = analyze(g, { inputDims: { x: [2, 4] } });
    expect(pinned.unknownSizeValues).toBe(0);
    expect(pinned.liveBytes).toEqual([80, 64, 80]);
  });

  it('leaves weights, Constant tensors and load-time folded values out of the activations', () => {
    const g = graph({
      input: [valueInfo('x', F, [10])],
      output: [valueInfo('y', F, [10])],
      initializer: [f32('w', [10])],
      node: [
        node('Constant', [], ['c'], [attr.tensor('value', f32('', [1]))]),
        node('Neg', ['w'], ['t']), // every input constant: folded when the session loads
        node('Mul', ['x', 't'], ['m']),
        node('Add', ['m', 'c'], ['y']),
      ],
    });
    // Weights: w 40 + c 4. Activations: x 40 (steps 0–2), m 40 (step 2–3), y 40 (step 3).
    const m = analyze(g);
    expect(m.weightBytes).toBe(44);
    expect(m.liveBytes).toEqual([40, 40, 80, 80]);
    expect(m.peakActivationBytes).toBe(80);
  });

  it('gives no peak step for a graph with nothing to run', () => {
    const m = analyze(graph({ input: [valueInfo('x', F, [4])], output: [valueInfo('x', F, [4])] }));
    expect(m.peakStep).toBeNull();
    expect(m.peakActivationBytes).toBe(0);
    expect(m.liveBytes).toEqual([]);
  });
});
