import type { BenchmarkResult, MeasuredKernel } from '../../../../engine/protocol/index.js';
import { formatMs, sig3 } from '../charts/units.js';
import { formatBytes, formatShare } from '../summary/format.js';

export type Row = readonly [label: string, value: string];

/** The latency table: centre, tails, extremes and spread. */
export function latencyRows(r: BenchmarkResult): Row[] {
  const s = r.latencyMs;
  return [
    ['Median', formatMs(s.p50)],
    ['Mean', formatMs(s.mean)],
    ['p90', formatMs(s.p90)],
    ['p99', formatMs(s.p99)],
    ['Min', formatMs(s.min)],
    ['Max', formatMs(s.max)],
    ['Std dev', formatMs(s.stdev)],
    ['CV', formatShare(r.cv)],
  ];
}

/** Throughput, the one-off costs and memory of the run. */
export function runRows(r: BenchmarkResult): Row[] {
  const batch = r.inputs[0]?.dims[0];
  return [
    ['Throughput', `${sig3(r.throughput)} samples/s${batch !== undefined && batch > 1 ? ` (batch ${batch})` : ''}`],
    ['Timed runs', String(r.samplesMs.length)],
    ['Session creation', formatMs(r.sessionMs)],
    ['First run', formatMs(r.firstRunMs)],
    ['Peak RSS', formatBytes(r.peakRssBytes)],
  ];
}

/** Where the numbers came from, so two results can be compared fairly. */
export function environmentRows(r: BenchmarkResult): Row[] {
  const e = r.environment;
  return [
    ['CPU', e.cpuModel],
    ['Cores', e.availableCores === e.cores ? String(e.cores) : `${e.availableCores} of ${e.cores}`],
    ['onnxruntime', e.onnxruntimeVersion],
    ['Provider', r.options.executionProvider],
    ['Threads', `${r.options.intraOpThreads} intra-op, ${r.options.interOpThreads} inter-op`],
    ['Optimization', r.options.optimizationLevel],
    ['OS', e.os],
  ];
}

/** The slowest kernels, slowest first; the engine lists them in execution order. */
export function topKernels(r: BenchmarkResult, count: number): MeasuredKernel[] {
  return [...(r.profile?.kernels ?? [])].sort((a, b) => b.ms - a.ms).slice(0, count);
}
