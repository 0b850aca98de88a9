import { useCallback, useMemo } from 'react';
import { EChart, type ChartItem } from '../../components/EChart.js';
import { selectAnalysis, selectAnalysisStatus, selectBenchResult, selectSelectedNode, selectSelectNode, useWorkbench } from '../../store/index.js';
import { ChartFrame, ChartHint } from './ChartFrame.js';
import { MEASURED_SERIES, PREDICTED_SERIES, rooflineOption } from './roofline-option.js';
import { withoutFigure } from './roofline-points.js';

/** Every node under the chosen device's roofline: predicted, and measured after a per-node benchmark. */
export function RooflineChart() {
  const analysis = useWorkbench(selectAnalysis);
  const status = useWorkbench(selectAnalysisStatus);
  const bench = useWorkbench(selectBenchResult);
  const selected = useWorkbench(selectSelectedNode);
  const selectNode = useWorkbench(selectSelectNode);
  const measured = bench !== null && bench.nodes.length > 0 ? bench.nodes : null;
  const option = useMemo(
    () => (analysis === null ? null : rooflineOption({ device: analysis.device.profile, nodes: analysis.nodes, measured, selected })),
    [analysis, measured, selected],
  );
  const onClick = useCallback(
    (item: ChartItem) => {
      if (item.seriesId === PREDICTED_SERIES || item.seriesId === MEASURED_SERIES) selectNode(item.name);
    },
    [selectNode],
  );
  if (analysis === null || option === null) return <ChartHint>{status === 'error' ? 'The analysis failed; see the message above.' : 'Analyzing the model…'}</ChartHint>;
  const device = analysis.device.profile;
  const missing = withoutFigure(analysis.nodes, device);
  return (
    <ChartFrame
      toolbar={
        <>
          <span className="chart-fact">
            Roofline of <b>{device.name}</b>
          </span>
          {missing.count > 0 ? (
            <span className="chart-fact chart-warning">
              {missing.count} node{missing.count === 1 ? '' : 's'} compute in {missing.dtypes.join(', ')}, which this device has no peak for: no prediction.
            </span>
          ) : (
            <span className="chart-fact muted">Dot size: share of time · click a dot to select its node</span>
          )}
          {bench === null ? (
            <span className="chart-fact muted">Run a benchmark with per-node timing to add measured dots.</span>
          ) : measured === null ? (
            <span className="chart-fact muted">The last benchmark ran without per-node timing.</span>
          ) : (
            <span className="chart-fact muted">Measured on {bench.environment.cpuModel}</span>
          )}
        </>
      }
    >
      <EChart option={option} label={`Roofline of ${analysis.model.graphName || 'the model'} on ${device.name}`} onClick={onClick} />
    </ChartFrame>
  );
}
