import type { Analysis, NodeAnalysis } from '../../../../engine/core/analysis/types.js';
import type { MeasuredNode } from '../../../../engine/protocol/index.js';
import { shapeText } from './format.js';

/** `no figure`: counted, but the device has no peak for the node's element type; `no work`: a Constant or folded shape arithmetic. */
export type BoundKind = 'compute' | 'memory' | 'uncounted' | 'no figure' | 'no work';

/** One node as the layers table shows it; null where a figure is unknown or not counted. */
export interface LayerRow {
  readonly index: number;
  readonly name: string;
  readonly opType: string;
  readonly outputShape: string;
  readonly macs: number | null;
  readonly flops: number | null;
  readonly params: number;
  readonly bytesMoved: number | null;
  readonly intensity: number | null;
  readonly bound: BoundKind;
  readonly predictedMs: number | null;
  readonly share: number;
  readonly measuredMs: number | null;
  readonly gflops: number | null;
  readonly gbps: number | null;
  readonly uncountedReason?: string;
}

function boundOf(n: NodeAnalysis): BoundKind {
  if (!n.counted) return 'uncounted';
  if (n.bound === null && n.flops === 0 && n.readBytes + n.writeBytes === 0) return 'no work';
  return n.bound ?? 'no figure';
}

/** The table's rows in execution order, joined with measured times by node name when a benchmark has them. */
export function layerRows(nodes: Analysis['nodes'], measured: readonly MeasuredNode[] = []): LayerRow[] {
  const byName = new Map(measured.map((m) => [m.name, m]));
  return nodes.map((n) => {
    const m = byName.get(n.name);
    return {
      index: n.index,
      name: n.name,
      opType: n.opType,
      outputShape: n.outputs.map((o) => shapeText(o.shape)).join(' '),
      macs: n.counted ? n.macs : null,
      flops: n.counted ? n.flops : null,
      params: n.params,
      bytesMoved: n.counted ? n.readBytes + n.writeBytes : null,
      intensity: n.intensity,
      bound: boundOf(n),
      predictedMs: n.predictedMs,
      share: n.share,
      measuredMs: m?.ms ?? null,
      gflops: m?.gflops ?? null,
      gbps: m?.gbps ?? null,
      ...(n.uncountedReason === undefined ? {} : { uncountedReason: n.uncountedReason }),
    };
  });
}

export interface LayerFilter {
  /** Empty: every op type. */
  readonly opType: string;
  /** Empty: every bound. */
  readonly bound: BoundKind | '';
  /** Case-insensitive part of the name; blank matches all. */
  readonly text: string;
  /** Whether nodes that do no work (Constants, folded shape arithmetic) are listed. */
  readonly showNoWork: boolean;
}

export const NO_FILTER: LayerFilter = { opType: '', bound: '', text: '', showNoWork: true };
/** What the table opens with: the nodes that cost something; a model's Constants can outnumber them. */
export const DEFAULT_FILTER: LayerFilter = { ...NO_FILTER, showNoWork: false };

export function filterRows(rows: readonly LayerRow[], filter: LayerFilter): readonly LayerRow[] {
  const text = filter.text.trim().toLowerCase();
  if (filter.opType === '' && filter.bound === '' && text === '' && filter.showNoWork) return rows;
  return rows.filter(
    (r) =>
      (filter.opType === '' || r.opType === filter.opType) &&
      (filter.bound === '' || r.bound === filter.bound) &&
      (filter.showNoWork || filter.bound === 'no work' || r.bound !== 'no work') &&
      (text === '' || r.name.toLowerCase().includes(text)),
  );
}

/** Distinct values with how many rows hold each, most frequent first, ties by name. */
export function valueCounts<T extends string>(rows: readonly LayerRow[], value: (row: LayerRow) => T): { value: T; count: number }[] {
  const counts = new Map<T, number>();
  for (const r of rows) counts.set(value(r), (counts.get(value(r)) ?? 0) + 1);
  return [...counts].map(([v, count]) => ({ value: v, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

export type SortValue = number | string | null;

export interface SortOrder<K extends string> {
  readonly key: K;
  readonly dir: 'asc' | 'desc';
}

/** Rows ordered by `value`; unknown (null) values last in either direction, ties in execution order. */
export function sortRows(rows: readonly LayerRow[], value: (row: LayerRow) => SortValue, dir: 'asc' | 'desc'): LayerRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  return rows
    .map((row) => ({ row, v: value(row) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.row.index - b.row.index : a.v === null ? 1 : -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v), undefined, { numeric: true });
      return c === 0 ? a.row.index - b.row.index : sign * c;
    })
    .map((e) => e.row);
}

export interface LayerTotals {
  readonly rows: number;
  readonly macs: number;
  readonly flops: number;
  readonly params: number;
  readonly bytesMoved: number;
  /** Summed FLOPs ÷ summed bytes of the counted rows; null when no bytes move. */
  readonly intensity: number | null;
  readonly predictedMs: number;
  readonly share: number;
  /** null when no row was measured. */
  readonly measuredMs: number | null;
}

/** Sums over `rows`; unknown figures add nothing. */
export function totalsOf(rows: readonly LayerRow[]): LayerTotals {
  let macs = 0, flops = 0, params = 0, bytesMoved = 0, predictedMs = 0, share = 0, measuredMs = 0, measured = 0;
  for (const r of rows) {
    macs += r.macs ?? 0;
    flops += r.flops ?? 0;
    params += r.params;
    bytesMoved += r.bytesMoved ?? 0;
    predictedMs += r.predictedMs ?? 0;
    share += r.share;
    if (r.measuredMs !== null) {
      measuredMs += r.measuredMs;
      measured++;
    }
  }
  return { rows: rows.length, macs, flops, params, bytesMoved, intensity: bytesMoved > 0 ? flops / bytesMoved : null, predictedMs, share, measuredMs: measured > 0 ? measuredMs : null };
}
