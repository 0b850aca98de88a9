/**
 * Measures "this machine" the way Whittle will run models on it: through onnxruntime-node's CPU
 * provider, with small ONNX models built in memory. The figures are what onnxruntime achieves
 * here (a large MatMul per element type, a large element-wise Add for bandwidth), not hardware
 * peaks. docs/devices.md describes the methods.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { ComputeDtype, DeviceProfile, Figure, Spread } from '../core/hardware/index.js';
import { graph, leBytes, model, node, tensor, valueInfo } from '../core/onnx/build.js';
import { DataType, decodeModel, encodeModel, type ModelProto } from '../core/onnx/index.js';
import { coefficientOfVariation, summarize } from '../core/stats/index.js';

export interface MeasureOptions {
  /** onnxruntime intra-op threads; default: the CPUs this process may use. */
  readonly threads?: number;
  /** Smaller problems and fewer runs: about a second instead of a few. */
  readonly quick?: boolean;
  readonly signal?: AbortSignal;
}

/** The machine facts a measurement depends on; a cached profile is valid only for the same ones. */
export interface MachineKey {
  readonly cpuModel: string;
  readonly cores: number;
  readonly threads: number;
  readonly onnxruntimeVersion: string;
}

const MIN_N = 512;
/** Larger is not faster: on a Zen 5 VM uint8×int8 MatMulInteger ran at 1.2 TOP/s at 2048 but 0.68 at 4096. */
const MAX_N = 2048;
/** Two: onnxruntime records its memory pattern on the first run and allocates it (page faults) on the second. */
const WARM_UP_RUNS = 2;
/** Each array of the bandwidth test; far beyond the last-level cache of the CPUs Whittle targets. */
const STREAM_BYTES = { quick: 32 * 2 ** 20, full: 64 * 2 ** 20 };
/** Aim for MatMuls of about this many ms per run; the size is the power of two nearest to it. */
const TARGET_MS = { quick: 10, full: 50 };
const RUNS = { quick: 5, full: 9 };

/** The facts of this machine, with the thread count resolved to the one a measurement would use. */
export function machineKey(threads?: number): MachineKey {
  const resolved = threads ?? availableParallelism();
  if (!Number.isInteger(resolved) || resolved < 1) throw new RangeError(`threads must be a positive integer, not ${threads}`);
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() || 'unknown CPU',
    cores: list.length,
    threads: resolved,
    onnxruntimeVersion: ort.env.versions.node ?? ort.env.versions.common,
  };
}

function sessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 4 };
}

function int64(name: string, value: number) {
  return tensor({ name, dataType: DataType.INT64, dims: [1], rawData: leBytes(BigInt64Array.of(BigInt(value))) });
}

/**
 * `op(a, b)` over two n×n inputs, of which only the first row leaves the session. A full output
 * would be copied into a fresh JavaScript buffer on every run, and the page faults of that copy
 * can cost more than the MatMul itself (they did, several times over, on a 2-core VM).
 */
function matMulModel(op: 'MatMul' | 'MatMulInteger', a: number, b: number, out: number, n: number): ModelProto {
  return model(
    graph({
      node: [node(op, ['a', 'b'], ['c']), node('Slice', ['c', 'starts', 'ends'], ['row'])],
      initializer: [int64('starts', 0), int64('ends', 1)],
      input: [valueInfo('a', a, [n, n]), valueInfo('b', b, [n, n])],
      output: [valueInfo('row', out, [1, n])],
    }),
  );
}

/** c = a + b over `elements` floats; only c[0] leaves the session, for the reason given at {@link matMulModel}. */
function addModel(elements: number): ModelProto {
  const F = DataType.FLOAT;
  return model(
    graph({
      node: [node('Add', ['a', 'b'], ['c']), node('Slice', ['c', 'starts', 'ends'], ['first'])],
      initializer: [int64('starts', 0), int64('ends', 1)],
      input: [valueInfo('a', F, [elements]), valueInfo('b', F, [elements])],
      output: [valueInfo('first', F, [1])],
    }),
  );
}

/** One kind of MatMul to measure: its op, element types and how to fill its inputs. */
interface MatMulSpec {
  readonly op: 'MatMul' | 'MatMulInteger';
  readonly a: number;
  readonly b: number;
  readonly out: number;
  readonly label: string;
  readonly feeds: (n: number) => Record<string, ort.Tensor>;
}

// Values avoid zeros and denormals, which some kernels handle on slower or faster paths.
const fill = <T extends { length: number; [i: number]: number }>(array: T, value: (i: number) => number): T => {
  for (let i = 0; i < array.length; i++) array[i] = value(i);
  return array;
};
const fp32Input = (n: number) => new ort.Tensor('float32', fill(new Float32Array(n * n), (i) => 0.5 + (i % 251) / 502), [n, n]);
const fp16Input = (n: number) => new ort.Tensor('float16', fill(new Uint16Array(n * n), (i) => 0x3800 + (i % 1021)), [n, n]);
const uint8Input = (n: number) => new ort.Tensor('uint8', fill(new Uint8Array(n * n), (i) => 1 + (i % 251)), [n, n]);
const int8Input = (n: number) => new ort.Tensor('int8', fill(new Int8Array(n * n), (i) => 1 + (i % 126)), [n, n]);

const FP32: MatMulSpec = { op: 'MatMul', a: DataType.FLOAT, b: DataType.FLOAT, out: DataType.FLOAT, label: 'fp32 MatMul', feeds: (n) => ({ a: fp32Input(n), b: fp32Input(n) }) };
const FP16: MatMulSpec = { op: 'MatMul', a: DataType.FLOAT16, b: DataType.FLOAT16, out: DataType.FLOAT16, label: 'fp16 MatMul', feeds: (n) => ({ a: fp16Input(n), b: fp16Input(n) }) };
const U8S8: MatMulSpec = { op: 'MatMulInteger', a: DataType.UINT8, b: DataType.INT8, out: DataType.INT32, label: 'MatMulInteger uint8 × int8', feeds: (n) => ({ a: uint8Input(n), b: int8Input(n) }) };
const U8U8: MatMulSpec = { op: 'MatMulInteger', a: DataType.UINT8, b: DataType.UINT8, out: DataType.INT32, label: 'MatMulInteger uint8 × uint8', feeds: (n) => ({ a: uint8Input(n), b: uint8Input(n) }) };

interface Measured {
  readonly figure: Figure;
  readonly method: string;
  readonly spread: Spread;
}

function spreadOf(rates: readonly number[]): Spread {
  const summary = summarize(rates);
  return { median: summary.p50, min: summary.min, max: summary.max, cv: coefficientOfVariation(summary) };
}

/** Wall time of one run in seconds. */
async function timeRun(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Promise<number> {
  const start = performance.now();
  await session.run(feeds);
  return (performance.now() - start) / 1000;
}

async function warmUp(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>): Promise<void> {
  for (let i = 0; i < WARM_UP_RUNS; i++) await session.run(feeds);
}

/** Seconds of each of `runs` timed runs, checking for cancellation between runs. */
async function timeRuns(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, runs: number, signal?: AbortSignal): Promise<number[]> {
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    signal?.throwIfAborted();
    seconds.push(await timeRun(session, feeds));
  }
  return seconds;
}

interface Plan {
  readonly threads: number;
  readonly runs: number;
  readonly targetMs: number;
  readonly streamBytes: number;
  readonly ortVersion: string;
  readonly signal?: AbortSignal;
}

/**
 * Median operations per second of an n×n×n MatMul (2·n³ ops per run). n starts at 512 and
 * doubles while a probe run predicts a time well under the target (time grows as n³), so fast
 * and slow machines both get runs long enough to time but short enough to repeat.
 */
async function measureMatMul(spec: MatMulSpec, plan: Plan): Promise<Measured> {
  let n = MIN_N;
  let session = await ort.InferenceSession.create(encodeModel(matMulModel(spec.op, spec.a, spec.b, spec.out, n)), sessionOptions(plan.threads));
  try {
    let feeds = spec.feeds(n);
    await warmUp(session, feeds);
    let predictedMs = (await timeRun(session, feeds)) * 1000;
    let size = n;
    while (predictedMs < plan.targetMs / Math.SQRT2 / 2 && size < MAX_N) {
      size *= 2;
      predictedMs *= 8;
    }
    if (size !== n) {
      plan.signal?.throwIfAborted();
      await session.release();
      n = size;
      session = await ort.InferenceSession.create(encodeModel(matMulModel(spec.op, spec.a, spec.b, spec.out, n)), sessionOptions(plan.threads));
      feeds = spec.feeds(n);
      await warmUp(session, feeds);
    }
    const ops = 2 * n ** 3;
    const spread = spreadOf((await timeRuns(session, feeds, plan.runs, plan.signal)).map((s) => ops / s));
    const method = `${spec.label} of ${n}×${n} by ${n}×${n}, 2·${n}³ ops per run; median of ${plan.runs} runs after ${WARM_UP_RUNS} warm-up runs (onnxruntime ${plan.ortVersion} CPU, ${plan.threads} threads)`;
    return { figure: { value: spread.median, source: `measured: ${method}` }, method, spread };
  } finally {
    await session.release();
  }
}

/**
 * Median bytes per second of c = a + b over float32 arrays of `streamBytes` each. Counts 3 arrays
 * per run (read a, read b, write c): the compulsory traffic the cost model also counts for
 * element-wise ops, so such ops are predicted at their real speed. Write-allocate (the CPU
 * reading c's lines before writing them) is not counted; the DRAM moves about 4/3 of this.
 */
async function measureBandwidth(plan: Plan): Promise<Measured> {
  const elements = plan.streamBytes / 4;
  const session = await ort.InferenceSession.create(encodeModel(addModel(elements)), sessionOptions(plan.threads));
  try {
    const feeds = {
      a: new ort.Tensor('float32', new Float32Array(elements).fill(1), [elements]),
      b: new ort.Tensor('float32', new Float32Array(elements).fill(2), [elements]),
    };
    await warmUp(session, feeds);
    const bytes = 3 * plan.streamBytes;
    const spread = spreadOf((await timeRuns(session, feeds, plan.runs, plan.signal)).map((s) => bytes / s));
    const mib = plan.streamBytes / 2 ** 20;
    const method = `fp32 Add c = a + b over ${mib} MiB arrays, 3 × ${mib} MiB per run (read a, read b, write c; write-allocate not counted); median of ${plan.runs} runs after ${WARM_UP_RUNS} warm-up runs (onnxruntime ${plan.ortVersion} CPU, ${plan.threads} threads)`;
    return { figure: { value: spread.median, source: `measured: ${method}` }, method, spread };
  } finally {
    await session.release();
  }
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;

/**
 * Whether onnxruntime runs an fp16 MatMul on fp16 kernels here, or why not. The CPU provider
 * accepts fp16 models even without fp16 kernels: it inserts Cast nodes and computes in fp32. Only
 * the graph it really executes (written by `optimizedModelFilePath`) tells the two apart.
 */
async function fp16Support(threads: number): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'whittle-fp16-'));
  try {
    const path = join(dir, 'executed.onnx');
    const bytes = encodeModel(matMulModel('MatMul', DataType.FLOAT16, DataType.FLOAT16, DataType.FLOAT16, 64));
    const session = await ort.InferenceSession.create(bytes, { ...sessionOptions(threads), optimizedModelFilePath: path });
    await session.release();
    const casts = decodeModel(await readFile(path)).graph?.node.filter((n) => n.opType === 'Cast').length ?? 0;
    return casts === 0 ? undefined : `onnxruntime's CPU provider has no fp16 MatMul kernel on this CPU: it inserts ${casts} Cast nodes and computes in fp32, so fp16 runs at the fp32 rate or below`;
  } catch (err) {
    return `onnxruntime could not run an fp16 MatMul: ${message(err)}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** int8 through MatMulInteger: uint8 × int8 where the CPU provider has it, else uint8 × uint8. */
async function measureInt8(plan: Plan): Promise<Measured | string> {
  const failures: string[] = [];
  for (const spec of [U8S8, U8U8]) {
    try {
      return await measureMatMul(spec, plan);
    } catch (err) {
      plan.signal?.throwIfAborted();
      failures.push(`${spec.label}: ${message(err)}`);
    }
  }
  return `onnxruntime could not run MatMulInteger (${failures.join('; ')})`;
}

/**
 * Measures this machine through onnxruntime-node: peak fp32, fp16 (only where onnxruntime has
 * fp16 kernels) and int8 with large MatMuls, bandwidth with a large Add. Takes a few seconds
 * (about one with `quick`); rejects with the signal's reason when cancelled.
 */
export async function measureThisMachine(options: MeasureOptions = {}): Promise<DeviceProfile> {
  const key = machineKey(options.threads);
  const mode = options.quick ? 'quick' : 'full';
  const plan: Plan = { threads: key.threads, runs: RUNS[mode], targetMs: TARGET_MS[mode], streamBytes: STREAM_BYTES[mode], ortVersion: key.onnxruntimeVersion, signal: options.signal };
  options.signal?.throwIfAborted();

  const measured: Partial<Record<ComputeDtype | 'bandwidth', Measured>> = {};
  const notes: string[] = ["What onnxruntime's CPU provider achieves on this machine, not the hardware's peak."];
  measured.fp32 = await measureMatMul(FP32, plan);
  const fp16Missing = await fp16Support(key.threads);
  if (fp16Missing === undefined) measured.fp16 = await measureMatMul(FP16, plan);
  else notes.push(`No fp16 figure: ${fp16Missing}.`);
  const int8 = await measureInt8(plan);
  if (typeof int8 === 'string') notes.push(`No int8 figure: ${int8}.`);
  else measured.int8 = int8;
  measured.bandwidth = await measureBandwidth(plan);

  const entries = Object.entries(measured) as [ComputeDtype | 'bandwidth', Measured][];
  const peaks = Object.fromEntries(entries.filter(([k]) => k !== 'bandwidth').map(([k, m]) => [k, m.figure]));
  return {
    id: 'this-machine',
    name: `This machine (${key.cpuModel}, ${key.threads} thread${key.threads === 1 ? '' : 's'})`,
    kind: 'cpu',
    peakOpsPerSec: peaks,
    bandwidthBytesPerSec: measured.bandwidth.figure,
    notes: notes.join(' '),
    measurement: {
      date: new Date().toISOString(),
      threads: key.threads,
      onnxruntimeVersion: key.onnxruntimeVersion,
      cpuModel: key.cpuModel,
      cores: key.cores,
      runs: plan.runs,
      methods: Object.fromEntries(entries.map(([k, m]) => [k, m.method])),
      spread: Object.fromEntries(entries.map(([k, m]) => [k, m.spread])),
    },
  };
}
