/**
 * Blocks: the collapsible groups the graph view shows instead of thousands of nodes. Name scopes
 * (`/layer1/layer1.0/conv1/Conv`) give the tree; levels that would still hold too many items are
 * grouped by the structures that repeat in them (see repeats.ts), then cut into consecutive runs
 * in execution order, so a model with flat names (`p2o.Conv.12`) gets blocks too.
 */
import { describeSignature, findRepeats, segmentBoundaries, segmentsOf, type ItemFlow } from './repeats.js';

export type BlockItem = { readonly kind: 'block'; readonly id: string } | { readonly kind: 'node'; readonly index: number };

export interface Block {
  /**
   * `''` for the root; scope blocks are named by their path (`/layer1/layer1.0`), runs by `…#run3`,
   * repeated structures by `…#rep2` (their repetitions `…#rep2.0`, `…#rep2.1`…), If/Loop/Scan
   * bodies by `@` and their graph path.
   */
  readonly id: string;
  readonly label: string;
  readonly kind: 'root' | 'scope' | 'run' | 'repeat' | 'body';
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

/** What the tree is built from: nodes in execution order, and optionally the tensors between them. */
export interface BlockTreeOptions {
  /** Items one level may show; default DEFAULT_MAX_ITEMS. */
  readonly maxItems?: number;
  /** Sort key of each node (default: execution order), which lets a Constant sit with the node that reads it. */
  readonly order?: readonly number[];
  /** Tensors from node to node (indices); with them, levels too large are grouped by repeated structure first. */
  readonly edges?: readonly { readonly source: number; readonly target: number; readonly tensor: string }[];
}

interface TreeNode {
  readonly name: string;
  readonly opType: string;
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

function nodesOfItem(drafts: ReadonlyMap<string, Draft>, item: BlockItem): number[] {
  return item.kind === 'node' ? [item.index] : drafts.get(item.id)!.items.flatMap((child) => nodesOfItem(drafts, child));
}

/**
 * Replaces stretches of the block's items that repeat one structure by a block per stretch
 * (`12 × Conv → BatchNormalization → …`) holding a block per repetition.
 */
function groupRepeats(drafts: Map<string, Draft>, block: Draft, nodes: readonly TreeNode[], edges: NonNullable<BlockTreeOptions['edges']>): void {
  const items = block.items;
  const itemNodes = items.map((item) => nodesOfItem(drafts, item));
  const position = new Map<number, number>();
  itemNodes.forEach((list, pos) => list.forEach((n) => position.set(n, pos)));
  const flows: ItemFlow[] = [];
  for (const e of edges) {
    const from = position.get(e.source);
    const to = position.get(e.target);
    if (from !== undefined && to !== undefined && from !== to) flows.push({ from, to, tensor: e.tensor });
  }
  const segments = segmentsOf(items.length, segmentBoundaries(items.length, flows));
  const opTypesOf = (segment: { start: number; end: number }) => itemNodes.slice(segment.start, segment.end).flatMap((list) => list.map((n) => nodes[n]!.opType));
  const signatures = segments.map((segment) => opTypesOf(segment).join(','));
  const grouped: BlockItem[] = [];
  let next = 0;
  const keep = (untilSegment: number) => {
    for (; next < untilSegment; next++) grouped.push(...items.slice(segments[next]!.start, segments[next]!.end));
  };
  for (const [k, repeat] of findRepeats(signatures).entries()) {
    const itemsOfRepetition = (r: number) => items.slice(segments[repeat.start + r * repeat.period]!.start, segments[repeat.start + (r + 1) * repeat.period - 1]!.end);
    const perRepetition = itemsOfRepetition(0).length;
    // Two repetitions of a single node (two Adds in a row) are not a structure worth a block.
    if (perRepetition * repeat.count < 4) continue;
    keep(repeat.start);
    const id = `${block.id}#rep${k}`;
    const opTypes = segments.slice(repeat.start, repeat.start + repeat.period).flatMap(opTypesOf);
    const repetitions: BlockItem[] = [];
    for (let r = 0; r < repeat.count; r++) {
      const own = itemsOfRepetition(r);
      if (perRepetition === 1) {
        repetitions.push(own[0]!);
        continue;
      }
      const repetitionId = `${id}.${r}`;
      drafts.set(repetitionId, { id: repetitionId, label: '', kind: 'run', items: own });
      repetitions.push({ kind: 'block', id: repetitionId });
    }
    // Named by what repeats and where it starts: two stretches of the same structure stay apart.
    const first = nodes[itemNodes[segments[repeat.start]!.start]![0]!]!.name;
    drafts.set(id, { id, label: `${repeat.count} × ${describeSignature(opTypes)} from ${first}`, kind: 'repeat', items: repetitions });
    grouped.push({ kind: 'block', id });
    next = repeat.start + repeat.period * repeat.count;
  }
  keep(segments.length);
  block.items = grouped;
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
 * Groups nodes (in execution order) into a tree of blocks where no block shows more than
 * `maxItems` items: by name scope, then by repeated structure (when edges are given), then in
 * runs of consecutive items.
 */
export function buildBlockTree(nodes: readonly TreeNode[], options: BlockTreeOptions = {}): BlockTree {
  const { maxItems = DEFAULT_MAX_ITEMS, order, edges } = options;
  const names = nodes.map((n) => n.name);
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
    if (edges !== undefined && draft.items.length > maxItems && (draft.kind === 'root' || draft.kind === 'scope')) groupRepeats(drafts, draft, nodes, edges);
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
