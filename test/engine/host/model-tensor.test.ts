import { describe, expect, it } from 'vitest';
import { DataType, type ModelProto } from '../../../engine/core/onnx/index.js';
import { initializerData, initializerSummary } from '../../../engine/node/initializer-data.js';
import type { OpenedModel } from '../../../engine/node/model-file.js';
import { attr, graph, leBytes, model, node, tensor } from '../../support/build.js';

function opened(m: ModelProto): OpenedModel {
  return { path: '/m/w.onnx', fileName: 'w.onnx', fileBytes: 0, model: m, external: new Map(), loadWeights: () => Promise.resolve() };
}

describe('model.tensor data', () => {
  it('gives a compact copy, not a view of the whole file', async () => {
    const file = new Uint8Array(1024);
    file.set(new Uint8Array(new Float32Array([1.5, -2]).buffer), 16);
    const w = tensor({ name: 'w', dataType: DataType.FLOAT, dims: [2], rawData: file.subarray(16, 24) });
    const data = await initializerData(opened(model(graph({ initializer: [w] }))), 'w');
    expect(data).toEqual({ name: 'w', dtype: 'float32', dims: [2], data: new Float32Array([1.5, -2]) });
    expect(data.data.buffer.byteLength).toBe(8);
  });

  it('refuses element types without a typed array, and tensors over the size limit, readably', async () => {
    const strings = tensor({ name: 's', dataType: DataType.STRING, dims: [1], stringData: [new Uint8Array([65])] });
    const huge = tensor({ name: 'big', dataType: DataType.FLOAT, dims: [5000, 5000], rawData: leBytes(new Uint8Array(0)) });
    const m = opened(model(graph({ initializer: [strings, huge] })));
    await expect(initializerData(m, 's')).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/^s holds string elements; Whittle can show float32, /) });
    await expect(initializerData(m, 'big')).rejects.toMatchObject({ code: 'unsupported', message: 'big is 95.4 MiB (dims [5000, 5000]); Whittle sends tensors up to 64 MiB.' });
  });
});

describe('model.weightStats', () => {
  it('summarizes an initializer or a Constant node where the weights are, float16 decoded', async () => {
    // float16 bits of 1, -2, 0, 4: mean 0.75, squared deviations 0.0625 + 7.5625 + 0.5625 + 10.5625 = 18.75.
    const half = tensor({ name: 'h', dataType: DataType.FLOAT16, dims: [2, 2], rawData: leBytes(Uint16Array.of(0x3c00, 0xc000, 0x0000, 0x4400)) });
    const constant = node('Constant', [], ['c'], [attr.tensor('value', tensor({ dataType: DataType.FLOAT, dims: [3], rawData: leBytes(Float32Array.of(0, 0, 3)) }))]);
    const m = opened(model(graph({ initializer: [half], node: [constant] })));
    const h = await initializerSummary(m, 'h');
    expect(h).toMatchObject({ dtype: 'float16', dims: [2, 2], stats: { count: 4, min: -2, max: 4, mean: 0.75, zeros: 1, sparsity: 0.25 } });
    expect(h.stats.std).toBeCloseTo(Math.sqrt(18.75 / 4), 12);
    expect(h.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(await initializerSummary(m, 'c')).toMatchObject({ dtype: 'float32', stats: { count: 3, zeros: 2, max: 3 } });
  });

  it('summarizes tensors too big to send', async () => {
    const big = tensor({ name: 'big', dataType: DataType.FLOAT, dims: [5000, 5000], rawData: leBytes(new Float32Array(25_000_000).fill(0.5)) });
    const s = await initializerSummary(opened(model(graph({ initializer: [big] }))), 'big');
    expect(s.stats).toMatchObject({ count: 25_000_000, min: 0.5, max: 0.5, mean: 0.5, std: 0 });
  });
});
