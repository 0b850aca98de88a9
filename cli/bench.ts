import { parseArgs } from 'node:util';
import { runBenchmark } from '../engine/node/benchmark.js';
import { defaultWorkspaceDir, saveBenchmark } from '../engine/node/workspace.js';
import { EXECUTION_PROVIDERS, OPTIMIZATION_LEVELS, type BenchmarkOptions, type BenchmarkResult, type InputFill } from '../engine/protocol/index.js';
import { formatBytes, table } from './format.js';
import { parseInputDims } from './input-dims.js';
import { withTerminalProgress } from './progress.js';
import { UsageError, wholeNumber } from './usage.js';

export const BENCH_USAGE = `whittle bench MODEL [--input NAME=DIMS | NAME=FILE.npy|.json]... [--threads N] [--inter-op N]
             [--runs N | --time SECONDS] [--warmup N] [--per-node] [--top N] [--ep NAME] [--opt LEVEL]
             [--fill zeros | random[:LOW,HIGH]] [--seed N] [--batch 1,2,4] [--workspace DIR] [--no-save] [--json]`;

const TENSOR_FILE = /\.(npy|json)$/i;

function oneOfFlag<T extends string>(flag: string, text: string | undefined, choices: readonly T[]): T | undefined {
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`${flag} must be one of ${choices.join(', ')}, not "${text}"`);
  return text as T;
}

/** `zeros`, `random` or `random:-1,1`. */
export function parseFill(text: string | undefined): InputFill | undefined {
  if (text === undefined) return undefined;
  if (text === 'zeros') return { kind: 'zeros' };
  const match = /^random(?::(-?[\d.e+-]+),(-?[\d.e+-]+))?$/.exec(text);
  const [low, high] = match?.[1] === undefined ? [0, 1] : [Number(match[1]), Number(match[2])];
  if (match === null || !Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
    throw new UsageError(`--fill takes zeros, random or random:LOW,HIGH with LOW < HIGH, not "${text}"`);
  }
  return { kind: 'random', low, high };
}

/** `--input` values name either dims (`x=1x3x224x224`) or a tensor file (`x=img.npy`). */
export function splitInputs(values: readonly string[]): { dims: string[]; files: Record<string, string> } {
  const dims: string[] = [];
  const files: Record<string, string> = {};
  for (const value of values) {
    const at = value.lastIndexOf('=');
    const target = value.slice(at + 1);
    if (at > 0 && TENSOR_FILE.test(target)) files[value.slice(0, at)] = target;
    else dims.push(value);
  }
  return { dims, files };
}

export interface BenchCommand {
  readonly model: string;
  readonly options: BenchmarkOptions;
  readonly json: boolean;
  readonly top: number;
  /** Where to save the result; null with --no-save. */
  readonly workspace: string | null;
}

/** Parses `whittle bench` arguments; throws UsageError with a readable message. */
export function parseBenchArgs(args: string[]): BenchCommand {
  const { values, positionals } = parseArgs({
    args,
    options: {
      input: { type: 'string', multiple: true },
      threads: { type: 'string' },
      'inter-op': { type: 'string' },
      runs: { type: 'string' },
      time: { type: 'string' },
      warmup: { type: 'string' },
      'per-node': { type: 'boolean' },
      top: { type: 'string' },
      ep: { type: 'string' },
      opt: { type: 'string' },
      fill: { type: 'string' },
      seed: { type: 'string' },
      batch: { type: 'string' },
      workspace: { type: 'string' },
      'no-save': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('bench takes exactly one MODEL');
  if (values.workspace !== undefined && values['no-save']) throw new UsageError('choose --workspace or --no-save, not both');
  const seconds = values.time === undefined ? undefined : Number(values.time);
  if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0)) throw new UsageError(`--time takes seconds above 0, not "${values.time}"`);
  const batchSizes = values.batch?.split(',').map((b) => wholeNumber('--batch', b.trim(), 1)!);
  const { dims, files } = splitInputs(values.input ?? []);
  const inputDims = parseInputDims(dims);
  const model = positionals[0]!;
  return {
    model,
    options: {
      intraOpThreads: wholeNumber('--threads', values.threads, 1),
      interOpThreads: wholeNumber('--inter-op', values['inter-op'], 1),
      runs: wholeNumber('--runs', values.runs, 1),
      minTimeMs: seconds === undefined ? undefined : seconds * 1000,
      warmupRuns: wholeNumber('--warmup', values.warmup, 0),
      perNode: values['per-node'] ?? false,
      executionProvider: oneOfFlag('--ep', values.ep, EXECUTION_PROVIDERS),
      optimizationLevel: oneOfFlag('--opt', values.opt, OPTIMIZATION_LEVELS),
      fill: parseFill(values.fill),
      seed: wholeNumber('--seed', values.seed, 0),
      inputDims,
      inputFiles: files,
      batchSizes,
    },
    json: values.json ?? false,
    top: wholeNumber('--top', values.top, 1) ?? 15,
    workspace: values['no-save'] ? null : (values.workspace ?? defaultWorkspaceDir(model)),
  };
}

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
const rate = (v: number | null): string => (v === null ? '—' : v.toFixed(v >= 10 ? 0 : 1));

/** The text summary of a benchmark; `top` limits the per-node table. */
export function formatBench(result: BenchmarkResult, top: number): string {
  const { environment: env, options: o, latencyMs: l } = result;
  const lines = [
    `${result.model.fileName} — onnxruntime ${env.onnxruntimeVersion}, ${o.executionProvider}, ${o.intraOpThreads} thread${o.intraOpThreads === 1 ? '' : 's'}, optimization ${o.optimizationLevel}`,
    `${env.cpuModel} (${env.availableCores} of ${env.cores} CPUs), ${env.os}, Node ${env.nodeVersion}`,
    '',
    'Inputs',
    table(result.inputs.map((i) => [i.name, i.dtype, i.dims.join('×') || 'scalar', i.source === 'random' && o.fill.kind === 'random' ? `random [${o.fill.low}, ${o.fill.high}) seed ${o.seed}` : i.source])),
    '',
    `Latency over ${result.samplesMs.length} runs after ${1 + o.warmupRuns} untimed (ms)`,
    table([
      ['median', 'mean', 'p90', 'p99', 'min', 'max', 'stdev', 'cv'],
      [ms(l.p50), ms(l.mean), ms(l.p90), ms(l.p99), ms(l.min), ms(l.max), ms(l.stdev), pct(result.cv)],
    ]),
    `Throughput ${result.throughput.toFixed(1)} samples/s · session ${ms(result.sessionMs)} ms · first run ${ms(result.firstRunMs)} ms · peak RSS ${formatBytes(result.peakRssBytes)}`,
  ];
  if (result.sweep.length > 0) {
    lines.push('', 'Batch sweep', table([['batch', 'median ms', 'mean ms', 'samples/s'], ...result.sweep.map((p) => [String(p.batch), ms(p.latencyMs.p50), ms(p.latencyMs.mean), p.throughput.toFixed(1)])]));
  }
  const profile = result.profile;
  if (profile !== null) {
    lines.push(
      '',
      `Per node (median of ${profile.runs} profiled runs of ${ms(profile.runMs)} ms): kernels cover ${pct(profile.coverage)} of the run time; ${ms(profile.unmappedMs)} ms in runtime-inserted kernels`,
      table([
        ['node', 'op', 'ms', 'share', 'GFLOP/s', 'GB/s', 'predicted ms', 'kernel'],
        ...result.nodes.slice(0, top).map((n) => [n.name, n.opType, ms(n.ms), pct(n.share), rate(n.gflops), rate(n.gbps), n.predictedMs === null ? '—' : ms(n.predictedMs), n.kernel]),
      ]),
    );
    const slowdown = profile.runMs / l.p50;
    if (slowdown > 1.1) {
      const perKernelUs = ((profile.runMs - l.p50) * 1000) / profile.kernels.length;
      lines.push(`  The profiler made runs ${slowdown.toFixed(1)}× slower (≈${perKernelUs.toFixed(0)} µs per kernel): times of small kernels are inflated; compare nodes by share, not by ms.`);
    }
    if (result.nodes.length > top) lines.push(`  … ${result.nodes.length - top} more nodes (--top N, or --json for all)`);
    lines.push('', 'By op type', table([['op', 'ms', 'share', 'GFLOP/s', 'GB/s'], ...profile.opTypes.map((t) => [t.opType, ms(t.ms), pct(t.share), rate(t.gflops), rate(t.gbps)])]));
  }
  return lines.join('\n');
}

/** Runs `whittle bench`; progress goes to stderr when it is a terminal. */
export async function benchCommand(args: string[]): Promise<number> {
  const command = parseBenchArgs(args);
  const result = await withTerminalProgress((onProgress) => runBenchmark(command.model, command.options, { onProgress }));
  const saved = command.workspace === null ? null : await saveBenchmark(command.workspace, result);
  if (command.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${formatBench(result, command.top)}${saved === null ? '' : `\n\nSaved to ${saved}`}\n`);
  return 0;
}
