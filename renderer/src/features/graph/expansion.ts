/**
 * Which blocks are open. React Flow stays fluid up to about a thousand mounted nodes, so opening a
 * block closes the least recently opened others until the view fits again.
 */
import { ancestorsOfNode, ROOT_BLOCK, type BlockTree } from './grouping.js';
import { isInBody } from './subgraph-blocks.js';
import { visibleItemCount } from './visible-graph.js';

export const MAX_MOUNTED = 1000;
/** Items a model may open with: few enough to lay out in well under a second. */
export const INITIAL_BUDGET = 250;

/** Opened blocks, oldest first (a Set keeps insertion order). */
export type Expansion = ReadonlySet<string>;

function isInside(tree: BlockTree, id: string, ancestor: string): boolean {
  for (let at = tree.blocks.get(id)?.parent ?? null; at !== null; at = tree.blocks.get(at)!.parent) if (at === ancestor) return true;
  return false;
}

/** Below this many items an overview says too little: its largest block is opened. */
const OVERVIEW_ITEMS = 40;

/**
 * What a model opens to: all of it when it fits the budget; otherwise its largest blocks, opened
 * one at a time until the overview shows enough to read the structure.
 */
export function initialExpansion(tree: BlockTree, budget = INITIAL_BUDGET): Set<string> {
  // If/Loop/Scan bodies start closed: their owner already stands for them.
  const all = [...tree.blocks.keys()].filter((id) => id !== ROOT_BLOCK && !isInBody(tree, id));
  const mainNodes = tree.blockOfNode.filter((id) => !isInBody(tree, id)).length;
  if (all.length + mainNodes <= budget) return new Set(all);
  const expanded = new Set<string>();
  let count = tree.blocks.get(ROOT_BLOCK)!.items.length;
  let closed = closedChildren(tree, ROOT_BLOCK);
  while (count < OVERVIEW_ITEMS) {
    const fitting = closed.filter((id) => count + tree.blocks.get(id)!.items.length <= budget);
    if (fitting.length === 0) break;
    const largest = fitting.reduce((a, b) => (tree.blocks.get(b)!.nodeCount > tree.blocks.get(a)!.nodeCount ? b : a));
    expanded.add(largest);
    count += tree.blocks.get(largest)!.items.length;
    closed = [...closed.filter((id) => id !== largest), ...closedChildren(tree, largest)];
  }
  return expanded;
}

function closedChildren(tree: BlockTree, id: string): string[] {
  return tree.blocks.get(id)!.items.flatMap((item) => (item.kind === 'block' && tree.blocks.get(item.id)!.kind !== 'body' ? [item.id] : []));
}

/** Closes a block and whatever was open inside it. */
export function collapseBlock(tree: BlockTree, expanded: Expansion, id: string): Set<string> {
  return new Set([...expanded].filter((open) => open !== id && !isInside(tree, open, id)));
}

/** Opens the blocks (parents first), closing the oldest others, but never the last one or its parents, while more than `max` items would be mounted. */
export function expandBlocks(tree: BlockTree, expanded: Expansion, ids: readonly string[], max = MAX_MOUNTED): Set<string> {
  let next = new Set(expanded);
  for (const id of ids) {
    next.delete(id);
    next.add(id);
  }
  const target = ids.at(-1);
  const keep = new Set(target === undefined ? [] : [target, ...ancestorsOf(tree, target)]);
  while (visibleItemCount(tree, next) > max) {
    const oldest = [...next].find((open) => !keep.has(open));
    if (oldest === undefined) break;
    next = collapseBlock(tree, next, oldest);
  }
  return next;
}

function ancestorsOf(tree: BlockTree, id: string): string[] {
  const chain: string[] = [];
  for (let at = tree.blocks.get(id)?.parent ?? null; at !== null && at !== ROOT_BLOCK; at = tree.blocks.get(at)!.parent) chain.push(at);
  return chain;
}

export function toggleBlock(tree: BlockTree, expanded: Expansion, id: string): Set<string> {
  return expanded.has(id) ? collapseBlock(tree, expanded, id) : expandBlocks(tree, expanded, [...ancestorsOf(tree, id).reverse(), id]);
}

/** Opens every block around the node so that it is mounted, or returns the same set when it already is. */
export function revealNode(tree: BlockTree, expanded: Expansion, index: number): Expansion {
  const chain = ancestorsOfNode(tree, index);
  return chain.every((id) => expanded.has(id)) ? expanded : expandBlocks(tree, expanded, chain);
}
