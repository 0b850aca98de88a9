import type { EChartsOption } from 'echarts';
import type { LatencyStats } from '../../../../engine/protocol/index.js';
import { CHART_COLORS } from './palette.js';
import { tipHtml } from './tooltip.js';
import { formatMs, sig3 } from './units.js';

export interface Histogram {
  /** Lower edge of the first bin, ms. */
  readonly start: number;
  /** Width of every bin, ms. */
  readonly width: number;
  readonly counts: readonly number[];
}

/** Equal-width bins over [min, max], about √n of them (5 to 40); equal samples make one bin. */
export function histogram(samples: readonly number[]): Histogram {
  if (samples.length === 0) return { start: 0, width: 0, counts: [] };
  const min = Math.min(...samples);
  const max = Math.max(...samples);
  if (max === min) return { start: min, width: 0, counts: [samples.length] };
  const bins = Math.min(40, Math.max(5, Math.ceil(Math.sqrt(samples.length))));
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const s of samples) counts[Math.min(bins - 1, Math.floor((s - min) / width))]!++;
  return { start: min, width, counts };
}

const MARKS = ['p50', 'p90', 'p99'] as const;

/** Histogram of the timed runs with the median and tail percentiles marked. */
export function latencyOption(samplesMs: readonly number[], stats: LatencyStats): EChartsOption {
  const h = histogram(samplesMs);
  // A single bin still needs a visible width.
  const width = h.width > 0 ? h.width : Math.max(h.start * 0.01, 1e-3);
  const centre = (i: number) => h.start + (i + 0.5) * width;
  const bins = h.counts.map((count, i) => ({ value: [centre(i), count], lo: h.start + i * width, hi: h.start + (i + 1) * width }));
  return {
    grid: { left: 16, right: 32, top: 36, bottom: 40, containLabel: true },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (params) => {
        const p = Array.isArray(params) ? params[0] : params;
        const bin = bins[p?.dataIndex ?? -1];
        if (bin === undefined) return '';
        return tipHtml(`${formatMs(bin.lo)} – ${formatMs(bin.hi)}`, [['Runs', String(bin.value[1])]]);
      },
    },
    xAxis: {
      type: 'value',
      min: h.start - width / 2,
      max: h.start + h.counts.length * width + width / 2,
      name: 'Latency (ms)',
      nameLocation: 'middle',
      nameGap: 28,
      // The range is padded by half a bin: its ends are not round numbers worth a label.
      axisLabel: { formatter: (n: number) => sig3(n), showMinLabel: false, showMaxLabel: false },
      splitLine: { show: false },
    },
    yAxis: { type: 'value', name: 'Runs', minInterval: 1, splitLine: { lineStyle: { opacity: 0.3 } } },
    series: [
      {
        id: 'runs',
        name: 'Runs',
        type: 'bar',
        color: CHART_COLORS.predicted,
        barWidth: '96%',
        data: bins.map((b) => b.value),
        markLine: {
          silent: true,
          symbol: 'none',
          label: { formatter: '{b}', position: 'end' },
          data: MARKS.map((m) => ({ name: `${m} ${formatMs(stats[m])}`, xAxis: stats[m], lineStyle: { color: CHART_COLORS.mark[m], type: 'dashed', width: 1.5 } })),
        },
      },
    ],
  };
}
