import { describe, expect, it } from 'vitest';
import type { BenchmarkResult } from '../../../engine/protocol/index.js';
import { environmentRows, latencyRows, runRows, topKernels } from '../../../renderer/src/features/bench/bench-results.js';

const RESULT: BenchmarkResult = {
  model: { path: '/m/a.onnx', fileName: 'a.onnx', sha256: '0'.repeat(64) },
  environment: {
    cpuModel: 'Toy CPU',
    cores: 8,
    availableCores: 4,
    totalMemoryBytes: 2 ** 34,
    os: 'linux 6.1.0 x64',
    nodeVersion: '20.19.0',
    onnxruntimeVersion: '1.30.0',
    whittleVersion: '0.1.0',
    availableProviders: ['cpu'],
    startedAt: '2025-01-01T00:00:00.000Z',
  },
  options: { intraOpThreads: 4, interOpThreads: 1, optimizationLevel: 'all', executionProvider: 'cpu', warmupRuns: 1, seed: 0, fill: { kind: 'random', low: 0, high: 1 } },
  inputs: [{ name: 'x', dtype: 'float32', dims: [8, 3, 48, 192], source: 'random' }],
  latencyMs: { mean: 2.5, p50: 2.4, p90: 3, p99: 4.25, min: 2, max: 4.5, stdev: 0.5 },
  cv: 0.2,
  throughput: 3200,
  samplesMs: [2, 2.4, 4.5],
  sessionMs: 120,
  firstRunMs: 9.5,
  peakRssBytes: 150 * 2 ** 20,
  coverage: null,
  nodes: [],
  profile: null,
  sweep: [],
};

describe('benchmark result rows', () => {
  it('lists median, mean, tails, extremes, stdev and cv', () => {
    expect(latencyRows(RESULT)).toEqual([
      ['Median', '2.40 ms'],
      ['Mean', '2.50 ms'],
      ['p90', '3.00 ms'],
      ['p99', '4.25 ms'],
      ['Min', '2.00 ms'],
      ['Max', '4.50 ms'],
      ['Std dev', '500 µs'],
      ['CV', '20.0%'],
    ]);
  });

  it('gives throughput with the batch, session and first-run time, and peak memory', () => {
    expect(runRows(RESULT)).toEqual([
      ['Throughput', '3200 samples/s (batch 8)'],
      ['Timed runs', '3'],
      ['Session creation', '120 ms'],
      ['First run', '9.50 ms'],
      ['Peak RSS', '150 MiB'],
    ]);
  });

  it('lists the slowest kernels first', () => {
    const kernel = (name: string, ms: number) => ({ name, opType: 'Conv', provider: 'CPUExecutionProvider', ms, share: 0, covers: [], gflops: null, gbps: null });
    const profile = { runs: 1, runMs: 10, kernelMs: 10, coverage: 1, unmappedMs: 0, kernels: [kernel('a', 1), kernel('b', 5), kernel('c', 3)], opTypes: [], uncovered: [], roofline: [] };
    expect(topKernels({ ...RESULT, profile }, 2).map((k) => k.name)).toEqual(['b', 'c']);
    expect(topKernels(RESULT, 2)).toEqual([]);
  });

  it('names the CPU, usable cores, runtime, provider and threads', () => {
    expect(environmentRows(RESULT)).toContainEqual(['Cores', '4 of 8']);
    expect(environmentRows(RESULT)).toContainEqual(['Threads', '4 intra-op, 1 inter-op']);
    expect(environmentRows(RESULT).map(([label]) => label)).toEqual(['CPU', 'Cores', 'onnxruntime', 'Provider', 'Threads', 'Optimization', 'OS']);
  });
});
