/**
 * onnxruntime's profiling trace (a Chrome-trace JSON array, times in µs) reduced to what a
 * per-node profile needs: the runs, and per node its median kernel time over the runs kept.
 */

/** Why a trace could not be read at all; anything less is counted, not thrown. */
export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError';
}

/** One node's measured time over the kept runs. */
export interface TraceNodeTime {
  /** The name the profiler gives the node: its name in the executed graph, or `<OpType>_<index>` when it has none. */
  readonly name: string;
  /** `args.op_name`, such as `Conv` or `ReorderOutput` (no domain). */
  readonly opType: string;
  /** `args.provider`, such as `CPUExecutionProvider`. */
  readonly provider: string;
  /** Median over the kept runs of the node's summed kernel time in one run (0 in runs where it did not run). */
  readonly ms: number;
  /** Kept runs in which the node ran at least once. */
  readonly runs: number;
  /** Kernel events of this node per run, at the median (more than 1 inside Loop or Scan bodies). */
  readonly calls: number;
  /**
   * The control-flow node (If, Loop, Scan) whose kernel event encloses this one, or null at the top
   * level. Nested time is already inside the enclosing node's time: summing it again double counts.
   */
  readonly parent: string | null;
}

export interface ParsedTrace {
  /** `model_run` events in the trace. */
  readonly totalRuns: number;
  /** Runs whose kernel events were used: after the warm-up, and with at least one kernel event. */
  readonly runs: number;
  /** Median `model_run` duration of the kept runs; 0 when none is kept. */
  readonly runMs: number;
  /** Durations of the kept runs, in trace order. */
  readonly runsMs: readonly number[];
  /** Every node seen in the kept runs, top-level first in order of first appearance. */
  readonly nodes: readonly TraceNodeTime[];
  /** Array entries that are not well-formed events (missing or non-finite ts/dur, bad args…): ignored. */
  readonly malformedEvents: number;
  /** Kernel events that lie in no `model_run` (session initialization, a run whose end the trace lost): ignored. */
  readonly eventsOutsideRuns: number;
  /** Runs after warm-up that carried no kernel event (the profiler's event cap reached): ignored. */
  readonly emptyRuns: number;
}

export interface ParseTraceOptions {
  /** Runs at the start of the trace to skip: the warm-up runs the profiler recorded (it records every run of the session). */
  readonly skipRuns: number;
}

const KERNEL_SUFFIX = '_kernel_time';
/** Ops whose kernel runs subgraphs, so other kernel events happen inside theirs. */
const CONTROL_FLOW_OPS = new Set(['If', 'Loop', 'Scan', 'BeamSearch', 'GreedySearch', 'Sampling', 'WhisperBeamSearch']);

interface Span {
  readonly ts: number;
  readonly dur: number;
}

interface KernelEvent extends Span {
  readonly node: string;
  readonly opType: string;
  readonly provider: string;
  readonly thread: string;
}

type Classified = { kind: 'run'; span: Span } | { kind: 'kernel'; event: KernelEvent } | { kind: 'other' } | { kind: 'malformed' };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function finiteNonNegative(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

function classify(entry: unknown): Classified {
  if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.cat !== 'string') return { kind: 'malformed' };
  const isRun = entry.cat === 'Session' && entry.name === 'model_run';
  const isKernel = entry.cat === 'Node' && entry.name.endsWith(KERNEL_SUFFIX);
  if (!isRun && !isKernel) return { kind: 'other' };
  const ts = finiteNonNegative(entry.ts);
  const dur = finiteNonNegative(entry.dur);
  if (ts === undefined || dur === undefined) return { kind: 'malformed' };
  if (isRun) return { kind: 'run', span: { ts, dur } };
  const node = entry.name.slice(0, -KERNEL_SUFFIX.length);
  const args = entry.args;
  if (node === '' || !isRecord(args) || typeof args.op_name !== 'string') return { kind: 'malformed' };
  const provider = typeof args.provider === 'string' ? args.provider : '';
  return { kind: 'kernel', event: { node, opType: args.op_name, provider, ts, dur, thread: `${String(entry.pid)}:${String(entry.tid)}` } };
}

/** Median of numbers (mean of the middle two for even counts); 0 for none. Sorts a copy. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Index of the run whose span holds `ts`, or -1; `runs` sorted by start and disjoint. */
function runContaining(runs: readonly Span[], ts: number): number {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = runs[mid]!;
    if (ts < r.ts) hi = mid - 1;
    else if (ts > r.ts + r.dur) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** For each event of one run, the enclosing control-flow event's node name, or null. */
function parentsOf(events: readonly KernelEvent[]): Map<KernelEvent, string | null> {
  const parents = new Map<KernelEvent, string | null>();
  const byThread = new Map<string, KernelEvent[]>();
  for (const e of events) {
    const list = byThread.get(e.thread);
    if (list) list.push(e);
    else byThread.set(e.thread, [e]);
  }
  for (const list of byThread.values()) {
    const sorted = [...list].sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const open: KernelEvent[] = [];
    for (const e of sorted) {
      while (open.length > 0 && open[open.length - 1]!.ts + open[open.length - 1]!.dur < e.ts + e.dur) open.pop();
      parents.set(e, open.length > 0 ? open[open.length - 1]!.node : null);
      if (CONTROL_FLOW_OPS.has(e.opType)) open.push(e);
    }
  }
  return parents;
}

interface NodeAccumulator {
  readonly opType: string;
  readonly provider: string;
  parent: string | null;
  readonly first: number;
  /** Summed µs and event count per kept run. */
  readonly perRun: Map<number, { us: number; calls: number }>;
}

/**
 * Reads a parsed Chrome-trace JSON (an array of events, or an object with `traceEvents`). Kernel
 * events are assigned to the `model_run` whose span holds their start; the first
 * `skipRuns` runs are skipped; a node's events within one run are summed; per node the
 * median over the kept runs is taken. Malformed entries are counted and ignored. Throws
 * TraceFormatError only when the input is not a list of events at all.
 */
export function parseTrace(json: unknown, options: ParseTraceOptions): ParsedTrace {
  const events = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json.traceEvents) ? json.traceEvents : undefined;
  if (events === undefined) throw new TraceFormatError('the profile is not a trace: expected a JSON array of events');
  const skip = Number.isFinite(options.skipRuns) ? Math.max(0, Math.floor(options.skipRuns)) : 0;

  let malformedEvents = 0;
  const runSpans: Span[] = [];
  const kernels: KernelEvent[] = [];
  for (const entry of events as readonly unknown[]) {
    const c = classify(entry);
    if (c.kind === 'malformed') malformedEvents++;
    else if (c.kind === 'run') runSpans.push(c.span);
    else if (c.kind === 'kernel') kernels.push(c.event);
  }
  runSpans.sort((a, b) => a.ts - b.ts);

  let eventsOutsideRuns = 0;
  const eventsByRun = new Map<number, KernelEvent[]>();
  for (const k of kernels) {
    const run = runContaining(runSpans, k.ts);
    if (run < 0) {
      eventsOutsideRuns++;
      continue;
    }
    if (run < skip) continue;
    const list = eventsByRun.get(run);
    if (list) list.push(k);
    else eventsByRun.set(run, [k]);
  }

  const kept: number[] = [];
  for (let r = skip; r < runSpans.length; r++) if (eventsByRun.has(r)) kept.push(r);
  const emptyRuns = Math.max(0, runSpans.length - skip) - kept.length;

  const nodes = new Map<string, NodeAccumulator>();
  let order = 0;
  for (const r of kept) {
    const runEvents = eventsByRun.get(r)!;
    const parents = parentsOf(runEvents);
    for (const e of runEvents) {
      let acc = nodes.get(e.node);
      if (acc === undefined) {
        acc = { opType: e.opType, provider: e.provider, parent: parents.get(e) ?? null, first: order++, perRun: new Map() };
        nodes.set(e.node, acc);
      }
      const slot = acc.perRun.get(r);
      if (slot) {
        slot.us += e.dur;
        slot.calls++;
      } else acc.perRun.set(r, { us: e.dur, calls: 1 });
    }
  }

  const timed = [...nodes].map(([name, acc]): TraceNodeTime & { first: number } => {
    const us = kept.map((r) => acc.perRun.get(r)?.us ?? 0);
    const calls = kept.map((r) => acc.perRun.get(r)?.calls ?? 0);
    return { name, opType: acc.opType, provider: acc.provider, ms: median(us) / 1000, runs: acc.perRun.size, calls: median(calls), parent: acc.parent, first: acc.first };
  });
  timed.sort((a, b) => Number(a.parent !== null) - Number(b.parent !== null) || a.first - b.first);
  const runsMs = kept.map((r) => runSpans[r]!.dur / 1000);
  return {
    totalRuns: runSpans.length,
    runs: kept.length,
    runMs: median(runsMs),
    runsMs,
    nodes: timed.map(({ first: _first, ...node }) => node),
    malformedEvents,
    eventsOutsideRuns,
    emptyRuns,
  };
}
