import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeModel } from '../../../engine/core/analysis/index.js';
import { findDevice } from '../../../engine/core/hardware/index.js';
import { decodeModel } from '../../../engine/core/onnx/index.js';
import { openModelFile } from '../../../engine/node/model-file.js';
import { figuresOf, optimizeModelFile } from '../../../engine/node/optimize-model.js';
import { readManifest } from '../../../engine/node/variants.js';
import { checkResult, optimizeParams, pinnedDimsNote } from '../../../engine/protocol/index.js';
import { sampleCopy } from '../../support/sample-copy.js';

const DIMS = { x: [1, 3, 48, 192] };
const COUNTED = (path: string) => ({ inputDims: DIMS, deviceId: 'rpi5', workspaceDir: join(dirname(path), 'ws') });

describe('optimizeModelFile', () => {
  it('previews without writing anything: what would change and both models’ figures', async () => {
    const path = sampleCopy();
    const report = await optimizeModelFile(path, { ...COUNTED(path), apply: false });
    // The sample is PaddleOCR's classifier: 35 BatchNormalizations after Convs, one MatMul + Add.
    expect(report.changes.filter((c) => c.pass === 'fold-batchnorm')).toHaveLength(35);
    expect(report.changes.filter((c) => c.pass === 'fuse-matmul-add')).toHaveLength(1);
    expect(report.variant).toBeNull();
    expect(report.fidelity).toEqual({ checked: false, reason: 'a preview: nothing was written or run' });
    // The figures are the analysis's, counted on the original as it is.
    const original = analyzeModel((await openModelFile(path)).model, { inputDims: DIMS, device: findDevice('rpi5')! });
    expect(report.before).toEqual(figuresOf(original));
    expect(report.before.nodes - report.after.nodes).toBe(35 + 1 + 6);
    expect(report.after.trafficBytes).toBeLessThan(report.before.trafficBytes);
    expect(report.after.macs).toBe(report.before.macs);
    expect(await readdir(dirname(path))).toEqual(['ppocr-cls.onnx']);
    expect(checkResult('optimize.run', JSON.parse(JSON.stringify(report)))).toEqual(report);
  });

  it('applies: records a variant, checks its outputs against the original, writes -o, and leaves the original as it was', async () => {
    const path = sampleCopy();
    const before = await readFile(path);
    const out = join(dirname(path), 'out', 'cls-optimized.onnx');
    const report = await optimizeModelFile(path, { ...COUNTED(path), apply: true, passes: ['fold-batchnorm'], output: out });
    expect(report.changes).toHaveLength(35);
    expect(report.variant).toMatchObject({ id: 'v1', parent: 'original', transform: { id: 'optimize', settings: { passes: ['fold-batchnorm'], inputDims: DIMS } }, present: true });
    expect(report.fidelity).toMatchObject({ checked: true, passed: true, tolerance: 1e-4, inputs: [{ name: 'x', dims: [1, 3, 48, 192], source: 'random' }] });
    if (!report.fidelity.checked) throw new Error('not checked');
    expect(report.fidelity.worstRelativeError).toBeLessThan(1e-5);
    const manifest = await readManifest(join(dirname(path), 'ws'));
    expect(manifest.variants.map((v) => v.id)).toEqual(['v1']);
    expect(manifest.variants[0]!.results.fidelity).toMatchObject({ kind: 'fidelity', figures: { passed: 1 } });
    expect(manifest.variants[0]!.figures).toMatchObject({ macs: report.after.macs, changes: 35 });
    // The variant and the -o copy are the same model, 35 BatchNormalizations lighter.
    const variant = decodeModel(await readFile(report.variant!.path));
    const written = decodeModel(await readFile(out));
    expect(written.graph!.node.length).toBe(variant.graph!.node.length);
    expect(variant.graph!.node.filter((n) => n.opType === 'BatchNormalization')).toHaveLength(0);
    expect(report.output).toBe(out);
    expect(await readFile(path)).toEqual(before);
    expect((await stat(out)).size).toBeGreaterThan(0);
  });

  it('makes no variant of a model no chosen pass changes', async () => {
    const path = sampleCopy();
    const report = await optimizeModelFile(path, { ...COUNTED(path), apply: true, passes: ['reparam-repvgg'] });
    expect(report.changes).toEqual([]);
    expect(report.variant).toBeNull();
    expect(report.after).toEqual(report.before);
    expect(report.fidelity).toEqual({ checked: false, reason: 'no pass changed the model, so no variant was made' });
  });

  it('measures both models in alternating rounds and records both benchmarks', async () => {
    const path = sampleCopy();
    const report = await optimizeModelFile(path, { ...COUNTED(path), apply: true, bench: { runs: 3, warmupRuns: 0, intraOpThreads: 1 }, benchRounds: 2 });
    expect(report.latency).toMatchObject({ rounds: 2, runsPerRound: 3, intraOpThreads: 1 });
    expect(report.latency!.beforeRoundsMs).toHaveLength(2);
    expect(report.latency!.speedup).toBeCloseTo(report.latency!.beforeMs / report.latency!.afterMs, 12);
    const manifest = await readManifest(join(dirname(path), 'ws'));
    expect(Object.keys(manifest.original!.results)).toEqual(['benchmark-cpu-1t']);
    expect(Object.keys(manifest.variants[0]!.results).sort()).toEqual(['benchmark-cpu-1t', 'fidelity']);
  });

  it('says when the outputs cannot be compared instead of failing', async () => {
    const path = sampleCopy();
    const report = await optimizeModelFile(path, { workspaceDir: join(dirname(path), 'ws'), deviceId: 'rpi5', apply: true, passes: ['fold-batchnorm'] });
    expect(report.variant).not.toBeNull();
    expect(report.fidelity).toMatchObject({ checked: false, reason: expect.stringMatching(/^no inputs to compare the outputs on: .*p2o\.DynamicDimension/) });
  });
});

describe('optimize.run parameters', () => {
  it('take input files for the output check, and refuse an empty path', () => {
    const params = { apply: true, inputDims: { input: [1, 512] }, inputFiles: { sr: '/data/sr.json' } };
    expect(optimizeParams(params, 'params')).toEqual(params);
    expect(() => optimizeParams({ apply: true, inputFiles: { sr: ' ' } }, 'params')).toThrow(/params\.inputFiles\.sr/);
  });
});

describe('pinnedDimsNote', () => {
  const change = (atInputDims?: true) => ({ pass: 'fold-constants' as const, kind: 'folded' as const, nodes: ['a'], detail: '', graphPath: 'graph', ...(atInputDims ? { atInputDims } : {}) });

  it('warns when folds used the pinned dims, naming them, and says nothing otherwise', () => {
    expect(pinnedDimsNote({ changes: [change(true), change(), change(true)], inputDims: { input_ids: [1, 16], mask: [1, 16] } })).toBe(
      'The result runs at the input dims it was made for only (input_ids 1×16, mask 1×16): 2 constant folds used the shapes they give. To keep dims open, leave them unpinned or drop fold-constants.',
    );
    expect(pinnedDimsNote({ changes: [change()], inputDims: { x: [1, 3] } })).toBeNull();
  });
});
