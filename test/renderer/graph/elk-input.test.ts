import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { dataflowEdges } from '../../../renderer/src/features/graph/dataflow.js';
import { cardSize, NODE_HEIGHT, readLayout, toElkGraph } from '../../../renderer/src/features/graph/elk-input.js';
import { buildBlockTree } from '../../../renderer/src/features/graph/grouping.js';
import { absoluteBox } from '../../../renderer/src/features/graph/viewport.js';
import { buildVisibleGraph } from '../../../renderer/src/features/graph/visible-graph.js';
import { node, value } from './synthetic.js';

const nodes = [
  node('/embed/Gather', 'Gather', [value('ids')], [value('h0')]),
  node('/mask/Unsqueeze', 'Unsqueeze', [value('m')], [value('mask')]),
  node('/layer.0/MatMul', 'MatMul', [value('h0')], [value('a0')]),
  node('/layer.0/Add', 'Add', [value('a0'), value('mask')], [value('h1')]),
  node('/layer.1/MatMul', 'MatMul', [value('h1')], [value('a1')]),
  node('/layer.1/Add', 'Add', [value('a1'), value('mask')], [value('h2')]),
];
const tree = buildBlockTree(nodes);
const graph = buildVisibleGraph(tree, dataflowEdges(nodes), new Set(['/layer.0', '/layer.1']));
const elk = toElkGraph(graph, () => ({ width: 150, height: NODE_HEIGHT }));

describe('cardSize', () => {
  it('grows with the longest line, within bounds', () => {
    expect(cardSize(['Add'], 'node').width).toBe(120);
    expect(cardSize(['Conv 3×3 ↓2', '1×32×112×112  0000.00 GMAC'], 'node').width).toBeGreaterThan(cardSize(['Conv'], 'node').width);
    expect(cardSize(['x'.repeat(500)], 'block').width).toBe(280);
  });
});

describe('toElkGraph', () => {
  it('asks for a layered, top-to-bottom layout with fast node placement', () => {
    expect(elk.layoutOptions).toMatchObject({ 'elk.algorithm': 'layered', 'elk.direction': 'DOWN', 'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF' });
  });

  it('nests open blocks as compound nodes and places each edge in the frame holding both ends', () => {
    const layer0 = elk.children!.find((c) => c.id === 'b:/layer.0')!;
    expect(layer0.children!.map((c) => c.id)).toEqual(['n:2', 'n:3']);
    expect(layer0.edges!.map((e) => e.id)).toEqual(['n:2->n:3']);
    // Gather → layer.0/MatMul and the mask into both layers count, at top level, between the frames.
    expect(elk.edges!.map((e) => e.id).sort()).toEqual(['b:/layer.0->b:/layer.1', 'n:0->b:/layer.0', 'n:1->b:/layer.0', 'n:1->b:/layer.1']);
  });

  it('is accepted by ELK, which places every item, frames around their contents', async () => {
    const layout = readLayout(await new ELK().layout(elk));
    for (const item of graph.items) expect(layout.has(item.id)).toBe(true);
    const frame = absoluteBox(graph, layout, 'b:/layer.1')!;
    const inner = absoluteBox(graph, layout, 'n:5')!;
    expect(inner.x).toBeGreaterThanOrEqual(frame.x);
    expect(inner.y + inner.height).toBeLessThanOrEqual(frame.y + frame.height);
    expect(absoluteBox(graph, layout, 'b:/layer.1')!.y).toBeGreaterThan(absoluteBox(graph, layout, 'b:/layer.0')!.y);
  });
});
