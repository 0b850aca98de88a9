/**
 * The visible graph as ELK input, and ELK's answer as positions. Expanded blocks become compound
 * nodes, each laid out on its own, innermost first: an edge that crosses frames counts, for the
 * layout, as an edge between the items that hold its ends inside the frame holding both.
 * (Laying out all levels at once, INCLUDE_CHILDREN, took seconds on a 130-item overview when one
 * tensor, an attention mask, fed every layer, and drew the layers on a diagonal.)
 */
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import type { VisibleGraph } from './visible-graph.js';

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface Box extends Size {
  readonly x: number;
  readonly y: number;
}

/** Positions relative to the item's frame (or to the canvas at top level), as React Flow wants them. */
export type Layout = ReadonlyMap<string, Box>;

const CHAR_WIDTH = 7;
const PADDING_X = 24;
const MIN_WIDTH = 120;
const MAX_WIDTH = 280;
export const NODE_HEIGHT = 58;
export const BLOCK_HEIGHT = 64;
/** Room for an expanded block's header above its contents. */
export const FRAME_HEADER = 34;

/** A card wide enough for its longest line (clamped: long names are cut with an ellipsis). */
export function cardSize(lines: readonly string[], kind: 'node' | 'block'): Size {
  const longest = Math.max(0, ...lines.map((l) => l.length));
  const width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest * CHAR_WIDTH + PADDING_X));
  return { width, height: kind === 'node' ? NODE_HEIGHT : BLOCK_HEIGHT };
}

const LAYOUT_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  // Brandes-Köpf is about ten times faster than network simplex on graphs this size.
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.spacing.nodeNode': '24',
  'elk.layered.spacing.nodeNodeBetweenLayers': '44',
  'elk.spacing.componentComponent': '40',
};

/** A frame is at least as wide as its header needs. */
function frameOptions(header: Size): Record<string, string> {
  return {
    ...LAYOUT_OPTIONS,
    'elk.padding': `[top=${FRAME_HEADER + 12},left=16,bottom=16,right=16]`,
    'elk.nodeSize.constraints': 'MINIMUM_SIZE',
    'elk.nodeSize.minimum': `(${header.width}, ${FRAME_HEADER})`,
  };
}

/** The chain of frames around an item, outermost first (null: the canvas). */
function framesAround(id: string, parentOf: ReadonlyMap<string, string | null>): (string | null)[] {
  const chain: (string | null)[] = [];
  for (let p = parentOf.get(id) ?? null; p !== null; p = parentOf.get(p) ?? null) chain.push(p);
  chain.push(null);
  return chain.reverse();
}

/** `sizeOf` gives cards their size, and frames their least width; ELK sizes frames around their contents. */
export function toElkGraph(graph: VisibleGraph, sizeOf: (id: string) => Size): ElkNode {
  const root: ElkNode = { id: 'root', layoutOptions: { ...LAYOUT_OPTIONS }, children: [], edges: [] };
  const elkNodes = new Map<string, ElkNode>();
  const parentOf = new Map<string, string | null>();
  for (const item of graph.items) {
    const frame = item.kind === 'block' && item.expanded;
    const node: ElkNode = frame ? { id: item.id, layoutOptions: frameOptions(sizeOf(item.id)), children: [], edges: [] } : { id: item.id, ...sizeOf(item.id) };
    elkNodes.set(item.id, node);
    parentOf.set(item.id, item.parent);
    (item.parent === null ? root : elkNodes.get(item.parent)!).children!.push(node);
  }
  const added = new Set<string>();
  for (const edge of graph.edges) {
    const from = [...framesAround(edge.source, parentOf), edge.source];
    const to = [...framesAround(edge.target, parentOf), edge.target];
    let depth = 0;
    while (from[depth + 1] !== undefined && from[depth + 1] === to[depth + 1]) depth++;
    const source = from[depth + 1]!;
    const target = to[depth + 1]!;
    const id = `${source}->${target}`;
    if (source === target || added.has(id)) continue;
    added.add(id);
    const container = from[depth] ?? null;
    (container === null ? root : elkNodes.get(container)!).edges!.push({ id, sources: [source], targets: [target] });
  }
  return root;
}

export function readLayout(result: ElkNode): Layout {
  const boxes = new Map<string, Box>();
  const visit = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      boxes.set(child.id, { x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0 });
      visit(child);
    }
  };
  visit(result);
  return boxes;
}
