import type { EChartsOption, LineSeriesOption, ScatterSeriesOption } from 'echarts';
import type { DeviceProfile } from '../../../../engine/core/hardware/device.js';
import type { MeasuredNode } from '../../../../engine/protocol/index.js';
import { CHART_COLORS } from './palette.js';
import { ceilings, decadeRange, dotSize, measuredDots, predictedDots, type AnalyzedNode, type Ceiling, type RooflineDot } from './roofline-points.js';
import { tipHtml } from './tooltip.js';
import { formatMs, formatRate, formatTick, sig3 } from './units.js';

export const PREDICTED_SERIES = 'predicted';
export const MEASURED_SERIES = 'measured';

export interface RooflineInput {
  readonly device: DeviceProfile;
  readonly nodes: readonly AnalyzedNode[];
  /** Per-node measurements of a benchmark run; null when there is none. */
  readonly measured: readonly MeasuredNode[] | null;
  readonly selected: string | null;
}

/** A bare stroke in the legend: ceilings are lines, not points. */
const LINE_ICON = 'path://M0,0H12V1.5H0Z';

const unitOf = (c: Ceiling) => (c.dtype === 'int8' ? 'OP/s' : 'FLOP/s');

function ceilingSeries(c: Ceiling, xMax: number): LineSeriesOption {
  return {
    id: `ceiling-${c.dtype}`,
    name: `${c.dtype} peak`,
    type: 'line',
    silent: true,
    symbol: 'none',
    color: CHART_COLORS.ceiling[c.dtype],
    lineStyle: { width: 2 },
    data: [
      [c.ridge, c.gflops],
      [xMax, c.gflops],
    ],
    endLabel: { show: true, formatter: `${c.dtype} ${formatRate(c.gflops, unitOf(c))}`, color: 'inherit', fontSize: 11 },
    tooltip: { show: false },
  };
}

function bandwidthSeries(gbps: number, xMin: number, xEnd: number): LineSeriesOption {
  return {
    id: 'ceiling-bandwidth',
    name: 'Bandwidth',
    type: 'line',
    silent: true,
    symbol: 'none',
    color: CHART_COLORS.bandwidth,
    lineStyle: { width: 2, type: 'dashed' },
    data: [
      [xMin, gbps * xMin],
      [xEnd, gbps * xEnd],
    ],
    tooltip: { show: false },
  };
}

function dotSeries(id: string, name: string, dots: readonly RooflineDot[], selected: string | null, style: { color: string; symbol: string }): ScatterSeriesOption {
  return {
    id,
    name,
    type: 'scatter',
    symbol: style.symbol,
    color: style.color,
    itemStyle: { opacity: 0.72, borderColor: style.color, borderWidth: 1 },
    emphasis: { focus: 'none', itemStyle: { opacity: 1, borderColor: CHART_COLORS.selected, borderWidth: 2 } },
    // Small dots on top of big ones, so every node stays clickable.
    data: [...dots]
      .sort((a, b) => b.share - a.share)
      .map((d) => {
        const isSelected = d.name === selected;
        return {
          name: d.name,
          value: [d.intensity, d.gflops],
          symbolSize: dotSize(d.share) + (isSelected ? 6 : 0),
          ...(isSelected ? { itemStyle: { opacity: 1, borderColor: CHART_COLORS.selected, borderWidth: 3 } } : {}),
        };
      }),
  };
}

/** The device's roofline and the model's nodes under it, as an ECharts option (log-log axes). */
export function rooflineOption({ device, nodes, measured, selected }: RooflineInput): EChartsOption {
  const roofs = ceilings(device);
  const gbps = device.bandwidthBytesPerSec.value / 1e9;
  const predicted = predictedDots(nodes);
  const ran = measured === null ? [] : measuredDots(measured, nodes);
  const dots = [...predicted, ...ran];
  const [xMin, xMax] = decadeRange([...dots.map((d) => d.intensity), ...roofs.map((c) => c.ridge)]);
  const topRidge = roofs.reduce((max, c) => Math.max(max, c.ridge), 0);
  const bandwidthEnd = topRidge > 0 ? topRidge : xMax;
  const [yMin, yMax] = decadeRange([...dots.map((d) => d.gflops), ...roofs.map((c) => c.gflops), gbps * xMin]);
  const byKey = new Map<string, RooflineDot>([...predicted.map((d) => [`${PREDICTED_SERIES}:${d.name}`, d] as const), ...ran.map((d) => [`${MEASURED_SERIES}:${d.name}`, d] as const)]);

  const series: (LineSeriesOption | ScatterSeriesOption)[] = [
    ...(gbps > 0 ? [bandwidthSeries(gbps, xMin, bandwidthEnd)] : []),
    ...roofs.map((c) => ceilingSeries(c, xMax)),
    dotSeries(PREDICTED_SERIES, 'Predicted', predicted, selected, { color: CHART_COLORS.predicted, symbol: 'circle' }),
  ];
  if (ran.length > 0) series.push(dotSeries(MEASURED_SERIES, 'Measured', ran, selected, { color: CHART_COLORS.measured, symbol: 'diamond' }));

  return {
    grid: { left: 64, right: 132, top: 34, bottom: 46 },
    // Without an explicit icon ECharts draws a line series' legend with a dot on it.
    legend: { top: 2, left: 'center', itemGap: 18, data: series.map((s) => ({ name: s.name as string, ...(s.type === 'line' ? { icon: LINE_ICON } : {}) })) },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        const dot = p === undefined ? undefined : byKey.get(`${p.seriesId}:${p.name}`);
        if (dot === undefined) return '';
        const how = p?.seriesId === MEASURED_SERIES ? 'Measured' : 'Predicted';
        return tipHtml(dot.name, [
          ['Op type', dot.opType],
          ['Intensity', `${sig3(dot.intensity)} FLOP/B`],
          [`${how} rate`, formatRate(dot.gflops)],
          [`${how} time`, `${formatMs(dot.ms)} (${(dot.share * 100).toFixed(1)}%)`],
        ]);
      },
    },
    xAxis: {
      type: 'log',
      logBase: 10,
      min: xMin,
      max: xMax,
      name: 'Arithmetic intensity (FLOP/byte)',
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { formatter: formatTick },
      splitLine: { show: true, lineStyle: { opacity: 0.3 } },
    },
    yAxis: {
      type: 'log',
      logBase: 10,
      min: yMin,
      max: yMax,
      name: 'GFLOP/s',
      nameLocation: 'end',
      axisLabel: { formatter: formatTick },
      splitLine: { show: true, lineStyle: { opacity: 0.3 } },
    },
    series,
  };
}
