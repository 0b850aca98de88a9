/**
 * If branches and Loop/Scan bodies as blocks: each body becomes a collapsed block placed right
 * after the node that owns it, holding the body's nodes (and nested bodies after their owners).
 * Body nodes follow the main-graph nodes in the node list; their cost is already in their owner's,
 * so body blocks add nothing to the totals of the blocks around them.
 */
import type { SubgraphNodeAnalysis } from '../../../../engine/core/analysis/types.js';
import type { DataflowEdge, GraphNode } from './dataflow.js';
import { formatShape } from './dataflow.js';
import { DEFAULT_MAX_ITEMS, ROOT_BLOCK, type Block, type BlockItem, type BlockTree } from './grouping.js';

export type BodyNode = GraphNode & Pick<SubgraphNodeAnalysis, 'graphPath' | 'taken' | 'runs'>;

/** Body blocks are named by their graph path: `@If_0/then_branch`. */
export const bodyBlockId = (graphPath: string) => `@${graphPath}`;

interface Body {
  readonly path: string;
  readonly attribute: string;
  /** Index of the owner in the combined list (main nodes, then body nodes); undefined when it is not shown. */
  readonly owner: number | undefined;
  readonly nodes: number[];
  readonly taken: boolean | null;
  readonly runs: number | null;
}

/** The bodies in order of appearance (an outer body before those nested in it), with their owners. */
function bodiesOf(main: readonly GraphNode[], bodies: readonly BodyNode[]): Body[] {
  const byKey = new Map<string, number>(main.map((n, i) => [n.name, i]));
  bodies.forEach((n, j) => byKey.set(`${n.graphPath}/${n.name}`, main.length + j));
  const found = new Map<string, Body>();
  bodies.forEach((n, j) => {
    let body = found.get(n.graphPath);
    if (!body) {
      const cut = n.graphPath.lastIndexOf('/');
      body = { path: n.graphPath, attribute: n.graphPath.slice(cut + 1), owner: byKey.get(n.graphPath.slice(0, cut)), nodes: [], taken: n.taken, runs: n.runs };
      found.set(n.graphPath, body);
    }
    body.nodes.push(main.length + j);
  });
  return [...found.values()];
}

function bodyLabel(ownerName: string, body: Body): string {
  const how = body.taken === null ? `per iteration${body.runs !== null && body.runs > 0 ? `, × ${body.runs.toLocaleString('en-US')}` : ''}` : body.taken ? 'taken' : 'not taken';
  return `${ownerName} · ${body.attribute} (${how})`;
}

/** The block tree with a block per body after its owner's node, collapsed bodies in the combined node list's index space. */
export function withBodyBlocks(tree: BlockTree, main: readonly GraphNode[], bodies: readonly BodyNode[], maxItems = DEFAULT_MAX_ITEMS): BlockTree {
  if (bodies.length === 0) return tree;
  const blocks = new Map<string, Block>(tree.blocks);
  const blockOfNode = [...tree.blockOfNode, ...new Array<string>(bodies.length).fill(ROOT_BLOCK)];
  const all = [...main, ...bodies];
  for (const body of bodiesOf(main, bodies)) {
    const id = bodyBlockId(body.path);
    const parentId = body.owner === undefined ? ROOT_BLOCK : blockOfNode[body.owner]!;
    let items: BlockItem[] = body.nodes.map((index) => ({ kind: 'node', index }));
    if (items.length > maxItems) {
      // Long bodies are cut into runs like long levels of the main graph.
      const runs: BlockItem[] = [];
      for (let start = 0; start < items.length; start += maxItems) {
        const runId = `${id}#run${runs.length}`;
        const slice = items.slice(start, start + maxItems);
        const first = (slice[0] as { index: number }).index;
        blocks.set(runId, { id: runId, label: `${all[first]!.name} …`, kind: 'run', parent: id, items: slice, firstNode: first, nodeCount: slice.length });
        for (const item of slice) if (item.kind === 'node') blockOfNode[item.index] = runId;
        runs.push({ kind: 'block', id: runId });
      }
      items = runs;
    } else {
      for (const index of body.nodes) blockOfNode[index] = id;
    }
    const ownerName = body.owner === undefined ? body.path : all[body.owner]!.name;
    blocks.set(id, { id, label: bodyLabel(ownerName, body), kind: 'body', parent: parentId, items, firstNode: body.nodes[0]!, nodeCount: body.nodes.length });
    const parent = blocks.get(parentId)!;
    const parentItems = [...parent.items];
    // After the owner and the bodies already placed after it.
    let at = parentItems.findIndex((item) => item.kind === 'node' && item.index === body.owner);
    at = at < 0 ? parentItems.length : at + 1;
    while (at < parentItems.length && parentItems[at]!.kind === 'block' && blocks.get((parentItems[at] as { id: string }).id)?.kind === 'body') at++;
    parentItems.splice(at, 0, { kind: 'block', id });
    blocks.set(parentId, { ...parent, items: parentItems });
  }
  return { blocks, blockOfNode };
}

/**
 * Edges inside bodies, by tensor name: a body node reads its own body's values first, then the
 * enclosing bodies' and the main graph's. Each body is also joined to its owner, so the layout puts
 * it beside that node.
 */
export function bodyEdges(main: readonly GraphNode[], bodies: readonly BodyNode[]): DataflowEdge[] {
  const list = bodiesOf(main, bodies);
  const all = [...main, ...bodies];
  const producers = new Map<string, Map<string, number>>([['', new Map()]]);
  main.forEach((n, i) => {
    for (const o of n.outputs) if (o.name !== '') producers.get('')!.set(o.name, i);
  });
  const parentPath = new Map<string, string>();
  for (const body of list) {
    const owner = body.owner === undefined ? undefined : all[body.owner];
    parentPath.set(body.path, owner !== undefined && 'graphPath' in owner ? (owner as BodyNode).graphPath : '');
    const own = new Map<string, number>();
    for (const index of body.nodes) for (const o of all[index]!.outputs) if (o.name !== '') own.set(o.name, index);
    producers.set(body.path, own);
  }
  const edges: DataflowEdge[] = [];
  for (const body of list) {
    if (body.owner !== undefined) edges.push({ source: body.owner, target: body.nodes[0]!, tensor: bodyBlockId(body.path), label: body.attribute });
    for (const target of body.nodes) {
      for (const input of all[target]!.inputs) {
        if (input.name === '') continue;
        let source: number | undefined;
        for (let scope: string | undefined = body.path; scope !== undefined && source === undefined; scope = scope === '' ? undefined : parentPath.get(scope)) source = producers.get(scope)?.get(input.name);
        if (source !== undefined && source !== target) edges.push({ source, target, tensor: input.name, label: formatShape(all[source]!.outputs.find((o) => o.name === input.name)?.shape) });
      }
    }
  }
  return edges;
}

/** True when the block is a body or lies inside one. */
export function isInBody(tree: BlockTree, id: string): boolean {
  for (let at: string | null = id; at !== null; at = tree.blocks.get(at)?.parent ?? null) if (tree.blocks.get(at)?.kind === 'body') return true;
  return false;
}
