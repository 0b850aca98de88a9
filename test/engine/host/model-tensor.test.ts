import { describe, expect, it } from 'vitest';
import { DataType, type ModelProto } from '../../../engine/core/onnx/index.js';
import { initializerData } from '../../../engine/node/initializer-data.js';
import type { OpenedModel } from '../../../engine/node/model-file.js';
import { graph, leBytes, model, tensor } from '../../support/build.js';

function opened(m: ModelProto): OpenedModel {
  return { path: '/m/w.onnx', fileName: 'w.onnx', fileBytes: 0, model: m, external: new Map() };
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
    await expect(initializerData(m, 'big')).rejects.toMatchObject({ code: 'unsupported', message: 'big is 95.4 MiB (dims [5000, 5000]); Whittle shows tensors up to 64 MiB.' });
  });
});
