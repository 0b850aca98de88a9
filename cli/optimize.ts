import { parseArgs } from 'node:util';
import { parsePassList, UnknownPassError, type Change, type PassId } from '../engine/core/optimize/index.js';
import { optimizeModelFile, type OptimizeFileOptions } from '../engine/node/optimize-model.js';
import { percentChange, pinnedDimsNote, type ModelFigures, type OptimizeReport } from '../engine/protocol/optimize.js';
import { formatBytes, formatCount, table } from './format.js';
import { splitInputs } from './bench.js';
import { parseInputDims } from './input-dims.js';
import { withTerminalProgress } from './progress.js';
import { UsageError, wholeNumber } from './usage.js';

export const OPTIMIZE_USAGE = `whittle optimize MODEL [-o OUT] [--passes a,b,c] [--input NAME=DIMS | NAME=FILE.npy|.json]... [--device ID]
             [--bench [--threads N] [--runs N]] [--workspace DIR] [--dry-run] [--all-changes] [--json]`;

/** Changes listed per pass unless --all-changes. */
const CHANGES_SHOWN = 12;

export interface OptimizeCommand {
  readonly model: string;
  readonly options: OptimizeFileOptions;
  readonly json: boolean;
  readonly allChanges: boolean;
}

/** Parses `whittle optimize` arguments; throws UsageError with a readable message. */
export function parseOptimizeArgs(args: string[]): OptimizeCommand {
  const { values, positionals } = parseArgs({
    args,
    options: {
      output: { type: 'string', short: 'o' },
      passes: { type: 'string' },
      input: { type: 'string', multiple: true },
      device: { type: 'string' },
      bench: { type: 'boolean' },
      threads: { type: 'string' },
      runs: { type: 'string' },
      workspace: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'all-changes': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('optimize takes exactly one MODEL');
  const dryRun = values['dry-run'] ?? false;
  if (dryRun && (values.output !== undefined || values.bench)) throw new UsageError('--dry-run writes and measures nothing: leave out -o and --bench');
  if (!values.bench && (values.threads !== undefined || values.runs !== undefined)) throw new UsageError('--threads and --runs go with --bench');
  let passes: PassId[] | undefined;
  try {
    passes = values.passes === undefined ? undefined : parsePassList(values.passes);
  } catch (err) {
    throw err instanceof UnknownPassError ? new UsageError(err.message) : err;
  }
  const { dims, files } = splitInputs(values.input ?? []);
  const inputDims = parseInputDims(dims);
  if (passes?.length === 0) throw new UsageError('--passes names no pass');
  return {
    model: positionals[0]!,
    options: {
      passes,
      inputDims,
      inputFiles: files,
      deviceId: values.device,
      apply: !dryRun,
      output: values.output,
      workspaceDir: values.workspace,
      bench: values.bench ? { intraOpThreads: wholeNumber('--threads', values.threads, 1), runs: wholeNumber('--runs', values.runs, 1), inputDims, inputFiles: files } : undefined,
    },
    json: values.json ?? false,
    allChanges: values['all-changes'] ?? false,
  };
}

const ms = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3));

function figureRows(before: ModelFigures, after: ModelFigures, deviceId: string): string[][] {
  const rows: [string, number, number, (n: number) => string][] = [
    ['nodes (Constants aside)', before.nodes, after.nodes, formatCount],
    ['parameters', before.params, after.params, formatCount],
    ['weights', before.weightBytes, after.weightBytes, formatBytes],
    ['MACs', before.macs, after.macs, formatCount],
    ['memory traffic', before.trafficBytes, after.trafficBytes, formatBytes],
    ['peak activations', before.peakActivationBytes, after.peakActivationBytes, formatBytes],
    [`predicted ms (${deviceId})`, before.predictedMs, after.predictedMs, ms],
  ];
  return [['', 'before', 'after', 'change'], ...rows.map(([name, b, a, format]) => [name, format(b), format(a), percentChange(b, a)])];
}

/** Items by key, keys in order of first appearance (Map.groupBy needs Node 21). */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function changeLines(changes: readonly Change[], all: boolean): string[] {
  const lines: string[] = [];
  for (const [pass, list] of groupBy(changes, (c) => c.pass)) {
    const kinds = [...groupBy(list, (c) => c.kind)].map(([kind, of]) => `${of.length} ${kind}`).join(', ');
    lines.push(`  ${pass}: ${kinds}`);
    const shown = all ? list : list.slice(0, CHANGES_SHOWN);
    for (const c of shown) lines.push(`    ${c.detail}${c.graphPath === 'graph' ? '' : ` (in ${c.graphPath})`}`);
    if (shown.length < list.length) lines.push(`    … ${list.length - shown.length} more (--all-changes, or --json)`);
  }
  return lines;
}

/** The text report of `whittle optimize`. */
export function formatOptimize(r: OptimizeReport, allChanges: boolean): string {
  const lines = [`${r.path}`, `Passes: ${r.passes.join(', ')} (${r.rounds} round${r.rounds === 1 ? '' : 's'})`, ''];
  if (r.changes.length === 0) lines.push('Nothing to change: no pass applies to this model.');
  else lines.push(`What changed (${r.changes.length})`, ...changeLines(r.changes, allChanges));
  lines.push('', table(figureRows(r.before, r.after, r.deviceId)));
  const dimsNote = pinnedDimsNote(r);
  if (dimsNote !== null) lines.push('', dimsNote);
  const f = r.fidelity;
  if (f.checked) {
    const inputs = f.inputs.map((i) => `${i.name} ${i.dims.join('×') || 'scalar'}`).join(', ');
    lines.push('', `Outputs: worst error ${f.worstRelativeError.toExponential(2)} × max |output| on ${inputs} (seeded random) — ${f.passed ? `within ${f.tolerance}` : `OVER the ${f.tolerance} tolerance`}`);
  } else if (r.variant !== null) {
    lines.push('', `Outputs not compared: ${f.reason}`);
  }
  const l = r.latency;
  if (l !== null) {
    const faster = l.speedup >= 1 ? `${l.speedup.toFixed(2)}× faster` : `${(1 / l.speedup).toFixed(2)}× slower`;
    lines.push(`Latency: ${ms(l.beforeMs)} ms → ${ms(l.afterMs)} ms, ${faster} (median of ${l.rounds} alternating rounds of ${l.runsPerRound} runs, ${l.intraOpThreads} thread${l.intraOpThreads === 1 ? '' : 's'})`);
  }
  if (r.variant !== null) {
    lines.push('', `Recorded as variant ${r.variant.id} in ${r.workspace}: ${r.variant.path}`);
    if (r.output !== null) lines.push(`Written to ${r.output}`);
  } else if (r.changes.length > 0) {
    lines.push('', 'Dry run: nothing was written.');
  }
  return lines.join('\n');
}

/** Runs `whittle optimize`; exit 1 when the variant's outputs differ from the original's beyond the tolerance. */
export async function optimizeCommand(args: string[]): Promise<number> {
  const command = parseOptimizeArgs(args);
  const report = await withTerminalProgress((onProgress) => optimizeModelFile(command.model, command.options, { onProgress }));
  process.stdout.write(command.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatOptimize(report, command.allChanges)}\n`);
  return report.fidelity.checked && !report.fidelity.passed ? 1 : 0;
}
