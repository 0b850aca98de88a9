import { useMemo, useState } from 'react';
import type { Analysis } from '../../../../engine/core/analysis/types.js';
import type { BenchmarkResult } from '../../../../engine/protocol/benchmark.js';
import { dataflowEdges, readingOrder, type DataflowEdge } from './dataflow.js';
import { initialExpansion, type Expansion } from './expansion.js';
import type { GraphFigures } from './flow-elements.js';
import { buildBlockTree, DEFAULT_MAX_ITEMS, type BlockTree } from './grouping.js';
import { computeTotals, measuredTimes } from './metrics.js';

export interface GraphModel extends GraphFigures {
  readonly edges: readonly DataflowEdge[];
  /** Constant nodes left out of the graph: they are weights, shown on the nodes that read them. */
  readonly hiddenConstants: number;
  readonly indexByName: ReadonlyMap<string, number>;
  readonly hasMeasured: boolean;
}

/** Everything derived from the analysis and the benchmark, recomputed only when they change. */
export function useGraphModel(analysis: Analysis, bench: BenchmarkResult | null): GraphModel {
  const nodes = useMemo(() => analysis.nodes.filter((n) => n.opType !== 'Constant'), [analysis.nodes]);
  const hiddenConstants = analysis.nodes.length - nodes.length;
  const structure = useMemo(() => {
    const edges = dataflowEdges(nodes);
    return {
      tree: buildBlockTree(nodes.map((n) => n.name), DEFAULT_MAX_ITEMS, readingOrder(nodes, edges)),
      edges,
      indexByName: new Map(nodes.map((n, i) => [n.name, i])),
    };
  }, [nodes]);
  const measured = useMemo(() => measuredTimes(bench), [bench]);
  const totals = useMemo(() => computeTotals(structure.tree, nodes, measured), [structure.tree, nodes, measured]);
  return useMemo(() => ({ nodes, ...structure, totals, hasMeasured: measured !== null, hiddenConstants }), [nodes, structure, totals, measured, hiddenConstants]);
}

/** Open blocks; a new analysis of the same model keeps the ones it still has. */
export function useExpansion(tree: BlockTree): [Expansion, (update: (current: Expansion) => Expansion) => void] {
  const [state, setState] = useState(() => ({ tree, expanded: initialExpansion(tree) as Expansion }));
  let current = state;
  if (state.tree !== tree) {
    const kept = new Set([...state.expanded].filter((id) => tree.blocks.has(id)));
    current = { tree, expanded: kept.size > 0 ? kept : initialExpansion(tree) };
    setState(current);
  }
  const update = useMemo(() => (change: (e: Expansion) => Expansion) => setState((s) => ({ ...s, expanded: change(s.expanded) })), []);
  return [current.expanded, update];
}
