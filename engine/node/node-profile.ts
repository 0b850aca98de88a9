/**
 * Time per node: the model is run again in a session with onnxruntime's profiler on, which also
 * writes the graph it really executes; the trace's kernel events are mapped back through that
 * graph to the original nodes and joined with the analysis (achieved GFLOP/s and GB/s).
 * A separate session, so that the profiler's overhead never reaches the latency figures.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { analyzeModel } from '../core/analysis/index.js';
import { decodeModel } from '../core/onnx/index.js';
import { joinProfile, mapKernels, parseTrace } from '../core/profile/index.js';
import type { BenchmarkInput, BenchmarkOptions, BenchmarkResult } from '../protocol/index.js';
import { sessionOptions, type ResolvedOptions } from './benchmark-options.js';
import type { JobControl } from './job-control.js';
import { loadOrMeasureThisMachine } from './device-cache.js';
import type { OpenedModel } from './model-file.js';

/** Enough runs for a stable median per node; each run adds three trace events per node. */
const PROFILED_RUNS = 10;

/** Profiles `opened` on `feeds` with the benchmark's session options. */
export async function profileNodes(
  opened: OpenedModel,
  feeds: Record<string, ort.Tensor>,
  inputs: readonly BenchmarkInput[],
  options: BenchmarkOptions,
  resolved: ResolvedOptions,
  control: JobControl,
): Promise<Pick<BenchmarkResult, 'profile' | 'nodes'>> {
  const dir = await mkdtemp(join(tmpdir(), 'whittle-profile-'));
  try {
    const executedPath = join(dir, 'executed.onnx');
    const session = await ort.InferenceSession.create(opened.path, {
      ...sessionOptions(resolved),
      enableProfiling: true,
      profileFilePrefix: join(dir, 'trace'),
      optimizedModelFilePath: executedPath,
    });
    const untimed = 1 + resolved.warmupRuns;
    const profiled = Math.min(options.runs ?? PROFILED_RUNS, PROFILED_RUNS);
    try {
      for (let i = 0; i < untimed + profiled; i++) {
        control.signal?.throwIfAborted();
        await session.run(feeds);
      }
      await session.endProfiling();
    } finally {
      await session.release();
    }
    const trace = parseTrace(JSON.parse(await readFile(await traceFile(dir), 'utf8')) as unknown, { skipRuns: untimed });
    const executed = decodeModel(await readFile(executedPath));
    const device = await loadOrMeasureThisMachine({ threads: resolved.intraOpThreads, signal: control.signal });
    const analysis = analyzeModel(opened.model, { inputDims: Object.fromEntries(inputs.map((i) => [i.name, i.dims])), device });
    const { profile, nodes, uncovered, roofline } = joinProfile(analysis, trace, mapKernels(opened.model, executed));
    return { profile: { ...profile, uncovered, roofline }, nodes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** onnxruntime names the trace `<prefix>_<date>.json` and does not say which; there is one per session. */
async function traceFile(dir: string): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n.startsWith('trace') && n.endsWith('.json'));
  if (names.length !== 1) throw new Error(`onnxruntime wrote ${names.length} profile traces, expected one`);
  return join(dir, names[0]!);
}
