import { describe, expect, it } from 'vitest';
import { dataflowEdges } from '../../../renderer/src/features/graph/dataflow.js';
import { flowEdges, flowNodes, NO_CHANGES, scaleForItems, withMarks, type GraphFigures } from '../../../renderer/src/features/graph/flow-elements.js';
import { buildBlockTree } from '../../../renderer/src/features/graph/grouping.js';
import { computeTotals } from '../../../renderer/src/features/graph/metrics.js';
import { buildVisibleGraph } from '../../../renderer/src/features/graph/visible-graph.js';
import { node, value } from './synthetic.js';

const nodes = [
  node('/a/Conv', 'Conv', [value('x', [1, 3, 8, 8]), value('w', [4, 3, 3, 3])], [value('y', [1, 4, 8, 8])], { macs: 100_000, predictedMs: 1 }),
  node('/a/Relu', 'Relu', [value('y')], [value('z', [1, 4, 8, 8])], { predictedMs: 0.001 }),
  node('/b/Custom', 'Custom', [value('z')], [value('out')], { counted: false }),
  node('/b/Relu', 'Relu', [value('out')], [value('o2')], { predictedMs: 0.01 }),
];
const tree = buildBlockTree(nodes);
const figures: GraphFigures = { nodes, tree, totals: computeTotals(tree, nodes, null) };
const graph = buildVisibleGraph(tree, dataflowEdges(nodes), new Set(['/a']));
const layout = new Map(graph.items.map((i, k) => [i.id, { x: 0, y: k * 100, width: 150, height: 58 }]));

describe('flowNodes', () => {
  const scale = scaleForItems(graph, figures, 'predictedMs');
  const built = flowNodes({ graph, layout, figures, metric: 'predictedMs', scale });

  it('makes frames for open blocks, cards for nodes and closed blocks, children after their frame', () => {
    expect(built.map((n) => [n.id, n.type, n.parentId])).toEqual([
      ['b:/a', 'frame', undefined],
      ['n:0', 'op', 'b:/a'],
      ['n:1', 'op', 'b:/a'],
      ['b:/b', 'block', undefined],
    ]);
    expect(built[1]!.data).toMatchObject({ opType: 'Conv', facts: '3×3', shape: '1×4×8×8', metricText: '1.00 ms' });
  });

  it('colours by the metric and leaves a card neutral when it has no value', () => {
    expect(built[1]!.data.fill).toBe(scale!.colourOf(1));
    const noValue = flowNodes({ graph, layout, figures, metric: 'macs', scale: scaleForItems(graph, figures, 'macs') });
    expect(noValue.find((n) => n.id === 'b:/b')!.data).toMatchObject({ metricText: '0 MAC' });
    expect(flowNodes({ graph, layout, figures, metric: 'measuredMs', scale: null })[1]!.data).toMatchObject({ fill: null, metricText: '—' });
  });

  it('copies only the nodes whose selection marks change', () => {
    const first = withMarks(built, { selectedItem: 'n:1', selectedBlocks: new Set(['/a']), ...NO_CHANGES });
    expect(first[1]).toBe(built[1]);
    expect(first[2]!.selected).toBe(true);
    expect(first[0]!.data).toMatchObject({ containsSelection: true });
    const moved = withMarks(first, { selectedItem: 'n:0', selectedBlocks: new Set(['/a']), ...NO_CHANGES });
    expect(moved[0]).toBe(first[0]);
    expect(moved[3]).toBe(first[3]);
    expect([moved[1]!.selected, moved[2]!.selected]).toEqual([true, false]);
  });

  it('marks the nodes an optimization changes, and counts them on the blocks around them', () => {
    const built = flowNodes({ graph, layout, figures, metric: 'macs', scale: scaleForItems(graph, figures, 'macs') });
    const marked = withMarks(built, { selectedItem: null, selectedBlocks: new Set(), changingItems: new Set(['n:1']), changingBlocks: new Map([['/a', 1]]) });
    expect(marked.find((n) => n.id === 'n:1')!.data).toMatchObject({ changing: true });
    expect(marked.find((n) => n.id === 'n:0')).toBe(built.find((n) => n.id === 'n:0'));
    expect(marked.find((n) => n.type !== 'op' && n.data.blockId === '/a')!.data).toMatchObject({ changing: 1 });
  });

  it('highlights the edges of the selected item', () => {
    const edges = flowEdges(graph, 'n:0');
    expect(edges.find((e) => e.source === 'n:0')).toMatchObject({ className: 'edge-selected', label: '1×4×8×8' });
    expect(edges.find((e) => e.source === 'n:1')!.className).toBeUndefined();
  });
});

describe('flowEdges labels', () => {
  it('clips long symbolic shapes', () => {
    const symbolic = { items: graph.items, edges: [{ id: 'e', source: 'n:0', target: 'n:1', label: 'p2o.DynamicDimension.0×8×floor((p2o.DynamicDimension.1+1)/2)', tensors: 1 }] };
    const [edge] = flowEdges(symbolic, null);
    expect(edge!.label).toBe('p2o.DynamicDimension.0×…');
  });
});
