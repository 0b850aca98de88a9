import type { OpenedModelSummary } from '../../../../engine/protocol/index.js';
import { formatBytes, formatCount, formatExact } from './format.js';

interface Stat {
  readonly label: string;
  readonly value: string;
  readonly detail?: string;
  readonly testId: string;
}

function stats(model: OpenedModelSummary): Stat[] {
  const subgraphs = model.subgraphCount > 0 ? `in the main graph and ${model.subgraphCount} subgraph${model.subgraphCount > 1 ? 's' : ''}` : 'in the main graph';
  const external = model.externalData.reduce((sum, e) => sum + e.bytes, 0);
  const params = formatCount(model.params);
  return [
    { label: 'Nodes', value: formatExact(model.nodeCount), detail: subgraphs, testId: 'node-count' },
    { label: 'Parameters', value: params, detail: params === formatExact(model.params) ? undefined : formatExact(model.params), testId: 'params' },
    {
      label: 'Weights',
      value: formatBytes(model.weightBytes),
      detail: external > 0 ? `${formatBytes(external)} in external files` : model.weightBytes >= 1024 ? `${formatExact(model.weightBytes)} bytes` : undefined,
      testId: 'weight-bytes',
    },
    { label: 'Op types', value: String(Object.keys(model.opTypes).length), detail: model.functionCount > 0 ? `${model.functionCount} local functions` : 'no local functions', testId: 'op-type-count' },
  ];
}

export function StatGrid({ model }: { readonly model: OpenedModelSummary }) {
  return (
    <div className="stat-grid">
      {stats(model).map((s) => (
        <div className="stat" key={s.label}>
          <div className="stat-label">{s.label}</div>
          <div className="stat-value" data-testid={s.testId}>
            {s.value}
          </div>
          {s.detail ? <div className="stat-detail">{s.detail}</div> : null}
        </div>
      ))}
    </div>
  );
}
