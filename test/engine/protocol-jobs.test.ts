import { describe, expect, it } from 'vitest';
import {
  benchmarkOptions,
  benchmarkResult,
  checkClientMessage,
  checkResult,
  checkServerMessage,
  type BenchmarkResult,
} from '../../engine/protocol/index.js';
import { refusal } from '../support/refusal.js';

const bench = (params: unknown) => ({ type: 'request', id: 3, method: 'bench.run', params });

describe('protocol: progress and cancel', () => {
  it('accepts progress under a request id with a fraction in [0, 1]', () => {
    const message = { type: 'progress', id: 4, progress: { stage: 'runs', fraction: 0.5, message: 'Timed run 10 of 20' } };
    expect(checkServerMessage(message)).toEqual(message);
  });

  it.each([
    ['a fraction over 1', { stage: 'runs', fraction: 1.5, message: '' }, /fraction: must be between 0 and 1/],
    ['a negative fraction', { stage: 'runs', fraction: -0.1, message: '' }, /fraction/],
    ['NaN', { stage: 'runs', fraction: Number.NaN, message: '' }, /fraction/],
    ['a missing stage', { fraction: 0, message: '' }, /stage: is missing/],
    ['an extra field', { stage: 'runs', fraction: 0, message: '', eta: 3 }, /unknown field "eta"/],
  ])('refuses progress with %s', (_name, progress, message) => {
    const err = refusal(() => checkServerMessage({ type: 'progress', id: 1, progress }));
    expect(err.code).toBe('internal');
    expect(err.message).toMatch(message);
  });

  it('accepts cancel messages from clients, and requests as before', () => {
    expect(checkClientMessage({ type: 'cancel', id: 9 })).toEqual({ type: 'cancel', id: 9 });
    expect(checkClientMessage({ type: 'request', id: 1, method: 'model.current', params: {} }).type).toBe('request');
  });

  it.each([
    [{ type: 'cancel' }, /id: is missing/],
    [{ type: 'cancel', id: -1 }, /non-negative integer/],
    [{ type: 'cancel', id: 1, reason: 'x' }, /unknown field "reason"/],
  ])('refuses the cancel %j', (message, detail) => {
    const err = refusal(() => checkClientMessage(message));
    expect(err.code).toBe('bad-request');
    expect(err.message).toMatch(detail);
  });
});

describe('protocol: bench.run', () => {
  it('accepts full and empty options, with or without a path', () => {
    const options = {
      intraOpThreads: 4,
      interOpThreads: 1,
      optimizationLevel: 'extended',
      executionProvider: 'cpu',
      inputDims: { x: [1, 3, 'h', 224] },
      inputFiles: { y: '/data/y.npy' },
      fill: { kind: 'random', low: -1, high: 1 },
      seed: 7,
      warmupRuns: 0,
      runs: 50,
      minTimeMs: 1000,
      perNode: true,
      batchSizes: [1, 8],
    };
    expect(checkClientMessage(bench({ path: '/m.onnx', options }))).toEqual(bench({ path: '/m.onnx', options }));
    expect(checkClientMessage(bench({ options: { fill: { kind: 'zeros' } } }))).toEqual(bench({ options: { fill: { kind: 'zeros' } } }));
  });

  it.each([
    ['no options', {}, /options: is missing/],
    ['zero runs', { options: { runs: 0 } }, /runs: must be between 1/],
    ['fractional threads', { options: { intraOpThreads: 1.5 } }, /intraOpThreads: must be a whole number/],
    ['an unknown provider', { options: { executionProvider: 'tpu' } }, /executionProvider: must be one of cpu/],
    ['an unknown option', { options: { turbo: true } }, /unknown field "turbo"/],
    ['an unknown fill', { options: { fill: { kind: 'ones' } } }, /fill.kind: must be one of random, zeros/],
    ['low above high', { options: { fill: { kind: 'random', low: 2, high: 1 } } }, /low must not be greater than high/],
    ['a blank dim name', { options: { inputDims: { x: [' '] } } }, /must not be empty/],
    ['a negative dim', { options: { inputDims: { x: [-1] } } }, /between 0/],
    ['perNode as text', { options: { perNode: 'yes' } }, /must be true or false/],
    ['an empty path', { path: '', options: {} }, /must not be empty/],
  ])('refuses %s', (_name, params, detail) => {
    const err = refusal(() => checkClientMessage(bench(params)));
    expect(err.code).toBe('bad-request');
    expect(err.message).toMatch(detail);
  });

  it('exports the options validator for callers that check options themselves', () => {
    expect(benchmarkOptions({ runs: 3 }, 'options')).toEqual({ runs: 3 });
  });

  const stats = { mean: 1, p50: 1, p90: 1.2, p99: 1.3, min: 0.9, max: 1.4, stdev: 0.1 };
  const result: BenchmarkResult = {
    model: { path: '/m.onnx', fileName: 'm.onnx', sha256: 'ab'.repeat(32) },
    environment: {
      cpuModel: 'cpu',
      cores: 8,
      availableCores: 8,
      totalMemoryBytes: 1e9,
      os: 'linux 6.1 x64',
      nodeVersion: 'v20',
      onnxruntimeVersion: '1.30.0',
      whittleVersion: '0.1.0',
      availableProviders: ['cpu'],
      startedAt: '2025-01-01T00:00:00Z',
    },
    options: { intraOpThreads: 8, interOpThreads: 1, optimizationLevel: 'all', executionProvider: 'cpu', warmupRuns: 2, seed: 1, fill: { kind: 'zeros' } },
    inputs: [{ name: 'x', dtype: 'float32', dims: [1, 3], source: 'zeros' }],
    latencyMs: stats,
    cv: 0.1,
    throughput: 1000,
    samplesMs: [1, 1.1],
    sessionMs: 20,
    firstRunMs: 3,
    peakRssBytes: 1e8,
    coverage: null,
    nodes: [],
    profile: null,
    sweep: [{ batch: 2, latencyMs: stats, throughput: 1500 }],
  };

  it('accepts a result, and lets a newer engine add fields', () => {
    expect(checkResult('bench.run', result)).toBe(result);
    expect(benchmarkResult({ ...result, extra: 1 }, 'result')).toBeTruthy();
  });

  it('refuses a result without latencies, or with text where numbers belong', () => {
    const { latencyMs: _omitted, ...withoutLatency } = result;
    expect(refusal(() => checkResult('bench.run', withoutLatency)).message).toMatch(/latencyMs: is missing/);
    expect(refusal(() => checkResult('bench.run', { ...result, samplesMs: ['1'] })).message).toMatch(/samplesMs\[0\]: must be a finite number/);
  });
});

describe('protocol: model.tensor', () => {
  it('accepts a name, and a result whose typed array matches its dtype and dims', () => {
    expect(checkClientMessage({ type: 'request', id: 1, method: 'model.tensor', params: { name: 'w' } }).type).toBe('request');
    const tensor = { name: 'w', dtype: 'int64', dims: [2, 2], data: new BigInt64Array([1n, 2n, 3n, 4n]) };
    expect(checkResult('model.tensor', tensor)).toBe(tensor);
  });

  it.each([
    ['plain numbers', { name: 'w', dtype: 'float32', dims: [2], data: [1, 2] }, /data: must be a Float32Array/],
    ['the wrong array', { name: 'w', dtype: 'float32', dims: [2], data: new Float64Array(2) }, /data: must be a Float32Array/],
    ['too few elements', { name: 'w', dtype: 'float16', dims: [2, 3], data: new Uint16Array(5) }, /has 5 elements, dims say 6/],
    ['a type Whittle does not send', { name: 'w', dtype: 'string', dims: [1], data: new Uint8Array(1) }, /"string" is not a type Whittle sends/],
  ])('refuses a tensor with %s', (_name, tensor, detail) => {
    expect(refusal(() => checkResult('model.tensor', tensor)).message).toMatch(detail);
  });
});
