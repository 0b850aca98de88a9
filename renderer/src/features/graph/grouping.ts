/**
 * Blocks: the collapsible groups the graph view shows instead of thousands of nodes. Name scopes
 * (`/layer1/layer1.0/conv1/Conv`) give the tree; levels that would still hold too many items are
 * cut into consecutive runs in execution order, so a model with flat names (`p2o.Conv.12`) gets
 * blocks too.
 */

export type BlockItem = { readonly kind: 'block'; readonly id: string } | { readonly kind: 'node'; readonly index: number };

export interface Block {
  /** `''` for the root; scope blocks are named by their path (`/layer1/layer1.0`), runs by `…#run3`, If/Loop/Scan bodies by `@` and their graph path. */
  readonly id: string;
  readonly label: string;
  readonly kind: 'root' | 'scope' | 'run' | 'body';
  readonly parent: string | null;
  /** Sub-blocks and nodes in execution order. */
  readonly items: readonly BlockItem[];
  /** Indices of every node inside, at any depth, ascending. */
  readonly firstNode: number;
  readonly nodeCount: number;
}

export interface BlockTree {
  readonly blocks: ReadonlyMap<string, Block>;
  /** The innermost block holding each node. */
  readonly blockOfNode: readonly string[];
}

export const ROOT_BLOCK = '';

/** Items one level may show before it is cut into runs: small enough to lay out quickly. */
export const DEFAULT_MAX_ITEMS = 120;

interface Draft {
  id: string;
  label: string;
  kind: Block['kind'];
  items: BlockItem[];
}

/** The scope path of a node name: its `/`-separated segments but the last (the op's own name). */
export function scopesOf(name: string): string[] {
  if (!name.includes('/')) return [];
  return name.split('/').filter((s) => s !== '').slice(0, -1);
}

function scopeTrie(names: readonly string[]): Map<string, Draft> {
  const drafts = new Map<string, Draft>([[ROOT_BLOCK, { id: ROOT_BLOCK, label: 'model', kind: 'root', items: [] }]]);
  names.forEach((name, index) => {
    let parent = drafts.get(ROOT_BLOCK)!;
    let path = '';
    for (const scope of scopesOf(name)) {
      path = `${path}/${scope}`;
      let block = drafts.get(path);
      if (!block) {
        block = { id: path, label: scope, kind: 'scope', items: [] };
        drafts.set(path, block);
        parent.items.push({ kind: 'block', id: path });
      }
      parent = block;
    }
    parent.items.push({ kind: 'node', index });
  });
  return drafts;
}

/** A block holding a single node is noise, and a chain of single sub-blocks reads better as one (`layer1/0`). */
function simplify(drafts: Map<string, Draft>, item: BlockItem): BlockItem {
  if (item.kind === 'node') return item;
  const block = drafts.get(item.id)!;
  block.items = block.items.map((child) => simplify(drafts, child));
  const only = block.items.length === 1 ? block.items[0]! : null;
  if (only?.kind === 'node' && block.kind === 'scope') return only;
  if (only?.kind === 'block' && block.kind === 'scope') {
    const child = drafts.get(only.id)!;
    child.label = `${block.label}/${child.label}`;
    return only;
  }
  return item;
}

function splitIntoRuns(drafts: Map<string, Draft>, block: Draft, maxItems: number): void {
  let level = block.items;
  let depth = 0;
  while (level.length > maxItems) {
    const runCount = Math.ceil(level.length / maxItems);
    const size = Math.ceil(level.length / runCount);
    const runs: BlockItem[] = [];
    for (let start = 0; start < level.length; start += size) {
      const id = `${block.id}#run${depth}.${runs.length}`;
      drafts.set(id, { id, label: '', kind: 'run', items: level.slice(start, start + size) });
      runs.push({ kind: 'block', id });
    }
    level = runs;
    depth++;
  }
  block.items = level;
}

/**
 * Groups nodes (given by name, in execution order) into a tree of blocks where no block shows more
 * than `maxItems` items. Items are ordered by `order` (default: execution order), which lets a
 * Constant sit with the node that reads it rather than with the other Constants at the start.
 */
export function buildBlockTree(names: readonly string[], maxItems = DEFAULT_MAX_ITEMS, order?: readonly number[]): BlockTree {
  const keyOf = (index: number) => order?.[index] ?? index;
  const firstNodeOf = (drafts: Map<string, Draft>, item: BlockItem): number => (item.kind === 'node' ? item.index : firstNodeOf(drafts, drafts.get(item.id)!.items[0]!));
  const drafts = scopeTrie(names);
  const root = drafts.get(ROOT_BLOCK)!;
  root.items = root.items.map((item) => simplify(drafts, item));

  const blocks = new Map<string, Block>();
  const blockOfNode: string[] = new Array<string>(names.length).fill(ROOT_BLOCK);
  const finish = (draft: Draft, parent: string | null): { first: number; count: number } => {
    const sortKey = (item: BlockItem) => keyOf(firstNodeOf(drafts, item));
    draft.items.sort((a, b) => sortKey(a) - sortKey(b));
    splitIntoRuns(drafts, draft, maxItems);
    let count = 0;
    for (const item of draft.items) {
      if (item.kind === 'node') {
        blockOfNode[item.index] = draft.id;
        count++;
      } else {
        count += finish(drafts.get(item.id)!, draft.id).count;
      }
    }
    const first = draft.items.length > 0 ? firstNodeOf(drafts, draft.items[0]!) : 0;
    const label = draft.kind === 'run' ? runLabel(names, first) : draft.label;
    blocks.set(draft.id, { id: draft.id, label, kind: draft.kind, parent, items: draft.items, firstNode: first, nodeCount: count });
    return { first, count };
  };
  finish(root, null);
  return { blocks, blockOfNode };
}

/** Runs have no name of their own: they are named after the node they start at. */
function runLabel(names: readonly string[], first: number): string {
  return `${names[first] ?? ''} …`;
}

/** Blocks from the root down to the node's innermost block, root excluded. */
export function ancestorsOfNode(tree: BlockTree, index: number): string[] {
  const chain: string[] = [];
  for (let id: string | null = tree.blockOfNode[index] ?? null; id !== null && id !== ROOT_BLOCK; id = tree.blocks.get(id)!.parent) chain.push(id);
  return chain.reverse();
}
