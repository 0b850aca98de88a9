import type { Change } from '../../../../engine/core/optimize/types.js';
import { percentChange, type FidelityCheck, type LatencyComparison, type ModelFigures } from '../../../../engine/protocol/index.js';
import { formatMs } from '../layers/format.js';
import { formatBytes, formatCount } from '../summary/format.js';

export interface FigureRow {
  readonly label: string;
  readonly before: string;
  readonly after: string;
  /** `−12.5%`, `+3.0%`, or '' when unchanged. */
  readonly change: string;
  /** Every figure here is better smaller; null when unchanged. */
  readonly better: boolean | null;
}

/** The before/after table of an optimization. */
export function figureRows(before: ModelFigures, after: ModelFigures): FigureRow[] {
  const rows: [string, keyof ModelFigures, (n: number) => string][] = [
    ['Nodes (Constants aside)', 'nodes', formatCount],
    ['Parameters', 'params', formatCount],
    ['Weights', 'weightBytes', formatBytes],
    ['MACs', 'macs', formatCount],
    ['Memory traffic', 'trafficBytes', formatBytes],
    ['Peak activations', 'peakActivationBytes', formatBytes],
    ['Predicted time', 'predictedMs', formatMs],
  ];
  return rows.map(([label, key, format]) => ({
    label,
    before: format(before[key]),
    after: format(after[key]),
    change: percentChange(before[key], after[key]),
    better: before[key] === after[key] ? null : after[key] < before[key],
  }));
}

export interface ChangeGroup {
  readonly pass: string;
  /** `35 merged, 2 removed`. */
  readonly counts: string;
  readonly changes: readonly Change[];
}

/** Changes by pass, passes in the order they first changed something. */
export function groupChanges(changes: readonly Change[]): ChangeGroup[] {
  const byPass = new Map<string, Change[]>();
  for (const c of changes) byPass.set(c.pass, [...(byPass.get(c.pass) ?? []), c]);
  return [...byPass].map(([pass, list]) => {
    const kinds = new Map<string, number>();
    for (const c of list) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
    return { pass, counts: [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', '), changes: list };
  });
}

/** One sentence on whether the variant computes what the original does. */
export function fidelityText(f: FidelityCheck): string {
  if (!f.checked) return `Outputs not compared: ${f.reason}.`;
  const inputs = f.inputs.map((i) => `${i.name} ${i.dims.join('×') || 'scalar'}`).join(', ');
  const verdict = f.passed ? `within the ${f.tolerance} tolerance` : `over the ${f.tolerance} tolerance: the variant does not compute what the original does`;
  return `Worst output error ${f.worstRelativeError.toExponential(2)} × max |output| on ${inputs} (seeded random): ${verdict}.`;
}

/** One sentence on the measured latencies. */
export function latencyText(l: LatencyComparison): string {
  const verdict = l.speedup >= 1 ? `${l.speedup.toFixed(2)}× faster` : `${(1 / l.speedup).toFixed(2)}× slower`;
  return `${formatMs(l.beforeMs)} → ${formatMs(l.afterMs)}, ${verdict} (median of ${l.rounds} alternating rounds of ${l.runsPerRound} runs, ${l.intraOpThreads} thread${l.intraOpThreads === 1 ? '' : 's'}).`;
}
