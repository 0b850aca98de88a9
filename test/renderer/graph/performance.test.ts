import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { dataflowEdges } from '../../../renderer/src/features/graph/dataflow.js';
import { readLayout, toElkGraph } from '../../../renderer/src/features/graph/elk-input.js';
import { initialExpansion, MAX_MOUNTED, revealNode } from '../../../renderer/src/features/graph/expansion.js';
import { buildBlockTree } from '../../../renderer/src/features/graph/grouping.js';
import { computeTotals } from '../../../renderer/src/features/graph/metrics.js';
import { buildVisibleGraph } from '../../../renderer/src/features/graph/visible-graph.js';
import { transformerLike } from './synthetic.js';

describe.each(['scoped', 'flat'] as const)('a 10,000-node model with %s names', (naming) => {
  const nodes = transformerLike(10_000, naming);

  // Times are printed for the record; the goal itself is checked by bench/workbench.ts.
  it('is grouped, totalled and reduced to an overview of at most MAX_MOUNTED items', () => {
    const started = performance.now();
    const edges = dataflowEdges(nodes);
    const tree = buildBlockTree(nodes, { edges });
    computeTotals(tree, nodes, null);
    const overview = buildVisibleGraph(tree, edges, initialExpansion(tree));
    const opened = buildVisibleGraph(tree, edges, revealNode(tree, initialExpansion(tree), 7_777));
    const ms = performance.now() - started;
    console.log(`${naming}: grouping + totals + two visible graphs of 10,000 nodes in ${ms.toFixed(0)} ms (${overview.items.length} and ${opened.items.length} items)`);
    expect(overview.items.length).toBeLessThanOrEqual(MAX_MOUNTED);
    expect(opened.items.some((i) => i.id === 'n:7777')).toBe(true);
  });

  it('lays its overview out with ELK', async () => {
    const edges = dataflowEdges(nodes);
    const tree = buildBlockTree(nodes, { edges });
    const overview = buildVisibleGraph(tree, edges, initialExpansion(tree));
    const elk = new ELK();
    await elk.layout({ id: 'warm-up', children: [{ id: 'a', width: 1, height: 1 }] });
    const started = performance.now();
    const layout = readLayout(await elk.layout(toElkGraph(overview, () => ({ width: 160, height: 58 }))));
    const ms = performance.now() - started;
    console.log(`${naming}: ELK layout of the ${overview.items.length}-item overview in ${ms.toFixed(0)} ms`);
    expect(layout.size).toBe(overview.items.length);
  });
});
