/**
 * `whittle optimize` and the workbench's Optimize action: run the passes on a model file, count
 * both models' figures on one device, and, when applying, record the result as a variant in the
 * model's workspace, check its outputs against the original's on the same inputs, and optionally
 * measure both side by side.
 */
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { analyzeModel, type Analysis } from '../core/analysis/index.js';
import { DEFAULT_PASSES, optimize } from '../core/optimize/index.js';
import { median } from '../core/stats/index.js';
import type { BenchmarkOptions, BenchmarkResult } from '../protocol/benchmark.js';
import { FIDELITY_TOLERANCE, type FidelityCheck, type LatencyComparison, type ModelFigures, type OptimizeParams, type OptimizeReport } from '../protocol/optimize.js';
import { ORIGINAL, type Variant } from '../protocol/variants.js';
import { prepareFeeds } from './benchmark-inputs.js';
import { fileSha256, runBenchmark } from './benchmark.js';
import { resolveDevice, THIS_MACHINE } from './devices.js';
import { compareOutputs, worstRelativeError } from './fidelity.js';
import type { JobControl } from './job-control.js';
import { openModelFile, type OpenedModel } from './model-file.js';
import { externalReader, withInlineData, writeModel } from './model-writer.js';
import { benchmarkVariantResult } from './variant-results.js';
import { addVariant, recordResult } from './variants.js';
import { defaultWorkspaceDir, saveBenchmark } from './workspace.js';

export interface OptimizeFileOptions extends OptimizeParams {
  /** Default: the folder beside the model (`MODEL.whittle/`). */
  readonly workspaceDir?: string;
  /** Rounds of alternating benchmark runs with `bench`; default 3. */
  readonly benchRounds?: number;
  /** Also write the variant here (`whittle optimize -o`), with its weights beside it when large. */
  readonly output?: string;
}

/** The figures `whittle optimize` compares, from an analysis. */
export function figuresOf(a: Analysis): ModelFigures {
  const t = a.totals;
  return {
    // Constant nodes hold weights: counting them would credit a pass for turning them into initializers.
    nodes: [...a.nodes, ...a.subgraphNodes].filter((n) => n.opType !== 'Constant').length,
    params: t.params,
    weightBytes: t.weightBytes,
    macs: t.macs,
    flops: t.flops,
    trafficBytes: t.readBytes + t.writeBytes,
    peakActivationBytes: t.peakActivationBytes,
    predictedMs: t.predictedMs,
    uncountedNodes: t.uncountedNodes,
  };
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function checkFidelity(opened: OpenedModel, variantPath: string, options: OptimizeFileOptions): Promise<FidelityCheck> {
  let prepared;
  try {
    prepared = await prepareFeeds(opened.model, { inputDims: options.inputDims, inputFiles: options.inputFiles, seed: 0 });
  } catch (err) {
    return { checked: false, reason: `no inputs to compare the outputs on: ${message(err)}` };
  }
  let outputs;
  try {
    outputs = await compareOutputs(opened.path, variantPath, prepared.feeds);
  } catch (err) {
    // Some inputs only take real values (a sample rate, token ids): made-up ones cannot run.
    return { checked: false, reason: `${message(err)}. If an input needs real values, give it as a file (command line: --input NAME=FILE.npy; workbench: Input values)` };
  }
  const worst = worstRelativeError(outputs);
  return { checked: true, inputs: prepared.inputs, outputs, worstRelativeError: worst, tolerance: FIDELITY_TOLERANCE, passed: worst <= FIDELITY_TOLERANCE };
}

/**
 * Measures the original and the variant in alternating rounds (A B A B …) so that drift of the
 * machine's speed lands on both; each model's figure is the median of its rounds' medians.
 */
async function compareLatency(
  originalPath: string,
  variantPath: string,
  options: BenchmarkOptions,
  rounds: number,
  control: JobControl,
): Promise<{ comparison: LatencyComparison; original: BenchmarkResult; variant: BenchmarkResult }> {
  const before: BenchmarkResult[] = [];
  const after: BenchmarkResult[] = [];
  for (let r = 0; r < rounds; r++) {
    control.onProgress?.({ stage: 'bench', fraction: 0.5 + (0.5 * r) / rounds, message: `Measuring both models, round ${r + 1} of ${rounds}` });
    before.push(await runBenchmark(originalPath, options, { signal: control.signal }));
    after.push(await runBenchmark(variantPath, options, { signal: control.signal }));
  }
  const beforeRoundsMs = before.map((b) => b.latencyMs.p50);
  const afterRoundsMs = after.map((b) => b.latencyMs.p50);
  const [beforeMs, afterMs] = [median(beforeRoundsMs), median(afterRoundsMs)];
  const last = before.at(-1)!;
  return {
    comparison: { rounds, runsPerRound: last.samplesMs.length, intraOpThreads: last.options.intraOpThreads, beforeMs, afterMs, speedup: beforeMs / afterMs, beforeRoundsMs, afterRoundsMs },
    original: last,
    variant: after.at(-1)!,
  };
}

/** Saves a benchmark and records it as a result of the original or a variant; a failure to record loses only the record. */
async function keepBenchmark(workspace: string, id: string, result: BenchmarkResult): Promise<void> {
  const file = await saveBenchmark(workspace, result);
  const { key, result: entry } = benchmarkVariantResult(workspace, result, file);
  await recordResult(workspace, id, key, entry);
}

/** Optimizes a model file (or the workbench's opened model); see the module comment. */
export async function optimizeModelFile(model: string | OpenedModel, options: OptimizeFileOptions, control: JobControl = {}): Promise<OptimizeReport> {
  const report = (stage: string, fraction: number, message: string) => control.onProgress?.({ stage, fraction, message });
  report('load', 0, 'Reading the model');
  const opened = typeof model === 'string' ? await openModelFile(model) : model;
  const device = await resolveDevice(options.deviceId ?? THIS_MACHINE, {
    signal: control.signal,
    onMeasure: () => report('measure', 0, 'Measuring this machine through onnxruntime (a few seconds, once)'),
  });
  const passes = options.passes ?? DEFAULT_PASSES;
  const inputDims = options.inputDims;
  report('passes', 0.1, `Running ${passes.length} pass${passes.length === 1 ? '' : 'es'}`);
  // Passes fold weights, so the weights must be in memory, external ones too.
  await opened.loadWeights();
  const parent = await withInlineData(opened.model, externalReader(opened));
  const result = optimize(parent, { passes, inputDims });
  control.signal?.throwIfAborted();
  report('analysis', 0.2, 'Counting both models');
  const before = figuresOf(analyzeModel(parent, { inputDims, device }));
  const after = figuresOf(analyzeModel(result.model, { inputDims, device }));
  const workspace = options.workspaceDir ?? defaultWorkspaceDir(opened.path);
  const output = options.apply && result.changes.length > 0 && options.output !== undefined ? resolve(options.output) : null;
  const base = { path: opened.path, passes: [...passes], rounds: result.rounds, changes: result.changes, deviceId: device.id, inputDims: { ...inputDims }, before, after, workspace, output, latency: null };
  if (!options.apply) return { ...base, variant: null, fidelity: { checked: false, reason: 'a preview: nothing was written or run' } };
  if (result.changes.length === 0) return { ...base, variant: null, fidelity: { checked: false, reason: 'no pass changed the model, so no variant was made' } };

  report('write', 0.3, 'Writing the variant into the workspace');
  const variant: Variant = await addVariant(workspace, {
    original: { path: opened.path, sha256: await fileSha256(opened.path) },
    parent: ORIGINAL,
    transform: { id: 'optimize', settings: { passes: [...passes], ...(inputDims === undefined ? {} : { inputDims: { ...inputDims } }) } },
    model: result.model,
    figures: { macs: after.macs, flops: after.flops, trafficBytes: after.trafficBytes, peakActivationBytes: after.peakActivationBytes, changes: result.changes.length },
  });
  const variantPath = join(workspace, variant.file);
  if (output !== null) {
    await mkdir(dirname(output), { recursive: true });
    await writeModel(dirname(output), basename(output), result.model, undefined);
  }
  control.signal?.throwIfAborted();

  report('check', 0.4, 'Running both models on the same inputs');
  const fidelity = await checkFidelity(opened, variantPath, options);
  if (fidelity.checked) {
    const figures = { worstRelativeError: fidelity.worstRelativeError, tolerance: fidelity.tolerance, passed: fidelity.passed ? 1 : 0 };
    await recordResult(workspace, variant.id, 'fidelity', { kind: 'fidelity', recordedAt: new Date().toISOString(), figures, conditions: { against: ORIGINAL, seed: 0, inputs: fidelity.inputs.map((i) => ({ name: i.name, dtype: i.dtype, dims: [...i.dims], source: i.source })) }, file: null });
  }

  let latency: LatencyComparison | null = null;
  if (options.bench !== undefined) {
    const measured = await compareLatency(opened.path, variantPath, { ...options.bench, inputDims: options.bench.inputDims ?? inputDims, inputFiles: options.bench.inputFiles ?? options.inputFiles }, options.benchRounds ?? 3, control);
    latency = measured.comparison;
    await keepBenchmark(workspace, ORIGINAL, measured.original);
    await keepBenchmark(workspace, variant.id, measured.variant);
  }
  report('done', 1, 'Done');
  return { ...base, variant: { ...variant, path: variantPath, present: true }, fidelity, latency };
}
