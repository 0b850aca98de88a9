/**
 * External data at scale and in a real runtime:
 *  - a model whose weights file is 2.5 GiB (sparse: only the bytes the test reads are written),
 *    with tensors at offsets beyond 2^31 and one tensor over 2 GiB itself: it opens, info counts
 *    it exactly, and tensors read lazily with the right values without loading the file;
 *  - a model file over 2 GiB is refused before it is read;
 *  - a small model with external weights that onnxruntime-node runs from its path, with outputs
 *    bit-identical to the same model with its weights embedded.
 */
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeModel } from '../../../engine/core/graph/index.js';
import { tensorValues } from '../../../engine/core/onnx/index.js';
import { openModelFile, readExternalTensor } from '../../../engine/node/model-file.js';
import * as pb from '../hostile/pb.js';
import { addModel, embeddedTensor, externalTensor } from '../hostile/samples.js';

const GiB = 2 ** 30;
const FILE_SIZE = 2.5 * GiB;
const N = 1024; // floats per small tensor
const W_OFFSET = 2 ** 31 + 4096; // past what a signed 32-bit offset can reach
const V_OFFSET = FILE_SIZE - 4 * N; // the very end of the file
const HUGE_ELEMENTS = 2 ** 29 + 256; // 2 GiB + 1 KiB of float32

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'whittle-big-external-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function floats(seed: number): Float32Array {
  return Float32Array.from({ length: N }, (_, i) => seed + i / 8);
}

function tensor(name: string, dims: number[], entries: [string, string][]): Uint8Array {
  return pb.cat(pb.packed(pb.Tensor.dims, dims), pb.vi(pb.Tensor.dataType, 1), pb.ld(pb.Tensor.name, name), ...entries.map(([k, v]) => pb.entry(pb.Tensor.externalData, k, v)), pb.vi(pb.Tensor.dataLocation, 1));
}

describe('a model with 2.5 GiB of external weights', () => {
  it('opens, is counted exactly, and reads tensors past 2 GiB lazily', async () => {
    const weights = join(dir, 'weights.bin');
    const fd = openSync(weights, 'w');
    try {
      ftruncateSync(fd, FILE_SIZE);
      writeSync(fd, floats(1), 0, 4 * N, W_OFFSET);
      writeSync(fd, floats(-7), 0, 4 * N, V_OFFSET);
    } finally {
      closeSync(fd);
    }
    const st = statSync(weights);
    expect(st.size).toBe(FILE_SIZE);
    // Sparse: the test must not fill the disk (a filesystem without holes would fail here).
    expect(st.blocks * 512).toBeLessThan(64 * 2 ** 20);

    const graph = [
      pb.ld(pb.Graph.initializer, tensor('w', [N], [['location', 'weights.bin'], ['offset', String(W_OFFSET)], ['length', String(4 * N)]])),
      pb.ld(pb.Graph.initializer, tensor('v', [N], [['location', 'weights.bin'], ['offset', String(V_OFFSET)], ['length', String(4 * N)]])),
      pb.ld(pb.Graph.initializer, tensor('huge', [HUGE_ELEMENTS], [['location', 'weights.bin'], ['offset', '0'], ['length', String(4 * HUGE_ELEMENTS)]])),
      pb.ld(pb.Graph.node, pb.ld(pb.Node.input, 'w'), pb.ld(pb.Node.input, 'v'), pb.ld(pb.Node.output, 'y'), pb.ld(pb.Node.opType, 'Add')),
      pb.valueInfo(pb.Graph.output, 'y', [N]),
    ];
    const modelPath = join(dir, 'model.onnx');
    writeFileSync(modelPath, pb.model(graph));
    expect(statSync(modelPath).size).toBeLessThan(1024);

    const memBefore = process.memoryUsage();
    const opened = await openModelFile(modelPath);
    expect(opened.fileBytes).toBeLessThan(1024);
    const summary = summarizeModel(opened.model);
    const weightBytes = 4 * (2 * N + HUGE_ELEMENTS);
    expect(summary.weightBytes).toBe(weightBytes);
    expect(summary.params).toBe(2 * N + HUGE_ELEMENTS);
    expect(summary.externalData).toEqual([{ location: 'weights.bin', tensors: 3, bytes: weightBytes }]);

    const [w, v, huge] = opened.model.graph!.initializer;
    expect(opened.external.get(w!)).toMatchObject({ offset: W_OFFSET, length: 4 * N });
    expect(opened.external.get(v!)).toMatchObject({ offset: V_OFFSET, length: 4 * N });
    expect(opened.external.get(huge!)).toMatchObject({ offset: 0, length: 4 * HUGE_ELEMENTS });

    const wBytes = await readExternalTensor(opened, w!);
    const vBytes = await readExternalTensor(opened, v!);
    expect(tensorValues(w!, wBytes)).toEqual(floats(1));
    expect(tensorValues(v!, vBytes)).toEqual(floats(-7));
    // Only what was asked for was read: nothing near the file's size was allocated.
    const memAfter = process.memoryUsage();
    expect(memAfter.arrayBuffers - memBefore.arrayBuffers).toBeLessThan(16 * 2 ** 20);
    expect(memAfter.rss - memBefore.rss).toBeLessThan(256 * 2 ** 20);
  });
});

describe('a model file over 2 GiB itself', () => {
  it('is refused as too large before anything is read (a protobuf message cannot exceed 2 GiB)', async () => {
    const path = join(dir, 'huge.onnx');
    const fd = openSync(path, 'w');
    try {
      ftruncateSync(fd, 2 ** 31 + 1);
    } finally {
      closeSync(fd);
    }
    const memBefore = process.memoryUsage().arrayBuffers;
    await expect(openModelFile(path)).rejects.toMatchObject({ name: 'ModelFormatError', code: 'too-large', fileName: 'huge.onnx' });
    expect(process.memoryUsage().arrayBuffers - memBefore).toBeLessThan(2 ** 20);
  });
});

describe('external weights in onnxruntime', () => {
  it('a model with external weights runs from its path with outputs identical to the embedded one', async () => {
    const values = [0.5, -1.25, 3, 1e-3, 7, -8, 0, 2.5];
    const n = values.length;
    writeFileSync(join(dir, 'small.bin'), pb.concat([new Uint8Array(16), pb.floatBytes(values)]));
    const externalPath = join(dir, 'external.onnx');
    const embeddedPath = join(dir, 'embedded.onnx');
    writeFileSync(externalPath, addModel(externalTensor([['location', 'small.bin'], ['offset', '16'], ['length', String(4 * n)]], n), n));
    writeFileSync(embeddedPath, addModel(embeddedTensor(values), n));

    // Whittle accepts it and reads the same weights onnxruntime will use.
    const opened = await openModelFile(externalPath);
    const w = opened.model.graph!.initializer[0]!;
    expect([...(tensorValues(w, await readExternalTensor(opened, w)) as Float32Array)]).toEqual(values.map(Math.fround));

    const options: ort.InferenceSession.SessionOptions = { logSeverityLevel: 4, intraOpNumThreads: 1, interOpNumThreads: 1 };
    const x = Float32Array.from({ length: n }, (_, i) => i * 0.75 - 2);
    const run = async (path: string): Promise<Float32Array> => {
      const session = await ort.InferenceSession.create(path, options);
      try {
        const out = await session.run({ x: new ort.Tensor('float32', x, [n]) });
        return out.y!.data as Float32Array;
      } finally {
        await session.release();
      }
    };
    const fromExternal = await run(externalPath);
    const fromEmbedded = await run(embeddedPath);
    expect(new Uint8Array(fromExternal.buffer, fromExternal.byteOffset, fromExternal.byteLength)).toEqual(new Uint8Array(fromEmbedded.buffer, fromEmbedded.byteOffset, fromEmbedded.byteLength));
    expect([...fromExternal]).toEqual(values.map((v, i) => Math.fround(Math.fround(v) + x[i]!)));
  });
});
