import type { BarSeriesOption, EChartsOption } from 'echarts';
import type { OpTypeTotals } from '../../../../engine/core/analysis/types.js';
import type { OpTypeTime } from '../../../../engine/protocol/index.js';
import { formatBytes, formatCount } from '../summary/format.js';
import { CHART_COLORS } from './palette.js';
import { tipHtml } from './tooltip.js';
import { formatMs } from './units.js';

export type OpTypeMetric = 'time' | 'macs' | 'bytes';

export const OP_TYPE_METRICS: readonly { readonly id: OpTypeMetric; readonly label: string }[] = [
  { id: 'time', label: 'Time' },
  { id: 'macs', label: 'MACs' },
  { id: 'bytes', label: 'Bytes' },
];

export interface OpTypeBar {
  readonly opType: string;
  readonly predicted: number;
  /** Measured time, for the time metric of a run with per-node profiling; else null. */
  readonly measured: number | null;
}

const OTHER = 'Other';

function value(t: OpTypeTotals, metric: OpTypeMetric): number {
  if (metric === 'time') return t.predictedMs;
  return metric === 'macs' ? t.macs : t.readBytes + t.writeBytes;
}

/**
 * One bar per op type, largest first (by measured time when there is one), the smallest beyond
 * `limit` summed into one "Other" bar.
 */
export function opTypeBars(byOpType: readonly OpTypeTotals[], measured: readonly OpTypeTime[] | null, metric: OpTypeMetric, limit = 12): OpTypeBar[] {
  const ms = metric === 'time' && measured !== null && measured.length > 0 ? new Map(measured.map((m) => [m.opType, m.ms])) : null;
  const bars = byOpType
    .map((t) => ({ opType: t.opType, predicted: value(t, metric), measured: ms === null ? null : (ms.get(t.opType) ?? 0) }))
    .sort((a, b) => (b.measured ?? b.predicted) - (a.measured ?? a.predicted) || b.predicted - a.predicted || a.opType.localeCompare(b.opType));
  if (bars.length <= limit) return bars;
  const rest = bars.slice(limit - 1);
  const other = {
    opType: `${OTHER} (${rest.length})`,
    predicted: rest.reduce((sum, b) => sum + b.predicted, 0),
    measured: ms === null ? null : rest.reduce((sum, b) => sum + (b.measured ?? 0), 0),
  };
  return [...bars.slice(0, limit - 1), other];
}

const FORMAT: Record<OpTypeMetric, (n: number) => string> = { time: formatMs, macs: formatCount, bytes: formatBytes };

/** Horizontal bars by op type; predicted and measured side by side for time. */
export function opTypeOption(bars: readonly OpTypeBar[], metric: OpTypeMetric): EChartsOption {
  const format = FORMAT[metric];
  const hasMeasured = bars.some((b) => b.measured !== null);
  const series: BarSeriesOption[] = [
    { id: 'predicted', name: metric === 'time' ? 'Predicted' : OP_TYPE_METRICS.find((m) => m.id === metric)!.label, type: 'bar', color: CHART_COLORS.predicted, data: bars.map((b) => b.predicted), barMaxWidth: 18 },
  ];
  if (hasMeasured) series.push({ id: 'measured', name: 'Measured', type: 'bar', color: CHART_COLORS.measured, data: bars.map((b) => b.measured ?? 0), barMaxWidth: 18 });
  return {
    grid: { left: 16, right: 40, top: hasMeasured ? 28 : 12, bottom: 8, containLabel: true },
    legend: hasMeasured ? { top: 2, right: 16 } : { show: false },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const bar = bars[list[0]?.dataIndex ?? -1];
        if (bar === undefined) return '';
        const rows: [string, string][] = [[series[0]!.name as string, format(bar.predicted)]];
        if (bar.measured !== null) rows.push(['Measured', format(bar.measured)]);
        return tipHtml(bar.opType, rows);
      },
    },
    xAxis: { type: 'value', axisLabel: { formatter: (n: number) => format(n) }, splitLine: { lineStyle: { opacity: 0.3 } } },
    yAxis: { type: 'category', inverse: true, data: bars.map((b) => b.opType), axisTick: { show: false } },
    series,
  };
}
