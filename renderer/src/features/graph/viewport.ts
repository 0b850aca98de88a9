/** Where the camera goes: pure geometry over the layout, so it can be tested without a canvas. */
import type { Box, Layout } from './elk-input.js';
import type { VisibleGraph } from './visible-graph.js';

export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

/** The item's box on the canvas (layout positions are relative to the enclosing frame). */
export function absoluteBox(graph: VisibleGraph, layout: Layout, id: string): Box | null {
  const parents = new Map(graph.items.map((i) => [i.id, i.parent]));
  const box = layout.get(id);
  if (!box) return null;
  let { x, y } = box;
  for (let p = parents.get(id) ?? null; p !== null; p = parents.get(p) ?? null) {
    const frame = layout.get(p);
    if (!frame) return null;
    x += frame.x;
    y += frame.y;
  }
  return { x, y, width: box.width, height: box.height };
}

export function boundsOf(layout: Layout, graph: VisibleGraph): Box {
  const top = graph.items.filter((i) => i.parent === null).flatMap((i) => layout.get(i.id) ?? []);
  if (top.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  const x = Math.min(...top.map((b) => b.x));
  const y = Math.min(...top.map((b) => b.y));
  return { x, y, width: Math.max(...top.map((b) => b.x + b.width)) - x, height: Math.max(...top.map((b) => b.y + b.height)) - y };
}

const MARGIN = 24;
/** Below this zoom cards cannot be read: a tall graph opens at its top instead of shrinking to fit. */
const READABLE_ZOOM = 0.8;

/**
 * Fit the whole graph when it can be read that way; otherwise start at a readable zoom with the
 * first item (where execution starts) at the top, centred.
 */
export function openingViewport(bounds: Box, first: Box, view: { width: number; height: number }): Viewport {
  const fit = Math.min(1, (view.width - 2 * MARGIN) / Math.max(1, bounds.width), (view.height - 2 * MARGIN) / Math.max(1, bounds.height));
  if (fit >= READABLE_ZOOM) return { x: view.width / 2 - (bounds.x + bounds.width / 2) * fit, y: view.height / 2 - (bounds.y + bounds.height / 2) * fit, zoom: fit };
  const zoom = Math.min(1, Math.max(READABLE_ZOOM, (view.width - 2 * MARGIN) / Math.max(1, bounds.width)));
  return { x: view.width / 2 - (first.x + first.width / 2) * zoom, y: MARGIN - bounds.y * zoom, zoom };
}
