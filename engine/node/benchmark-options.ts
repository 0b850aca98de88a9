import { availableParallelism } from 'node:os';
import type * as ort from 'onnxruntime-node';
import type { BenchmarkOptions, BenchmarkResult } from '../protocol/index.js';

export type ResolvedOptions = BenchmarkResult['options'];

/** The options with every default filled in; throws a RangeError naming a bad value. */
export function resolveOptions(options: BenchmarkOptions): ResolvedOptions {
  const whole = (name: string, value: number | undefined, fallback: number, min: number): number => {
    const v = value ?? fallback;
    if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} must be a whole number of at least ${min}, not ${value}`);
    return v;
  };
  return {
    intraOpThreads: whole('threads', options.intraOpThreads, availableParallelism(), 1),
    interOpThreads: whole('inter-op threads', options.interOpThreads, 1, 1),
    optimizationLevel: options.optimizationLevel ?? 'all',
    executionProvider: options.executionProvider ?? 'cpu',
    warmupRuns: whole('warm-up runs', options.warmupRuns, 1, 0),
    seed: whole('seed', options.seed, 0, 0),
    fill: options.fill ?? { kind: 'random', low: 0, high: 1 },
  };
}

/** onnxruntime session options for resolved benchmark options. */
export function sessionOptions(options: ResolvedOptions): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [options.executionProvider],
    intraOpNumThreads: options.intraOpThreads,
    interOpNumThreads: options.interOpThreads,
    graphOptimizationLevel: options.optimizationLevel,
    // Failures reach the caller as exceptions; onnxruntime's own log would repeat them on stderr.
    logSeverityLevel: 4,
  };
}

