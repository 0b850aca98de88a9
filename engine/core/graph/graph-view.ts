import type { GraphProto, NodeProto, TensorProto, ValueInfoProto } from '../onnx/types.js';

/** A graph-valued attribute of a node: an If branch, a Loop or Scan body. */
export interface SubgraphRef {
  readonly node: NodeProto;
  readonly attribute: string;
  readonly graph: GraphProto;
}

/**
 * Read-only index over one graph: who produces and who consumes each value. Built once per
 * graph; rebuild it after editing the graph. `outerNames` are values visible from enclosing
 * graphs (for If/Loop/Scan bodies), which this graph may use without producing.
 */
export class GraphView {
  readonly producer = new Map<string, NodeProto>();
  readonly consumers = new Map<string, NodeProto[]>();
  readonly initializers = new Map<string, TensorProto>();
  readonly inputs = new Map<string, ValueInfoProto>();
  readonly valueInfo = new Map<string, ValueInfoProto>();

  constructor(
    readonly graph: GraphProto,
    readonly outerNames: ReadonlySet<string> = new Set(),
  ) {
    for (const t of graph.initializer) this.initializers.set(t.name, t);
    for (const s of graph.sparseInitializer) if (s.values) this.initializers.set(s.values.name, s.values);
    for (const v of graph.input) this.inputs.set(v.name, v);
    for (const v of [...graph.input, ...graph.output, ...graph.valueInfo]) this.valueInfo.set(v.name, v);
    for (const node of graph.node) {
      for (const out of node.output) if (out !== '' && !this.producer.has(out)) this.producer.set(out, node);
      for (const inp of node.input) {
        if (inp === '') continue;
        const list = this.consumers.get(inp);
        if (list) list.push(node);
        else this.consumers.set(inp, [node]);
      }
    }
  }

  /** True when `name` is available to nodes of this graph without a node producing it. */
  isSource(name: string): boolean {
    return this.inputs.has(name) || this.initializers.has(name) || this.outerNames.has(name);
  }

  consumersOf(name: string): readonly NodeProto[] {
    return this.consumers.get(name) ?? [];
  }

  /** Names this graph defines, as seen by its subgraphs (plus what it inherited). */
  namesInScope(): Set<string> {
    const names = new Set(this.outerNames);
    for (const k of this.inputs.keys()) names.add(k);
    for (const k of this.initializers.keys()) names.add(k);
    for (const k of this.producer.keys()) names.add(k);
    return names;
  }

  /**
   * Nodes in an order where each comes after the producers of its inputs (Kahn's algorithm,
   * stable with respect to file order). `cyclic` lists nodes that could not be placed.
   */
  topologicalOrder(): { order: NodeProto[]; cyclic: NodeProto[] } {
    const nodes = this.graph.node;
    const index = new Map(nodes.map((n, i) => [n, i]));
    const pending = new Map<NodeProto, number>();
    const dependents = new Map<NodeProto, NodeProto[]>();
    for (const node of nodes) {
      let count = 0;
      for (const name of new Set([...node.input, ...implicitInputs(node)])) {
        const p = name === '' ? undefined : this.producer.get(name);
        if (p === undefined || p === node) continue;
        count++;
        const list = dependents.get(p);
        if (list) list.push(node);
        else dependents.set(p, [node]);
      }
      pending.set(node, count);
    }
    // Ready nodes are kept sorted by file position, so the order is stable and deterministic.
    const ready = nodes.filter((n) => pending.get(n) === 0);
    const order: NodeProto[] = [];
    while (ready.length > 0) {
      const node = ready.shift()!;
      order.push(node);
      for (const d of dependents.get(node) ?? []) {
        const left = pending.get(d)! - 1;
        pending.set(d, left);
        if (left === 0) ready.splice(sortedIndex(ready, index.get(d)!, index), 0, d);
      }
    }
    const placed = new Set(order);
    return { order, cyclic: nodes.filter((n) => !placed.has(n)) };
  }
}

function sortedIndex(list: readonly NodeProto[], position: number, index: ReadonlyMap<NodeProto, number>): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (index.get(list[mid]!)! < position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Graph attributes of a node (If branches, Loop/Scan bodies, and any custom op's graphs). */
export function subgraphsOf(node: NodeProto): SubgraphRef[] {
  const refs: SubgraphRef[] = [];
  for (const a of node.attribute) {
    if (a.g) refs.push({ node, attribute: a.name, graph: a.g });
    for (const g of a.graphs) refs.push({ node, attribute: a.name, graph: g });
  }
  return refs;
}

/**
 * Outer-scope names a node's subgraphs read: its hidden inputs. They order the node after
 * their producers even though they are not in `node.input`.
 */
export function implicitInputs(node: NodeProto): Set<string> {
  const used = new Set<string>();
  const visit = (g: GraphProto, bound: Set<string>): void => {
    const local = new Set(bound);
    for (const v of g.input) local.add(v.name);
    for (const t of g.initializer) local.add(t.name);
    for (const n of g.node) for (const o of n.output) local.add(o);
    for (const n of g.node) {
      for (const i of n.input) if (i !== '' && !local.has(i)) used.add(i);
      for (const sub of subgraphsOf(n)) visit(sub.graph, local);
    }
    for (const o of g.output) if (!local.has(o.name)) used.add(o.name);
  };
  for (const sub of subgraphsOf(node)) visit(sub.graph, new Set());
  return used;
}

/** Calls `fn` for a graph and every graph nested in it, depth first, with a readable path. */
export function forEachGraph(root: GraphProto, fn: (graph: GraphProto, path: string) => void, path = 'graph'): void {
  fn(root, path);
  root.node.forEach((node, i) => {
    for (const sub of subgraphsOf(node)) {
      forEachGraph(sub.graph, fn, `${path}/${node.name === '' ? `node[${i}]` : node.name}.${sub.attribute}`);
    }
  });
}
