import { useMemo } from 'react';
import type { Analysis, NodeAnalysis, SubgraphNodeAnalysis } from '../../../../engine/core/analysis/types.js';
import type { MeasuredNode } from '../../../../engine/protocol/index.js';
import { workbench } from '../../api/client.js';
import { selectAnalysis, selectBenchResult, selectModel, selectSelectNode, selectSelectedNode, useWorkbench } from '../../store/index.js';
import { AttributesSection } from './AttributesSection.js';
import { classifyInputs, isWeight, valueSources, type ValueSources } from './classify.js';
import { CostSection } from './CostSection.js';
import { useRequest } from './useRequest.js';
import { ValuesSection } from './ValuesSection.js';
import { WeightCard } from './WeightCard.js';
import './inspector.css';

/** Everything about the selected node: attributes, values, cost, weights. */
export function Inspector() {
  const selected = useWorkbench(selectSelectedNode);
  const analysis = useWorkbench(selectAnalysis);
  const measured = useWorkbench(selectBenchResult)?.nodes;
  return <InspectorView selected={selected} analysis={analysis} measured={measured} />;
}

interface ViewProps {
  readonly selected: string | null;
  readonly analysis: Analysis | null;
  readonly measured: readonly MeasuredNode[] | undefined;
}

/** The inspector for a given selection, apart from the store. */
export function InspectorView({ selected, analysis, measured }: ViewProps) {
  const sources = useMemo(() => (analysis ? valueSources(analysis) : null), [analysis]);
  // Nodes inside If/Loop/Scan bodies can be selected in the graph too.
  const node = useMemo(() => analysis?.nodes.find((n) => n.name === selected) ?? analysis?.subgraphNodes?.find((n) => n.name === selected), [analysis, selected]);
  const measuredNode = useMemo(() => measured?.find((m) => m.name === selected), [measured, selected]);

  let content;
  if (selected === null) content = <p className="inspector-hint">Select a node in the graph or the table.</p>;
  else if (!analysis || !sources) content = <p className="inspector-hint">Waiting for the analysis…</p>;
  else if (!node) content = <p className="inspector-hint">{`The analysis has no node named “${selected}”.`}</p>;
  else content = <NodeInspector key={node.name} node={node} sources={sources} measured={measuredNode} />;
  return <div className="inspector">{content}</div>;
}

interface Props {
  readonly node: NodeAnalysis | SubgraphNodeAnalysis;
  readonly sources: ValueSources;
  readonly measured: MeasuredNode | undefined;
}

function NodeInspector({ node, sources, measured }: Props) {
  const model = useWorkbench(selectModel);
  const selectNode = useWorkbench(selectSelectNode);
  const details = useRequest(() => workbench().call('model.node', { name: node.name }), [model, node.name]);
  const inputs = classifyInputs(node, sources);
  const weights = inputs.filter((i) => isWeight(i.kind));
  const domain = details.status === 'ready' ? details.value.domain || 'ai.onnx' : null;
  return (
    <article className="inspector-node" aria-label={`Node ${node.name}`}>
      <header className="inspector-header">
        <div className="inspector-op">{node.opType}</div>
        <h2 className="inspector-name mono">{node.name}</h2>
        <div className="inspector-meta">
          <span>{'graphPath' in node ? `#${node.index} of ${node.graphPath}${bodyRole(node)}` : `#${node.index} in execution order`}</span>
          {domain === null ? null : <span>domain {domain}</span>}
        </div>
      </header>
      <AttributesSection details={details} />
      <ValuesSection title="Inputs" values={inputs} onSelect={selectNode} />
      <ValuesSection title="Outputs" values={node.outputs} />
      <CostSection node={node} measured={measured} />
      {weights.length === 0 ? null : (
        <section className="inspector-section" aria-label="Weights">
          <h3>Weights</h3>
          {weights.map((w, i) => (
            <WeightCard key={`${i}:${w.value.name}`} input={w} />
          ))}
        </section>
      )}
    </article>
  );
}

/** How a body node's cost counts in its owner's: the branch taken, not taken, or per iteration. */
function bodyRole(node: SubgraphNodeAnalysis): string {
  if (node.taken === true) return ' (taken)';
  if (node.taken === false) return ' (not taken)';
  return node.runs === null ? '' : ` (× ${node.runs} per run)`;
}
