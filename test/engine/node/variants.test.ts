import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeModel, type ModelProto } from '../../../engine/core/onnx/index.js';
import { runBenchmark } from '../../../engine/node/benchmark.js';
import { openModelFile, readExternalTensor } from '../../../engine/node/model-file.js';
import { externalReader, withInlineData } from '../../../engine/node/model-writer.js';
import { benchmarkVariantResult } from '../../../engine/node/variant-results.js';
import { addVariant, listVariants, readManifest, recordResult, removeVariant, type NewVariant } from '../../../engine/node/variants.js';
import { saveBenchmark } from '../../../engine/node/workspace.js';
import { ORIGINAL } from '../../../engine/protocol/variants.js';
import { SESSION_OPTIONS } from '../../support/ort.js';
import { variantInput, variantModel } from '../../support/variant-model.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A model file and its (not yet created) workspace beside it. */
async function setup(): Promise<{ dir: string; ws: string; original: NewVariant['original'] }> {
  const dir = await mkdtemp(join(tmpdir(), 'whittle-variants-'));
  dirs.push(dir);
  const bytes = encodeModel(variantModel(0));
  await writeFile(join(dir, 'model.onnx'), bytes);
  return { dir, ws: join(dir, 'model.whittle'), original: { path: join(dir, 'model.onnx'), sha256: sha256(bytes) } };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const optimize = { id: 'optimize', settings: { passes: ['fold-constants'], maxFoldElements: 1000 } };

async function run(model: string | Uint8Array): Promise<Uint8Array> {
  const session = await ort.InferenceSession.create(model as string, SESSION_OPTIONS);
  try {
    const out = await session.run({ x: new ort.Tensor('float32', variantInput(), [1, 16]) });
    const y = out.y!.data as Float32Array;
    return new Uint8Array(y.buffer, y.byteOffset, y.byteLength).slice();
  } finally {
    await session.release();
  }
}

describe('variants', () => {
  it('records variants of variants with their provenance, files and results, and reads them back', async () => {
    const { ws, original } = await setup();
    expect(await readManifest(ws)).toMatchObject({ version: 1, original: null, variants: [] });
    const model = variantModel(1);
    const v1 = await addVariant(ws, { original, parent: ORIGINAL, transform: optimize, model, figures: { macs: 256 } });
    const v2 = await addVariant(ws, { original, parent: v1.id, transform: { id: 'prune', settings: { ratio: 0.5 } }, model: encodeModel(variantModel(2)) });
    expect(v1).toMatchObject({ id: 'v1', file: 'variants/v1-optimize.onnx', parent: 'original', transform: optimize, externalData: null, figures: { nodeCount: 4, params: 16 * 16 + 32, weightBytes: 4 * (16 * 16 + 32), macs: 256 } });
    expect(v2).toMatchObject({ id: 'v2', file: 'variants/v2-prune.onnx', parent: 'v1' });
    expect(Date.parse(v1.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    const bytes = await readFile(join(ws, v1.file));
    expect(bytes).toEqual(Buffer.from(encodeModel(model)));
    expect(v1).toMatchObject({ sha256: sha256(bytes), sizeBytes: bytes.length });
    // Given bytes are written as they came.
    expect(await readFile(join(ws, v2.file))).toEqual(Buffer.from(encodeModel(variantModel(2))));

    const manifest = await readManifest(ws);
    expect(manifest.original).toEqual({ path: '../model.onnx', sha256: original.sha256, sizeBytes: encodeModel(variantModel(0)).length, results: {} });
    expect(manifest.variants).toEqual([v1, v2]);

    const result = { kind: 'benchmark', recordedAt: '2026-11-24T10:00:00.000Z', figures: { latencyMeanMs: 1.5, macs: null }, conditions: { executionProvider: 'cpu' }, file: null };
    await recordResult(ws, 'v2', 'benchmark-cpu-1t', result);
    await recordResult(ws, ORIGINAL, 'benchmark-cpu-1t', { ...result, figures: { latencyMeanMs: 2 } });
    await recordResult(ws, 'v2', 'benchmark-cpu-1t', { ...result, figures: { latencyMeanMs: 1.25 } });
    const after = await readManifest(ws);
    expect(after.variants[1]!.results).toEqual({ 'benchmark-cpu-1t': { ...result, figures: { latencyMeanMs: 1.25 } } });
    expect(after.original!.results['benchmark-cpu-1t']!.figures).toEqual({ latencyMeanMs: 2 });

    expect((await listVariants(ws)).map((v) => [v.id, v.path, v.present])).toEqual([
      ['v1', join(ws, 'variants/v1-optimize.onnx'), true],
      ['v2', join(ws, 'variants/v2-prune.onnx'), true],
    ]);
  });

  it('records a measured benchmark of a variant as its result', async () => {
    const { ws, original } = await setup();
    const v1 = await addVariant(ws, { original, parent: ORIGINAL, transform: optimize, model: variantModel(1) });
    const measured = await runBenchmark(join(ws, v1.file), { runs: 2, intraOpThreads: 1 });
    expect(measured.model.sha256).toBe(v1.sha256);
    const saved = await saveBenchmark(ws, measured);
    const { key, result } = benchmarkVariantResult(ws, measured, saved);
    await recordResult(ws, v1.id, key, result);
    const recorded = (await readManifest(ws)).variants[0]!.results;
    expect(Object.keys(recorded)).toEqual(['benchmark-cpu-1t']);
    expect(recorded['benchmark-cpu-1t']).toMatchObject({ kind: 'benchmark', file: expect.stringMatching(/^benchmarks\/.+\.json$/), figures: { latencyMeanMs: measured.latencyMs.mean } });
  });

  it('writes large weights to a data file that onnxruntime and openModelFile read, with the same outputs', async () => {
    const { ws, original } = await setup();
    const model = variantModel(3);
    const v1 = await addVariant(ws, { original, parent: ORIGINAL, transform: optimize, model }, { externalData: { thresholdBytes: 0, minTensorBytes: 64 } });
    expect(v1.externalData).toMatchObject({ file: 'variants/v1-optimize.onnx.data' });
    const data = await readFile(join(ws, v1.externalData!.file));
    expect(v1.externalData).toMatchObject({ sha256: sha256(data), sizeBytes: data.length });
    expect((await readFile(join(ws, v1.file))).length).toBeLessThan(1024);

    const opened = await openModelFile(join(ws, v1.file));
    expect([...opened.external.values()].map((l) => [l.tensorName, l.location, l.offset % 64, l.length])).toEqual([
      ['C', 'v1-optimize.onnx.data', 0, 64],
      ['W', 'v1-optimize.onnx.data', 0, 1024],
      ['B', 'v1-optimize.onnx.data', 0, 64],
    ]);
    for (const [t, loc] of opened.external) {
      const source = [...model.graph!.initializer, model.graph!.node[0]!.attribute[0]!.t!].find((s) => s.name === loc.tensorName)!;
      expect(await readExternalTensor(opened, t)).toEqual(source.rawData);
    }
    expect(await run(join(ws, v1.file))).toEqual(await run(encodeModel(model)));
    // With its weights read in, it runs from memory.
    const inline = await withInlineData(opened.model, externalReader(opened));
    expect(inline.graph!.initializer.map((t) => [t.dataLocation, t.rawData?.length])).toEqual([[0, 1024], [0, 64]]);
    expect(opened.model.graph!.initializer.every((t) => t.dataLocation === 1)).toBe(true);
    expect(await run(encodeModel(inline))).toEqual(await run(encodeModel(model)));

    // A variant made from it (here: the same model, its tensor objects copied) gets its weights back inline.
    const copied: ModelProto = { ...opened.model, graph: { ...opened.model.graph!, initializer: opened.model.graph!.initializer.map((t) => ({ ...t })) } };
    const v2 = await addVariant(ws, { original, parent: v1.id, transform: optimize, model: copied, readExternal: externalReader(opened) });
    expect(v2.externalData).toBeNull();
    expect((await openModelFile(join(ws, v2.file))).external.size).toBe(0);
    expect(await run(join(ws, v2.file))).toEqual(await run(encodeModel(model)));
    // Without a reader its external tensors cannot be copied.
    await expect(addVariant(ws, { original, parent: v1.id, transform: optimize, model: opened.model })).rejects.toThrow(/tensor "C" is external and no reader/);
    expect((await readManifest(ws)).variants).toHaveLength(2);
  });

  it('lands every one of many concurrent additions', async () => {
    const { ws, original } = await setup();
    const added = await Promise.all(Array.from({ length: 12 }, (_, i) => addVariant(ws, { original, parent: ORIGINAL, transform: { id: 'quantize', settings: { i } }, model: variantModel(i) })));
    expect(new Set(added.map((v) => v.id)).size).toBe(12);
    const manifest = await readManifest(ws);
    expect(manifest.variants.map((v) => v.transform.settings.i).sort((a, b) => Number(a) - Number(b))).toEqual([...Array(12).keys()]);
    expect((await listVariants(ws)).every((v) => v.present)).toBe(true);
  });

  it('refuses a corrupt manifest with a readable message and does not overwrite it', async () => {
    const { ws, original } = await setup();
    await mkdir(ws);
    await writeFile(join(ws, 'variants.json'), '{ "version": 1, "variants": [');
    const refusal = { name: 'WorkspaceError', code: 'manifest-unreadable', message: expect.stringMatching(/variants\.json is not valid JSON \(.+\)\. Whittle will not overwrite it: move it aside/) };
    await expect(readManifest(ws)).rejects.toMatchObject(refusal);
    await expect(addVariant(ws, { original, parent: ORIGINAL, transform: optimize, model: variantModel(1) })).rejects.toMatchObject(refusal);
    expect(await readFile(join(ws, 'variants.json'), 'utf8')).toBe('{ "version": 1, "variants": [');
    expect(await readdir(join(ws, 'variants'))).toEqual([]);

    await writeFile(join(ws, 'variants.json'), JSON.stringify({ version: 1, whittleVersion: '0.1.0', original: null, variants: [{ id: 'v1' }] }));
    await expect(readManifest(ws)).rejects.toMatchObject({ code: 'manifest-invalid', message: expect.stringContaining('is not a valid variants manifest: variants.json.variants[0].file: is missing') });
  });

  it('refuses a manifest of a newer version, naming the Whittle that wrote it', async () => {
    const { ws } = await setup();
    await mkdir(ws);
    await writeFile(join(ws, 'variants.json'), JSON.stringify({ version: 2, whittleVersion: '3.1.0', somethingNew: [] }));
    await expect(readManifest(ws)).rejects.toMatchObject({ code: 'manifest-newer', message: expect.stringMatching(/written by Whittle 3\.1\.0 \(manifest version 2\); this is Whittle .+, which reads version 1\. Open the workspace with Whittle 3\.1\.0 or newer/) });
  });

  it('writes nothing through links that lead out of the workspace', async () => {
    const { dir, ws, original } = await setup();
    const outside = join(dir, 'elsewhere');
    await mkdir(outside);
    await mkdir(ws);
    await symlink(outside, join(ws, 'variants'));
    await expect(addVariant(ws, { original, parent: ORIGINAL, transform: optimize, model: variantModel(1) })).rejects.toMatchObject({ code: 'outside-workspace', message: expect.stringContaining('is a symbolic link') });
    expect(await readdir(outside)).toEqual([]);

    await rm(join(ws, 'variants'));
    await writeFile(join(outside, 'manifest.json'), '{}');
    await symlink(join(outside, 'manifest.json'), join(ws, 'variants.json'));
    await expect(readManifest(ws)).rejects.toMatchObject({ code: 'manifest-unreadable', message: expect.stringContaining('is a symbolic link') });
  });

  it('refuses unknown parents, a changed original, bad transforms, and removing a variant with children', async () => {
    const { ws, original } = await setup();
    const add = (over: Partial<NewVariant>) => addVariant(ws, { original, parent: ORIGINAL, transform: optimize, model: variantModel(1), ...over });
    await expect(add({ parent: 'v7' })).rejects.toMatchObject({ code: 'unknown-variant', message: expect.stringContaining('has no variant "v7"') });
    await expect(add({ transform: { id: 'Fold Things', settings: {} } })).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('transform.id: "Fold Things" is not a transform id') });
    await expect(add({ transform: { id: 'prune', settings: [] as never } })).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('transform.settings: must be an object') });
    await expect(add({ original: { ...original, sha256: 'not a hash' } })).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('variants.json.original.sha256: "not a hash" is not a SHA-256') });
    expect(await readManifest(ws)).toMatchObject({ original: null, variants: [] });
    expect(await readdir(join(ws, 'variants'))).toEqual([]);
    const v1 = await add({});
    await add({ parent: v1.id });
    await expect(add({ original: { ...original, sha256: 'f'.repeat(64) } })).rejects.toMatchObject({ code: 'original-changed', message: expect.stringContaining('move the workspace aside') });
    await expect(removeVariant(ws, 'v1')).rejects.toMatchObject({ code: 'has-children', message: 'Variant v1 cannot be removed: v2 was made from it. Remove it first.' });
    await removeVariant(ws, 'v2');
    await removeVariant(ws, 'v1');
    expect((await readManifest(ws)).variants).toEqual([]);
    expect(await readdir(join(ws, 'variants'))).toEqual([]);
  });

  it('never overwrites a file the manifest does not list, and clears temp files left by a killed writer', async () => {
    const { ws, original } = await setup();
    await addVariant(ws, { original, parent: ORIGINAL, transform: optimize, model: variantModel(1) });
    await writeFile(join(ws, 'variants', 'v2-optimize.onnx'), 'an orphan');
    await writeFile(join(ws, 'variants', '.v3-optimize.onnx.4242.0123abcd.tmp'), 'half');
    await writeFile(join(ws, '.variants.json.4242.0123abcd.tmp'), 'half');
    const v3 = await addVariant(ws, { original, parent: ORIGINAL, transform: optimize, model: variantModel(2) });
    expect(v3.id).toBe('v3');
    expect(await readFile(join(ws, 'variants', 'v2-optimize.onnx'), 'utf8')).toBe('an orphan');
    expect((await readdir(join(ws, 'variants'))).sort()).toEqual(['v1-optimize.onnx', 'v2-optimize.onnx', 'v3-optimize.onnx']);
    expect((await readdir(ws)).sort()).toEqual(['variants', 'variants.json']);
  });

  it('breaks the lock of a dead process and waits for a live one', async () => {
    const { ws, original } = await setup();
    await mkdir(ws);
    const lock = join(ws, 'variants.json.lock');
    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((done) => dead.on('exit', done));
    await writeFile(lock, JSON.stringify({ pid: dead.pid, host: hostname(), token: 'aaaa', since: '2026-01-01T00:00:00.000Z' }));
    await addVariant(ws, { original, parent: ORIGINAL, transform: optimize, model: variantModel(1) });
    await expect(readFile(lock)).rejects.toMatchObject({ code: 'ENOENT' });

    await writeFile(lock, JSON.stringify({ pid: process.ppid, host: hostname(), token: 'bbbb', since: '2026-01-01T00:00:00.000Z' }));
    await expect(addVariant(ws, { original, parent: ORIGINAL, transform: optimize, model: variantModel(2) }, { lockTimeoutMs: 200 })).rejects.toMatchObject({
      code: 'locked',
      message: expect.stringMatching(new RegExp(`^Whittle process ${process.ppid} on .+ is changing this workspace; try again when it has finished\\. If no Whittle is running, delete .+variants\\.json\\.lock\\.$`)),
    });
    expect((await readManifest(ws)).variants).toHaveLength(1);
  });
});
