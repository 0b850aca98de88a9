import { describe, expect, it } from 'vitest';
import { dataflowEdges } from '../../../renderer/src/features/graph/dataflow.js';
import { buildBlockTree } from '../../../renderer/src/features/graph/grouping.js';
import { buildVisibleGraph, visibleItemCount } from '../../../renderer/src/features/graph/visible-graph.js';
import { node, value } from './synthetic.js';

const nodes = [
  node('/stem/Conv', 'Conv', [value('x')], [value('a', [1, 32, 112, 112])]),
  node('/stem/Relu', 'Relu', [value('a')], [value('b', [1, 32, 112, 112])]),
  node('/block/Conv', 'Conv', [value('b')], [value('c', [1, 32, 112, 112])]),
  node('/block/Add', 'Add', [value('c'), value('b')], [value('d', [1, 32, 112, 112])]),
  node('/head/Gemm', 'Gemm', [value('d')], [value('e', [1, 1000])]),
  node('/head/Softmax', 'Softmax', [value('e')], [value('out', [1, 1000])]),
];
const tree = buildBlockTree(nodes);
const edges = dataflowEdges(nodes);

describe('buildVisibleGraph', () => {
  it('draws a collapsed block as one node, joined once to each neighbour, labelled with the tensor shape', () => {
    const graph = buildVisibleGraph(tree, edges, new Set());
    expect(graph.items.map((i) => i.id)).toEqual(['b:/stem', 'b:/block', 'b:/head']);
    // b reaches /block twice (Conv and the residual Add): one edge.
    expect(graph.edges).toEqual([
      { id: 'b:/stem->b:/block', source: 'b:/stem', target: 'b:/block', label: '1×32×112×112', tensors: 1 },
      { id: 'b:/block->b:/head', source: 'b:/block', target: 'b:/head', label: '1×32×112×112', tensors: 1 },
    ]);
  });

  it('shows an expanded block as a frame around its nodes, with edges to the nodes themselves', () => {
    const graph = buildVisibleGraph(tree, edges, new Set(['/block']));
    expect(graph.items).toEqual([
      { kind: 'block', id: 'b:/stem', blockId: '/stem', expanded: false, parent: null },
      { kind: 'block', id: 'b:/block', blockId: '/block', expanded: true, parent: null },
      { kind: 'node', id: 'n:2', index: 2, parent: 'b:/block' },
      { kind: 'node', id: 'n:3', index: 3, parent: 'b:/block' },
      { kind: 'block', id: 'b:/head', blockId: '/head', expanded: false, parent: null },
    ]);
    expect(graph.edges.map((e) => e.id)).toEqual(['b:/stem->n:2', 'n:2->n:3', 'b:/stem->n:3', 'n:3->b:/head']);
    expect(visibleItemCount(tree, new Set(['/block']))).toBe(graph.items.length);
  });

  it('counts several tensors between the same two items on one edge', () => {
    const split = [node('/a/Split', 'Split', [value('x')], [value('p', [1, 2]), value('q', [1, 2])]), node('/b/Concat', 'Concat', [value('p'), value('q')], [value('r')]), node('/b/Relu', 'Relu', [value('r')], [value('s')])];
    const graph = buildVisibleGraph(buildBlockTree(split), dataflowEdges(split), new Set());
    // /a holds one node, so the node stands for itself.
    expect(graph.edges).toEqual([{ id: 'n:0->b:/b', source: 'n:0', target: 'b:/b', label: '1×2 +1', tensors: 2 }]);
  });

  it('ignores blocks left open inside a closed one', () => {
    expect(buildVisibleGraph(tree, edges, new Set(['/nowhere'])).items).toHaveLength(3);
  });
});
