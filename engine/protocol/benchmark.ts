/**
 * The contract of a measured benchmark: what a caller may ask for and what comes back. The CLI
 * (`whittle bench --json`), the workspace files and the workbench all speak these types.
 */
import type { MeasuredNode, NodeProfile, ProfileJoin } from '../core/profile/index.js';
import type { SampleSummary } from '../core/stats/index.js';

export type { MeasuredKernel, MeasuredNode, NodeProfile, OpTypeTime, RooflinePoint, UncoveredNode } from '../core/profile/index.js';

/** onnxruntime's graph optimization levels, as its Node binding names them. */
export const OPTIMIZATION_LEVELS = ['disabled', 'basic', 'extended', 'layout', 'all'] as const;
export type OptimizationLevel = (typeof OPTIMIZATION_LEVELS)[number];

/** Execution providers Whittle knows how to ask for; which ones work depends on the installed runtime. */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'tensorrt', 'webgpu', 'dml', 'coreml'] as const;
export type ExecutionProviderName = (typeof EXECUTION_PROVIDERS)[number];

/** How inputs without a given tensor are filled: uniform random in [low, high) (rounded for integers), or zeros. */
export type InputFill = { readonly kind: 'random'; readonly low: number; readonly high: number } | { readonly kind: 'zeros' };

export interface BenchmarkOptions {
  /** onnxruntime intra-op threads; default: the CPUs the engine may use. */
  readonly intraOpThreads?: number;
  /** onnxruntime inter-op threads; default 1 (the sequential executor does not use them). */
  readonly interOpThreads?: number;
  /** Default `all`, as onnxruntime does. */
  readonly optimizationLevel?: OptimizationLevel;
  /** Default `cpu`. */
  readonly executionProvider?: ExecutionProviderName;
  /** Symbolic (or fixed) input dims pinned by input name, as in `whittle profile --input`. */
  readonly inputDims?: Readonly<Record<string, readonly (number | string)[]>>;
  /** Given tensors by input name: paths of `.npy` or `.json` files. Their dims override `inputDims`. */
  readonly inputFiles?: Readonly<Record<string, string>>;
  /** How the other inputs are filled; default random in [0, 1). */
  readonly fill?: InputFill;
  /** Seed of the random fill, so that two variants can be run on the same inputs. */
  readonly seed?: number;
  /**
   * Untimed runs after the first run (which is timed apart as `firstRunMs`); default 1, so two runs
   * precede the timed ones: onnxruntime plans memory on the first run and allocates it on the second.
   */
  readonly warmupRuns?: number;
  /** Timed runs; when `minTimeMs` is also given, runs continue until both are reached. Default 20 unless `minTimeMs` is given. */
  readonly runs?: number;
  /** Keep running until this much time has been measured. */
  readonly minTimeMs?: number;
  /** Also run with onnxruntime's profiler and report time per node. */
  readonly perNode?: boolean;
  /** Measure again at each of these batch sizes (the first dim of every input). */
  readonly batchSizes?: readonly number[];
}

/** Where the numbers came from: keep results comparable across machines and days. */
export interface BenchmarkEnvironment {
  readonly cpuModel: string;
  /** Logical CPUs of the machine, and how many this process may use. */
  readonly cores: number;
  readonly availableCores: number;
  readonly totalMemoryBytes: number;
  /** `linux 6.1.0 x64` */
  readonly os: string;
  readonly nodeVersion: string;
  readonly onnxruntimeVersion: string;
  readonly whittleVersion: string;
  /** The providers the installed onnxruntime offers on this machine. */
  readonly availableProviders: readonly ExecutionProviderName[];
  /** ISO 8601 time the measurement started. */
  readonly startedAt: string;
}

/** Latency statistics in milliseconds over the timed runs. */
export type LatencyStats = SampleSummary;

export interface BenchmarkInput {
  readonly name: string;
  readonly dtype: string;
  readonly dims: readonly number[];
  /** `random`, `zeros`, or the file it was read from. */
  readonly source: string;
}

export interface BatchSweepPoint {
  readonly batch: number;
  readonly latencyMs: LatencyStats;
  /** Samples per second at the mean latency. */
  readonly throughput: number;
}

export interface BenchmarkResult {
  readonly model: { readonly path: string; readonly fileName: string; readonly sha256: string };
  readonly environment: BenchmarkEnvironment;
  /** The options as used, defaults filled in. */
  readonly options: Required<Pick<BenchmarkOptions, 'intraOpThreads' | 'interOpThreads' | 'optimizationLevel' | 'executionProvider' | 'warmupRuns' | 'seed'>> & {
    readonly fill: InputFill;
  };
  readonly inputs: readonly BenchmarkInput[];
  readonly latencyMs: LatencyStats;
  /** stdev / mean. */
  readonly cv: number;
  /** Samples (batch × runs) per second at the mean latency. */
  readonly throughput: number;
  /** Every timed run, in order, for distributions. */
  readonly samplesMs: readonly number[];
  /** Creating the session (loading, optimizing, planning) and the first run, measured apart from the timed runs. */
  readonly sessionMs: number;
  readonly firstRunMs: number;
  /** Peak resident memory of the process that ran the model. */
  readonly peakRssBytes: number;
  /** Per-node kernel time / run time; null without `perNode`. */
  readonly coverage: number | null;
  /** Original nodes by measured time, largest first; empty without `perNode`. */
  readonly nodes: readonly MeasuredNode[];
  /** Kernels, op types, original nodes no kernel computed, and the measured roofline; null without `perNode`. */
  readonly profile: (NodeProfile & Pick<ProfileJoin, 'uncovered' | 'roofline'>) | null;
  readonly sweep: readonly BatchSweepPoint[];
}
