import type { GraphNode } from './dataflow.js';
import { GraphSearch } from './GraphSearch.js';
import type { Metric, MetricId } from './metrics.js';

interface GraphToolbarProps {
  readonly metrics: readonly Metric[];
  readonly metric: MetricId;
  readonly onMetric: (metric: MetricId) => void;
  readonly nodes: readonly GraphNode[];
  readonly onJump: (index: number) => void;
  readonly status: string;
  readonly statusIsError: boolean;
}

export function GraphToolbar({ metrics, metric, onMetric, nodes, onJump, status, statusIsError }: GraphToolbarProps) {
  return (
    <div className="graph-toolbar">
      <label className="graph-metric">
        <span>Colour by</span>
        <select value={metric} onChange={(e) => onMetric(e.target.value as MetricId)}>
          {metrics.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
      <GraphSearch nodes={nodes} onJump={onJump} />
      <span className={statusIsError ? 'graph-status error' : 'graph-status'} role="status">
        {status}
      </span>
    </div>
  );
}
