import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../../engine/core/onnx/index.js';
import { runBenchmark } from '../../../engine/node/benchmark.js';
import type { JobProgress } from '../../../engine/protocol/index.js';
import { PROJECT_ROOT } from '../../support/corpus.js';

const SAMPLE = resolve(PROJECT_ROOT, 'assets/samples/ppocr-cls.onnx');
const DIMS = { x: [1, 3, 48, 192] };

/** Textbook statistics, written out here rather than taken from the engine. */
function expectedStats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => {
    const rank = (p / 100) * (sorted.length - 1);
    const lo = Math.floor(rank);
    return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (rank - lo);
  };
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const stdev = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / (samples.length - 1));
  return { mean, p50: at(50), p90: at(90), p99: at(99), min: sorted[0]!, max: sorted.at(-1)!, stdev };
}

describe('runBenchmark', () => {
  it('times the requested runs and reports their statistics, inputs, environment and costs apart', async () => {
    const result = await runBenchmark(SAMPLE, { inputDims: DIMS, runs: 15, intraOpThreads: 1 });
    expect(result.samplesMs).toHaveLength(15);
    for (const s of result.samplesMs) expect(s).toBeGreaterThan(0);
    const expected = expectedStats([...result.samplesMs]);
    for (const [key, value] of Object.entries(expected)) expect(result.latencyMs[key as keyof typeof expected], key).toBeCloseTo(value, 9);
    expect(result.latencyMs.p50).toBe([...result.samplesMs].sort((a, b) => a - b)[7]);
    expect(result.cv).toBeCloseTo(expected.stdev / expected.mean, 12);
    expect(result.throughput).toBeCloseTo(1000 / expected.mean, 9);

    expect(result.model).toEqual({ path: SAMPLE, fileName: 'ppocr-cls.onnx', sha256: createHash('sha256').update(readFileSync(SAMPLE)).digest('hex') });
    expect(result.inputs).toEqual([{ name: 'x', dtype: 'float32', dims: [1, 3, 48, 192], source: 'random' }]);
    expect(result.options).toEqual({ intraOpThreads: 1, interOpThreads: 1, optimizationLevel: 'all', executionProvider: 'cpu', warmupRuns: 1, seed: 0, fill: { kind: 'random', low: 0, high: 1 } });
    expect(result.environment).toMatchObject({ cores: cpus().length, onnxruntimeVersion: ort.env.versions.common, nodeVersion: process.versions.node });
    expect(result.environment.availableProviders).toContain('cpu');
    expect(Date.parse(result.environment.startedAt)).toBeGreaterThan(Date.parse('2026-01-01'));
    expect(result.sessionMs).toBeGreaterThan(0);
    expect(result.firstRunMs).toBeGreaterThan(0);
    expect(result.peakRssBytes).toBeGreaterThan(30 * 2 ** 20);
    expect(result.peakRssBytes).toBeLessThan(8 * 2 ** 30);
    expect(result).toMatchObject({ coverage: null, nodes: [], profile: null, sweep: [] });
  });

  it('keeps running until the minimum time is measured', async () => {
    const result = await runBenchmark(SAMPLE, { inputDims: DIMS, minTimeMs: 150, intraOpThreads: 1 });
    const total = result.samplesMs.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(150);
    expect(total - result.samplesMs.at(-1)!).toBeLessThan(150);
  });

  it('reports progress in order and stops between runs when cancelled', async () => {
    const controller = new AbortController();
    const seen: JobProgress[] = [];
    const running = runBenchmark(SAMPLE, { inputDims: DIMS, runs: 1_000_000, intraOpThreads: 1 }, {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p);
        if (p.stage === 'runs' && seen.filter((s) => s.stage === 'runs').length === 3) controller.abort();
      },
    });
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen.map((p) => p.stage).filter((s, i, all) => all.indexOf(s) === i)).toEqual(['load', 'session', 'warmup', 'runs']);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.fraction).toBeGreaterThanOrEqual(seen[i - 1]!.fraction);
    for (const p of seen) expect(p.fraction).toBeGreaterThanOrEqual(0);
  });

  it('ends its progress at 1 and sweeps batch sizes on a model with a symbolic batch', async () => {
    const seen: JobProgress[] = [];
    const result = await runBenchmark(SAMPLE, { inputDims: DIMS, runs: 10, batchSizes: [1, 4], intraOpThreads: 1 }, { onProgress: (p) => seen.push(p) });
    expect(seen.at(-1)).toMatchObject({ stage: 'done', fraction: 1 });
    expect(result.sweep.map((p) => p.batch)).toEqual([1, 4]);
    for (const p of result.sweep) expect(p.throughput).toBeCloseTo((p.batch * 1000) / p.latencyMs.mean, 9);
    // Four images take longer than one (minimums: robust to a busy machine): the batch reached the session.
    expect(result.sweep[1]!.latencyMs.min).toBeGreaterThan(result.sweep[0]!.latencyMs.min);
  });

  it('profiles every node: kernel time adds up, fused BatchNormalizations go to their Conv kernels, nothing is dropped', async () => {
    const result = await runBenchmark(SAMPLE, { inputDims: DIMS, runs: 5, intraOpThreads: 1, perNode: true });
    const profile = result.profile!;
    expect(profile.runs).toBe(5);
    expect(result.coverage).toBe(profile.coverage);
    expect(profile.coverage).toBeCloseTo(profile.kernelMs / profile.runMs, 12);
    const nodeMs = result.nodes.reduce((a, n) => a + n.ms, 0);
    expect(nodeMs + profile.unmappedMs).toBeCloseTo(profile.kernelMs, 9);
    expect(profile.kernels.reduce((a, k) => a + k.ms, 0)).toBeCloseTo(profile.kernelMs, 9);
    const names = new Set(decodeModel(readFileSync(SAMPLE)).graph!.node.map((n) => n.name));
    for (const n of result.nodes) expect(names.has(n.name), n.name).toBe(true);
    for (let i = 1; i < result.nodes.length; i++) expect(result.nodes[i]!.ms).toBeLessThanOrEqual(result.nodes[i - 1]!.ms);
    const kernelOp = new Map(profile.kernels.map((k) => [k.name, k.opType]));
    const batchNorms = result.nodes.filter((n) => n.opType === 'BatchNormalization');
    expect(batchNorms).toHaveLength(35);
    for (const bn of batchNorms) expect(kernelOp.get(bn.kernel), bn.name).toMatch(/Conv/);
    // Everything the runtime inserted (NCHWc reorders at level all) is time shown as unmapped, not dropped.
    const inserted = profile.kernels.filter((k) => k.covers.length === 0);
    expect(inserted.length).toBeGreaterThan(0);
    expect(inserted.reduce((a, k) => a + k.ms, 0)).toBeCloseTo(profile.unmappedMs, 9);
  });

  it('refuses an execution provider this installation does not have, naming the ones it has', async () => {
    await expect(runBenchmark(SAMPLE, { inputDims: DIMS, runs: 1, executionProvider: 'coreml' })).rejects.toThrow(/coreml execution provider is not available .*available: cpu/);
  });
});
