import { relative, resolve, sep } from 'node:path';
import type { BenchmarkResult } from '../protocol/benchmark.js';
import type { VariantResult } from '../protocol/variants.js';

/**
 * A benchmark as a variant's result: the figures a comparison needs, the conditions that make two
 * results comparable, and where the full result is saved (`saveBenchmark`'s path). The key names
 * the conditions, so a newer run on the same provider and threads replaces the older one.
 */
export function benchmarkVariantResult(workspaceDir: string, result: BenchmarkResult, savedFile: string | null): { key: string; result: VariantResult } {
  const { options, environment, latencyMs } = result;
  return {
    key: `benchmark-${options.executionProvider}-${options.intraOpThreads}t`,
    result: {
      kind: 'benchmark',
      recordedAt: environment.startedAt,
      figures: {
        latencyMeanMs: latencyMs.mean,
        latencyP50Ms: latencyMs.p50,
        latencyP90Ms: latencyMs.p90,
        latencyP99Ms: latencyMs.p99,
        throughput: result.throughput,
        sessionMs: result.sessionMs,
        peakRssBytes: result.peakRssBytes,
      },
      conditions: {
        executionProvider: options.executionProvider,
        intraOpThreads: options.intraOpThreads,
        interOpThreads: options.interOpThreads,
        optimizationLevel: options.optimizationLevel,
        inputs: result.inputs.map((i) => ({ name: i.name, dtype: i.dtype, dims: [...i.dims], source: i.source })),
        cpuModel: environment.cpuModel,
        onnxruntimeVersion: environment.onnxruntimeVersion,
      },
      file: savedFile === null ? null : relative(resolve(workspaceDir), savedFile).split(sep).join('/'),
    },
  };
}
