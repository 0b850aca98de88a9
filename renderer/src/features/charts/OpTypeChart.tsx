import { useMemo, useState } from 'react';
import { EChart } from '../../components/EChart.js';
import { selectAnalysis, selectBenchResult, useWorkbench } from '../../store/index.js';
import { ChartFrame, ChartHint } from './ChartFrame.js';
import { OP_TYPE_METRICS, opTypeBars, opTypeOption, type OpTypeMetric } from './op-type-option.js';

/** Where the time, MACs and bytes go, by op type; measured time beside the prediction after a per-node run. */
export function OpTypeChart() {
  const analysis = useWorkbench(selectAnalysis);
  const bench = useWorkbench(selectBenchResult);
  const [metric, setMetric] = useState<OpTypeMetric>('time');
  const measured = bench?.profile?.opTypes ?? null;
  const option = useMemo(() => (analysis === null ? null : opTypeOption(opTypeBars(analysis.byOpType, measured, metric), metric)), [analysis, measured, metric]);
  if (option === null) return <ChartHint>Analyzing the model…</ChartHint>;
  return (
    <ChartFrame
      toolbar={
        <>
          <div className="segmented" role="radiogroup" aria-label="Metric">
            {OP_TYPE_METRICS.map((m) => (
              <button key={m.id} type="button" role="radio" aria-checked={metric === m.id} className={metric === m.id ? 'segment active' : 'segment'} onClick={() => setMetric(m.id)}>
                {m.label}
              </button>
            ))}
          </div>
          <span className="chart-fact muted">
            {metric === 'time' ? (measured === null ? 'Predicted time; run a benchmark with per-node timing to compare.' : 'Predicted and measured time per op type') : metric === 'macs' ? 'Multiply-accumulates per op type' : 'Bytes read and written per op type'}
          </span>
        </>
      }
    >
      <EChart option={option} label={`Op types by ${metric}`} />
    </ChartFrame>
  );
}
