import { formatBytes, formatCount, formatExact, formatShare } from '../summary/format.js';
import { formatDecimal } from './format.js';
import type { LayerRow, LayerTotals, SortValue } from './layer-rows.js';

export type ColumnKey =
  | 'index'
  | 'name'
  | 'opType'
  | 'outputShape'
  | 'macs'
  | 'params'
  | 'bytesMoved'
  | 'intensity'
  | 'bound'
  | 'predictedMs'
  | 'share'
  | 'measuredMs'
  | 'gflops'
  | 'gbps';

/** What a cell shows, with the exact value as its tooltip. */
export interface CellText {
  readonly text: string;
  readonly title?: string;
}

export interface Column {
  readonly key: ColumnKey;
  readonly label: string;
  /** The header's tooltip. */
  readonly description: string;
  /** The CSV header, units spelled out. */
  readonly csvLabel: string;
  readonly numeric: boolean;
  /** Shown only with a per-node benchmark. */
  readonly measured: boolean;
  /** Width in pixels; the name column takes what is left. */
  readonly width?: number;
  readonly value: (row: LayerRow) => SortValue;
  readonly cell: (row: LayerRow) => CellText;
  /** The totals row's cell; absent where a sum means nothing. */
  readonly total?: (totals: LayerTotals) => CellText;
}

const DASH: CellText = { text: '—' };

function exactCell(n: number | null, compact: (n: number) => string, unit: string, why?: string): CellText {
  if (n === null) return why === undefined ? DASH : { text: '—', title: why };
  return { text: compact(n), title: `${formatExact(n)} ${unit}`.trimEnd() };
}

const decimalCell = (n: number | null, unit: string): CellText => (n === null ? DASH : { text: formatDecimal(n), title: `${n} ${unit}` });
const msCell = (n: number | null): CellText => (n === null ? DASH : { text: formatDecimal(n), title: `${n} ms` });
const shareCell = (n: number): CellText => ({ text: formatShare(n), title: `${(n * 100).toFixed(4)}%` });

function numeric(key: ColumnKey, label: string, csvLabel: string, description: string, width: number, value: (row: LayerRow) => number | null, cell: (row: LayerRow) => CellText, total?: (t: LayerTotals) => CellText, measured = false): Column {
  return { key, label, csvLabel, description, numeric: true, measured, width, value, cell, ...(total ? { total } : {}) };
}

export const COLUMNS: readonly Column[] = [
  numeric('index', '#', 'index', 'Position in execution order', 56, (r) => r.index, (r) => ({ text: String(r.index) })),
  { key: 'name', label: 'Name', csvLabel: 'name', description: 'Node name', numeric: false, measured: false, value: (r) => r.name, cell: (r) => ({ text: r.name, title: r.name }) },
  { key: 'opType', label: 'Op', csvLabel: 'op type', description: 'Op type', numeric: false, measured: false, width: 130, value: (r) => r.opType, cell: (r) => ({ text: r.opType, title: r.opType }) },
  { key: 'outputShape', label: 'Output shape', csvLabel: 'output shape', description: 'Shape of each output', numeric: false, measured: false, width: 150, value: (r) => r.outputShape, cell: (r) => ({ text: r.outputShape, title: r.outputShape }) },
  numeric('macs', 'MACs', 'MACs', 'Multiply-accumulates', 84, (r) => r.macs, (r) => exactCell(r.macs, formatCount, 'MACs', r.uncountedReason), (t) => exactCell(t.macs, formatCount, 'MACs')),
  numeric('params', 'Params', 'params', 'Weight elements the node reads', 80, (r) => r.params, (r) => exactCell(r.params, formatCount, 'parameters'), (t) => exactCell(t.params, formatCount, 'parameters')),
  numeric('bytesMoved', 'Bytes moved', 'bytes moved', 'Bytes read and written', 96, (r) => r.bytesMoved, (r) => exactCell(r.bytesMoved, formatBytes, 'bytes', r.uncountedReason), (t) => exactCell(t.bytesMoved, formatBytes, 'bytes')),
  numeric('intensity', 'FLOP/B', 'intensity (FLOP/byte)', 'Arithmetic intensity: FLOPs per byte moved', 72, (r) => r.intensity, (r) => decimalCell(r.intensity, 'FLOP/byte'), (t) => decimalCell(t.intensity, 'FLOP/byte')),
  { key: 'bound', label: 'Bound', csvLabel: 'bound', description: 'What limits the node on the roofline', numeric: false, measured: false, width: 96, value: (r) => r.bound, cell: (r) => ({ text: r.bound, ...(r.uncountedReason ? { title: r.uncountedReason } : {}) }) },
  numeric('predictedMs', 'Pred. ms', 'predicted ms', 'Predicted time on the chosen device', 78, (r) => r.predictedMs, (r) => msCell(r.predictedMs), (t) => msCell(t.predictedMs)),
  numeric('share', 'Share', 'share', "Share of the model's predicted time", 74, (r) => r.share, (r) => shareCell(r.share), (t) => shareCell(t.share)),
  numeric('measuredMs', 'Meas. ms', 'measured ms', 'Measured kernel time (onnxruntime profile)', 78, (r) => r.measuredMs, (r) => msCell(r.measuredMs), (t) => msCell(t.measuredMs), true),
  numeric('gflops', 'GFLOP/s', 'measured GFLOP/s', 'Achieved FLOPs per second', 76, (r) => r.gflops, (r) => decimalCell(r.gflops, 'GFLOP/s'), undefined, true),
  numeric('gbps', 'GB/s', 'measured GB/s', 'Achieved bytes per second', 66, (r) => r.gbps, (r) => decimalCell(r.gbps, 'GB/s'), undefined, true),
];

export function visibleColumns(withMeasured: boolean): readonly Column[] {
  return withMeasured ? COLUMNS : COLUMNS.filter((c) => !c.measured);
}

/** Numbers read best largest first; names in alphabetical order. */
export function firstSortDir(column: Column): 'asc' | 'desc' {
  return column.numeric && column.key !== 'index' ? 'desc' : 'asc';
}
