/**
 * What the view mounts for a set of expanded blocks: expanded blocks become frames around their
 * items, collapsed ones a single node; edges join whatever stands for their ends.
 */
import type { DataflowEdge } from './dataflow.js';
import { ROOT_BLOCK, type BlockTree } from './grouping.js';

export type VisibleItem =
  | { readonly kind: 'node'; readonly id: string; readonly index: number; readonly parent: string | null }
  | { readonly kind: 'block'; readonly id: string; readonly blockId: string; readonly expanded: boolean; readonly parent: string | null };

export interface VisibleEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** The first tensor's shape, with how many more tensors the edge carries. */
  readonly label: string;
  readonly tensors: number;
}

export interface VisibleGraph {
  /** Parents come before their children, as React Flow requires. */
  readonly items: readonly VisibleItem[];
  readonly edges: readonly VisibleEdge[];
}

export const nodeItemId = (index: number) => `n:${index}`;
export const blockItemId = (blockId: string) => `b:${blockId}`;

/** Number of items mounted when these blocks are expanded (frames count as items too). */
export function visibleItemCount(tree: BlockTree, expanded: ReadonlySet<string>): number {
  let count = 0;
  const visit = (id: string) => {
    for (const item of tree.blocks.get(id)!.items) {
      count++;
      if (item.kind === 'block' && expanded.has(item.id)) visit(item.id);
    }
  };
  visit(ROOT_BLOCK);
  return count;
}

export function buildVisibleGraph(tree: BlockTree, edges: readonly DataflowEdge[], expanded: ReadonlySet<string>): VisibleGraph {
  const items: VisibleItem[] = [];
  const standIn: string[] = new Array<string>(tree.blockOfNode.length);
  const hide = (blockId: string, by: string) => {
    for (const item of tree.blocks.get(blockId)!.items) {
      if (item.kind === 'node') standIn[item.index] = by;
      else hide(item.id, by);
    }
  };
  const show = (blockId: string, frame: string | null) => {
    for (const item of tree.blocks.get(blockId)!.items) {
      if (item.kind === 'node') {
        const id = nodeItemId(item.index);
        standIn[item.index] = id;
        items.push({ kind: 'node', id, index: item.index, parent: frame });
        continue;
      }
      const id = blockItemId(item.id);
      const isOpen = expanded.has(item.id);
      items.push({ kind: 'block', id, blockId: item.id, expanded: isOpen, parent: frame });
      if (isOpen) show(item.id, id);
      else hide(item.id, id);
    }
  };
  show(ROOT_BLOCK, null);

  const byPair = new Map<string, { source: string; target: string; label: string; tensors: Set<string> }>();
  for (const edge of edges) {
    const source = standIn[edge.source]!;
    const target = standIn[edge.target]!;
    if (source === target) continue;
    const key = `${source}->${target}`;
    const found = byPair.get(key);
    if (found) found.tensors.add(edge.tensor);
    else byPair.set(key, { source, target, label: edge.label, tensors: new Set([edge.tensor]) });
  }
  const visibleEdges = [...byPair].map(([id, e]) => ({
    id,
    source: e.source,
    target: e.target,
    label: e.tensors.size > 1 ? `${e.label} +${e.tensors.size - 1}` : e.label,
    tensors: e.tensors.size,
  }));
  return { items, edges: visibleEdges };
}
