// Runtime checks for the benchmark contract in benchmark.ts: what a client may ask for is
// checked strictly; what the engine answers is checked for the fields the UI reads.
import { EXECUTION_PROVIDERS, OPTIMIZATION_LEVELS, type BenchmarkOptions, type BenchmarkResult, type InputFill } from './benchmark.js';
import {
  between,
  boolean,
  count,
  dictionary,
  fields,
  finiteNumber,
  integer,
  list,
  nonBlank,
  nullable,
  object,
  oneOf,
  optional,
  tagged,
  text,
  ValidationError,
  type Validator,
} from './validate.js';

const MAX_PATH = 4096;
const MAX_NAME = 65_536;
const MAX_INPUTS = 10_000;
const MAX_ITEMS = 10_000_000;
/** More threads than any machine has is a typo, not a wish. */
const MAX_THREADS = 4096;
const MAX_RUNS = 1_000_000;
/** A day. */
const MAX_TIME_MS = 86_400_000;
const MAX_FILL = 1e300;

const dim: Validator<number | string> = (value, at) => (typeof value === 'string' ? nonBlank(200)(value, at) : integer(0)(value, at));

/** Pinned input dims by input name: sizes, or names for symbolic dims (benchmarks, optimizations). */
export const inputDims = dictionary(list(dim, 64), MAX_INPUTS, MAX_NAME);

/** `.npy` or `.json` files giving inputs their values, by input name. */
export const inputFiles = dictionary(nonBlank(MAX_PATH), MAX_INPUTS, MAX_NAME);

const fill: Validator<InputFill> = tagged<InputFill>('kind', {
  random: object({ kind: oneOf(['random'] as const), low: between(-MAX_FILL, MAX_FILL), high: between(-MAX_FILL, MAX_FILL) }),
  zeros: object({ kind: oneOf(['zeros'] as const) }),
});

const options = object({
  intraOpThreads: optional(integer(1, MAX_THREADS)),
  interOpThreads: optional(integer(1, MAX_THREADS)),
  optimizationLevel: optional(oneOf(OPTIMIZATION_LEVELS)),
  executionProvider: optional(oneOf(EXECUTION_PROVIDERS)),
  inputDims: optional(inputDims),
  inputFiles: optional(inputFiles),
  fill: optional(fill),
  seed: optional(integer(Number.MIN_SAFE_INTEGER)),
  warmupRuns: optional(integer(0, MAX_RUNS)),
  runs: optional(integer(1, MAX_RUNS)),
  minTimeMs: optional(between(0, MAX_TIME_MS)),
  perNode: optional(boolean),
  batchSizes: optional(list(integer(1, 1_000_000), 64)),
});

export const benchmarkOptions: Validator<BenchmarkOptions> = (value, at) => {
  const checked = options(value, at);
  if (checked.fill?.kind === 'random' && checked.fill.low > checked.fill.high) throw new ValidationError(`${at}.fill`, 'low must not be greater than high');
  return checked;
};

const ms = finiteNumber;
const rate = nullable(finiteNumber);
const stats = fields({ mean: ms, p50: ms, p90: ms, p99: ms, min: ms, max: ms, stdev: ms });
const names = list(text(MAX_NAME), MAX_ITEMS);

const kernel = fields({ name: text(MAX_NAME), opType: text(MAX_NAME), provider: text(200), ms, share: finiteNumber, covers: names, gflops: rate, gbps: rate });
const measuredNode = fields({
  name: text(MAX_NAME),
  opType: text(MAX_NAME),
  ms,
  share: finiteNumber,
  kernel: text(MAX_NAME),
  gflops: rate,
  gbps: rate,
  predictedMs: rate,
});
const opTypeTime = fields({ opType: text(MAX_NAME), ms, share: finiteNumber, gflops: rate, gbps: rate });

export const benchmarkResult = fields({
  model: fields({ path: text(MAX_PATH), fileName: text(MAX_PATH), sha256: text(64) }),
  environment: fields({
    cpuModel: text(1000),
    cores: count,
    availableCores: count,
    totalMemoryBytes: count,
    os: text(1000),
    nodeVersion: text(200),
    onnxruntimeVersion: text(200),
    whittleVersion: text(200),
    availableProviders: list(text(200), 100),
    startedAt: text(100),
  }),
  options: fields({
    intraOpThreads: count,
    interOpThreads: count,
    optimizationLevel: oneOf(OPTIMIZATION_LEVELS),
    executionProvider: oneOf(EXECUTION_PROVIDERS),
    warmupRuns: count,
    seed: finiteNumber,
    fill,
  }),
  inputs: list(fields({ name: text(MAX_NAME), dtype: text(100), dims: list(count, 64), source: text(MAX_PATH) }), MAX_INPUTS),
  latencyMs: stats,
  cv: finiteNumber,
  throughput: finiteNumber,
  samplesMs: list(finiteNumber, MAX_ITEMS),
  sessionMs: ms,
  firstRunMs: ms,
  peakRssBytes: count,
  coverage: nullable(finiteNumber),
  nodes: list(measuredNode, MAX_ITEMS),
  profile: nullable(
    fields({
      runs: count,
      runMs: ms,
      kernelMs: ms,
      coverage: finiteNumber,
      unmappedMs: ms,
      kernels: list(kernel, MAX_ITEMS),
      opTypes: list(opTypeTime, MAX_ITEMS),
    }),
  ),
  sweep: list(fields({ batch: count, latencyMs: stats, throughput: finiteNumber }), 64),
}) as unknown as Validator<BenchmarkResult>;
