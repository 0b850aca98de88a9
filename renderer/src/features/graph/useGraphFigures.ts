import { useMemo, useState } from 'react';
import type { Analysis } from '../../../../engine/core/analysis/types.js';
import type { BenchmarkResult } from '../../../../engine/protocol/benchmark.js';
import { dataflowEdges, readingOrder, type DataflowEdge } from './dataflow.js';
import { initialExpansion, type Expansion } from './expansion.js';
import type { GraphFigures } from './flow-elements.js';
import { buildBlockTree, type BlockTree } from './grouping.js';
import { computeTotals, measuredTimes } from './metrics.js';
import { bodyEdges, withBodyBlocks } from './subgraph-blocks.js';

export interface GraphModel extends GraphFigures {
  /** `nodes` holds the main graph's nodes first, then those inside If/Loop/Scan bodies: this many are the main graph's. */
  readonly mainNodes: number;
  readonly edges: readonly DataflowEdge[];
  /** Constant nodes left out of the graph: they are weights, shown on the nodes that read them. */
  readonly hiddenConstants: number;
  readonly indexByName: ReadonlyMap<string, number>;
  readonly hasMeasured: boolean;
}

/** Everything derived from the analysis and the benchmark, recomputed only when they change. */
export function useGraphModel(analysis: Analysis, bench: BenchmarkResult | null): GraphModel {
  const main = useMemo(() => analysis.nodes.filter((n) => n.opType !== 'Constant'), [analysis.nodes]);
  // An engine older than body nodes sends none.
  const subgraphNodes = analysis.subgraphNodes as Analysis['subgraphNodes'] | undefined;
  const bodies = useMemo(() => (subgraphNodes ?? []).filter((n) => n.opType !== 'Constant'), [subgraphNodes]);
  const nodes = useMemo(() => [...main, ...bodies], [main, bodies]);
  const hiddenConstants = analysis.nodes.length - main.length;
  const structure = useMemo(() => {
    const mainEdges = dataflowEdges(main);
    return {
      tree: withBodyBlocks(buildBlockTree(main, { order: readingOrder(main, mainEdges), edges: mainEdges }), main, bodies),
      edges: [...mainEdges, ...bodyEdges(main, bodies)],
      indexByName: new Map(main.map((n, i) => [n.name, i])),
    };
  }, [main, bodies]);
  const measured = useMemo(() => measuredTimes(bench), [bench]);
  const totals = useMemo(() => computeTotals(structure.tree, nodes, measured), [structure.tree, nodes, measured]);
  return useMemo(() => ({ nodes, mainNodes: main.length, ...structure, totals, hasMeasured: measured !== null, hiddenConstants }), [nodes, main.length, structure, totals, measured, hiddenConstants]);
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
