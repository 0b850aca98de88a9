/**
 * Measured latency of a model through onnxruntime-node, the way a careful engineer measures it:
 * session creation and the first run timed apart, warm-up, timed runs by count or by time,
 * percentiles, the environment recorded, and optionally time per node from onnxruntime's profiler.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { arch, availableParallelism, platform, release, totalmem } from 'node:os';
import * as ort from 'onnxruntime-node';
import type { ModelProto } from '../core/onnx/index.js';
import { coefficientOfVariation, summarize } from '../core/stats/index.js';
import type { BatchSweepPoint, BenchmarkEnvironment, BenchmarkInput, BenchmarkOptions, BenchmarkResult, ExecutionProviderName, JobProgress } from '../protocol/index.js';
import { prepareFeeds } from './benchmark-inputs.js';
import { machineKey } from './device-bench.js';
import { availableExecutionProviders } from './execution-providers.js';
import { resolveOptions, sessionOptions, type ResolvedOptions } from './benchmark-options.js';
import type { JobControl } from './job-control.js';
import { openModelFile, type OpenedModel } from './model-file.js';
import { profileNodes } from './node-profile.js';
import { WHITTLE_VERSION } from './version.js';

const DEFAULT_RUNS = 20;
/** Progress messages at most this often: a fast model runs thousands of times a second. */
const PROGRESS_INTERVAL_MS = 100;

/** The machine and software a measurement was taken on. */
export async function benchmarkEnvironment(): Promise<BenchmarkEnvironment> {
  const machine = machineKey();
  return {
    cpuModel: machine.cpuModel,
    cores: machine.cores,
    availableCores: availableParallelism(),
    totalMemoryBytes: totalmem(),
    os: `${platform()} ${release()} ${arch()}`,
    nodeVersion: process.versions.node,
    onnxruntimeVersion: machine.onnxruntimeVersion,
    whittleVersion: WHITTLE_VERSION,
    availableProviders: await availableExecutionProviders(),
    startedAt: new Date().toISOString(),
  };
}

/** SHA-256 of a file, read in chunks: results are tied to the exact file they measured. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function elapsedMs(start: number): number {
  return performance.now() - start;
}

/** Reports progress no more often than {@link PROGRESS_INTERVAL_MS}, except for the last step of a stage. */
function throttled(onProgress: JobControl['onProgress']): (progress: JobProgress, force?: boolean) => void {
  let last = -Infinity;
  return (progress, force = false) => {
    const now = performance.now();
    if (!force && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    onProgress?.(progress);
  };
}

interface TimedRuns {
  readonly runs?: number;
  readonly minTimeMs?: number;
}

/**
 * Runs until both the run count and the minimum time are reached (a count of {@link DEFAULT_RUNS}
 * when neither is given); returns each run's milliseconds.
 */
async function timeRuns(
  session: ort.InferenceSession,
  feeds: Record<string, ort.Tensor>,
  target: TimedRuns,
  control: JobControl,
  report: (done: number, fraction: number) => void,
): Promise<number[]> {
  const runs = target.runs ?? (target.minTimeMs === undefined ? DEFAULT_RUNS : 1);
  const minTimeMs = target.minTimeMs ?? 0;
  const samples: number[] = [];
  let measuredMs = 0;
  while (samples.length < runs || measuredMs < minTimeMs) {
    control.signal?.throwIfAborted();
    const start = performance.now();
    await session.run(feeds);
    const ms = elapsedMs(start);
    samples.push(ms);
    measuredMs += ms;
    report(samples.length, Math.min(1, Math.min(samples.length / runs, minTimeMs === 0 ? 1 : measuredMs / minTimeMs)));
  }
  return samples;
}

async function warmUp(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, runs: number, signal?: AbortSignal): Promise<void> {
  for (let i = 0; i < runs; i++) {
    signal?.throwIfAborted();
    await session.run(feeds);
  }
}

/** Samples per run: the first dim of the first input when it has a batch dim (rank ≥ 2), else 1. */
function samplesPerRun(inputs: readonly BenchmarkInput[]): number {
  const dims = inputs[0]?.dims;
  return dims !== undefined && dims.length >= 2 ? dims[0]! : 1;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/** `x float32 1×3×224×224 (random), sr int64 scalar (zeros)` */
function describeInputs(inputs: readonly BenchmarkInput[]): string {
  return inputs.map((i) => `${i.name} ${i.dtype} ${i.dims.join('×') || 'scalar'} (${i.source})`).join(', ');
}

function madeUpHint(inputs: readonly BenchmarkInput[]): string {
  const madeUp = inputs.some((i) => i.source === 'random' || i.source === 'zeros');
  return madeUp ? '. If an input needs real values (a sample rate, token ids, a mask), give it as a file: --input NAME=FILE.json or NAME=FILE.npy' : '';
}

/** A readable reason when the requested provider cannot run here. */
function checkProvider(provider: ExecutionProviderName, available: readonly ExecutionProviderName[]): void {
  if (!available.includes(provider)) {
    throw new Error(`The ${provider} execution provider is not available in this onnxruntime installation (available: ${available.join(', ')}).`);
  }
}

/**
 * Benchmarks a model: the file at a path, or one already opened (the workbench's current model,
 * so that it is not read and decoded again). Rejects with an AbortError when `control.signal` aborts (checked
 * between runs: a single run is never interrupted), and with a readable Error when the model,
 * its inputs or the options cannot run.
 */
export async function runBenchmark(model: string | OpenedModel, options: BenchmarkOptions, control: JobControl = {}): Promise<BenchmarkResult> {
  const report = throttled(control.onProgress);
  const resolved = resolveOptions(options);
  report({ stage: 'load', fraction: 0, message: 'Reading the model' }, true);
  const [opened, environment] = await Promise.all([typeof model === 'string' ? openModelFile(model) : model, benchmarkEnvironment()]);
  checkProvider(resolved.executionProvider, environment.availableProviders);
  const sha256 = await fileSha256(opened.path);
  control.signal?.throwIfAborted();

  const { feeds, inputs } = await prepareFeeds(opened.model, { inputDims: options.inputDims, inputFiles: options.inputFiles, fill: resolved.fill, seed: resolved.seed });
  report({ stage: 'session', fraction: 0.02, message: 'Creating the onnxruntime session' }, true);
  const sessionStart = performance.now();
  const session = await ort.InferenceSession.create(opened.path, sessionOptions(resolved));
  const sessionMs = elapsedMs(sessionStart);
  const stages = 1 + (options.perNode ? 1 : 0) + (options.batchSizes?.length ?? 0);
  const stageShare = 0.95 / stages;
  try {
    control.signal?.throwIfAborted();
    const firstStart = performance.now();
    await session.run(feeds).catch((err: unknown) => {
      throw new Error(`onnxruntime could not run ${opened.fileName} on ${describeInputs(inputs)}: ${firstLine(err)}${madeUpHint(inputs)}`);
    });
    const firstRunMs = elapsedMs(firstStart);
    report({ stage: 'warmup', fraction: 0.05, message: `Warming up (${resolved.warmupRuns} run${resolved.warmupRuns === 1 ? '' : 's'})` }, true);
    await warmUp(session, feeds, resolved.warmupRuns, control.signal);

    const samplesMs = await timeRuns(session, feeds, options, control, (done, fraction) =>
      report({ stage: 'runs', fraction: 0.05 + stageShare * fraction, message: `Timed run ${done}${options.runs === undefined ? '' : ` of ${options.runs}`}` }),
    );
    const latencyMs = summarize(samplesMs);
    const sweep = await sweepBatches(session, opened.model, options, resolved, control, (i, fraction) =>
      report({ stage: 'sweep', fraction: 0.05 + stageShare * (1 + i + fraction), message: `Batch size ${options.batchSizes![i]}` }),
    );
    let profile = null;
    let nodes: BenchmarkResult['nodes'] = [];
    if (options.perNode) {
      report({ stage: 'profile', fraction: 0.05 + stageShare * (stages - 1), message: 'Profiling every node' }, true);
      ({ profile, nodes } = await profileNodes(opened, feeds, inputs, options, resolved, control));
    }
    report({ stage: 'done', fraction: 1, message: 'Done' }, true);
    return {
      model: { path: opened.path, fileName: opened.fileName, sha256 },
      environment,
      options: resolved,
      inputs,
      latencyMs,
      cv: coefficientOfVariation(latencyMs),
      throughput: (samplesPerRun(inputs) * 1000) / latencyMs.mean,
      samplesMs,
      sessionMs,
      firstRunMs,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      coverage: profile?.coverage ?? null,
      nodes,
      profile,
      sweep,
    };
  } finally {
    await session.release();
  }
}

/** Latency at each requested batch size, on the same session (the batch dim must be symbolic). */
async function sweepBatches(
  session: ort.InferenceSession,
  model: ModelProto,
  options: BenchmarkOptions,
  resolved: ResolvedOptions,
  control: JobControl,
  report: (index: number, fraction: number) => void,
): Promise<BatchSweepPoint[]> {
  const points: BatchSweepPoint[] = [];
  for (const [index, batch] of (options.batchSizes ?? []).entries()) {
    const { feeds } = await prepareFeeds(model, { inputDims: options.inputDims, inputFiles: options.inputFiles, fill: resolved.fill, seed: resolved.seed, batch });
    await warmUp(session, feeds, 1 + resolved.warmupRuns, control.signal);
    const samples = await timeRuns(session, feeds, options, control, (_, fraction) => report(index, fraction));
    const latencyMs = summarize(samples);
    points.push({ batch, latencyMs, throughput: (batch * 1000) / latencyMs.mean });
  }
  return points;
}
