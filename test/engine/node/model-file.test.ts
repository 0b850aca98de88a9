import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelInfo } from '../../../cli/info.js';
import { DataType, ModelFormatError, encodeModel, type TensorProto } from '../../../engine/core/onnx/index.js';
import { openModelFile, readExternalTensor } from '../../../engine/node/model-file.js';
import { PROJECT_ROOT } from '../../support/corpus.js';
import { entry, graph, leBytes, model, node, tensor, valueInfo } from '../../support/build.js';
import { ort, SESSION_OPTIONS } from '../../support/ort.js';

const F = DataType.FLOAT;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'whittle-model-file-'));
  dirs.push(d);
  return d;
}

describe('openModelFile', () => {
  it('opens the sample model: decoded, sized, nothing external', async () => {
    const path = resolve(PROJECT_ROOT, 'assets/samples/ppocr-cls.onnx');
    const opened = await openModelFile(path);
    expect(opened.path).toBe(path);
    expect(opened.fileName).toBe('ppocr-cls.onnx');
    expect(opened.fileBytes).toBe(readFileSync(path).length);
    expect(opened.model.graph!.node.length).toBe(471);
    expect(opened.external.size).toBe(0);
  });

  it('names the file in a decode error', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.onnx'), Uint8Array.from([0x0a, 0x05, 0x41]));
    const err = await openModelFile(join(dir, 'broken.onnx')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFormatError);
    expect((err as ModelFormatError).fileName).toBe('broken.onnx');
    expect((err as ModelFormatError).message).toMatch(/^broken\.onnx: /);
  });
});

describe('external data', () => {
  // y = x * a + b, with a and b stored in weights.bin at offsets 0 and 64.
  const a = new Float32Array([2, -1, 0.5]);
  const b = new Float32Array([10, 20, 30]);
  const weights = new Uint8Array(64 + 12);
  weights.set(leBytes(a), 0);
  weights.set(leBytes(b), 64);
  const external = (name: string, offset: number): TensorProto =>
    tensor({ name, dataType: F, dims: [3], dataLocation: 1, externalData: [entry('location', 'weights.bin'), entry('offset', String(offset)), entry('length', '12')] });
  const body = { input: [valueInfo('x', F, [3])], node: [node('Mul', ['x', 'a'], ['ax']), node('Add', ['ax', 'b'], ['y'])], output: [valueInfo('y', F, [3])] };

  function writeModel(): string {
    const dir = tempDir();
    writeFileSync(join(dir, 'weights.bin'), weights);
    writeFileSync(join(dir, 'model.onnx'), encodeModel(model(graph({ ...body, initializer: [external('a', 0), external('b', 64)] }))));
    return join(dir, 'model.onnx');
  }

  it('locates each external tensor and reads its bytes only when asked', async () => {
    const opened = await openModelFile(writeModel());
    const [ta, tb] = opened.model.graph!.initializer;
    expect([...opened.external.values()].map((l) => [l.tensorName, l.location, l.offset, l.length])).toEqual([
      ['a', 'weights.bin', 0, 12],
      ['b', 'weights.bin', 64, 12],
    ]);
    expect(ta!.rawData).toBeUndefined();
    expect(new Float32Array((await readExternalTensor(opened, ta!)).buffer)).toEqual(a);
    expect(new Float32Array((await readExternalTensor(opened, tb!)).buffer)).toEqual(b);
  });

  it('is summarized by file, and onnxruntime computes with the same weights', async () => {
    const path = writeModel();
    const info = await modelInfo(path);
    expect(info.externalData).toEqual([{ location: 'weights.bin', tensors: 2, bytes: 24 }]);
    expect(info.params).toBe(6);
    const session = await ort.InferenceSession.create(path, SESSION_OPTIONS);
    try {
      const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [3]) });
      expect(Array.from(out.y!.data as Float32Array)).toEqual([12, 18, 31.5]);
    } finally {
      await session.release();
    }
  });

  it('refuses a model whose external file is missing, naming the model and the tensor', async () => {
    const path = writeModel();
    rmSync(join(path, '..', 'weights.bin'));
    const err = await openModelFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFormatError);
    expect((err as ModelFormatError).code).toBe('bad-external-data');
    expect((err as ModelFormatError).message).toMatch(/^model\.onnx: .*\(a\).*"weights\.bin" does not exist/);
  });
});
