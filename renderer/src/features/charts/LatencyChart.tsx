import { useMemo } from 'react';
import { EChart } from '../../components/EChart.js';
import { selectBenchResult, useWorkbench } from '../../store/index.js';
import { ChartFrame, ChartHint } from './ChartFrame.js';
import { latencyOption } from './latency-option.js';
import { formatMs } from './units.js';

/** The distribution of the last benchmark's timed runs. */
export function LatencyChart() {
  const bench = useWorkbench(selectBenchResult);
  const option = useMemo(() => (bench === null || bench.samplesMs.length === 0 ? null : latencyOption(bench.samplesMs, bench.latencyMs)), [bench]);
  if (bench === null || option === null) return <ChartHint>No measurements yet: run a benchmark (Benchmark tab) to see how latency is distributed.</ChartHint>;
  const { latencyMs: s } = bench;
  return (
    <ChartFrame
      toolbar={
        <span className="chart-fact">
          {bench.samplesMs.length} timed runs · median <b>{formatMs(s.p50)}</b> · p90 {formatMs(s.p90)} · p99 {formatMs(s.p99)} · cv {(bench.cv * 100).toFixed(1)}%
        </span>
      }
    >
      <EChart option={option} label={`Latency distribution of ${bench.samplesMs.length} runs`} />
    </ChartFrame>
  );
}
