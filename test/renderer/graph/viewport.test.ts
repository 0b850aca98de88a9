import { describe, expect, it } from 'vitest';
import { absoluteBox, boundsOf, openingViewport } from '../../../renderer/src/features/graph/viewport.js';
import type { VisibleGraph } from '../../../renderer/src/features/graph/visible-graph.js';

const graph: VisibleGraph = {
  items: [
    { kind: 'block', id: 'b:/a', blockId: '/a', expanded: true, parent: null },
    { kind: 'node', id: 'n:0', index: 0, parent: 'b:/a' },
    { kind: 'node', id: 'n:1', index: 1, parent: null },
  ],
  edges: [],
};
const layout = new Map([
  ['b:/a', { x: 100, y: 50, width: 300, height: 200 }],
  ['n:0', { x: 20, y: 40, width: 120, height: 58 }],
  ['n:1', { x: 100, y: 300, width: 120, height: 58 }],
]);

describe('viewport geometry', () => {
  it('adds the frames’ offsets to a nested item', () => {
    expect(absoluteBox(graph, layout, 'n:0')).toEqual({ x: 120, y: 90, width: 120, height: 58 });
    expect(absoluteBox(graph, layout, 'n:9')).toBeNull();
  });

  it('bounds the top-level items', () => {
    expect(boundsOf(layout, graph)).toEqual({ x: 100, y: 50, width: 300, height: 308 });
  });

  it('fits a graph that stays readable, and opens a tall one at its top', () => {
    const small = openingViewport({ x: 0, y: 0, width: 400, height: 300 }, { x: 0, y: 0, width: 100, height: 50 }, { width: 1000, height: 800 });
    expect(small).toEqual({ x: 300, y: 250, zoom: 1 });
    const tall = openingViewport({ x: 0, y: 0, width: 200, height: 20_000 }, { x: 40, y: 0, width: 120, height: 58 }, { width: 1000, height: 800 });
    expect(tall.zoom).toBe(1);
    expect(tall.y).toBe(24);
    expect(tall.x).toBe(500 - 100);
  });
});
