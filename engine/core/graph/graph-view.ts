import type { GraphProto, NodeProto, TensorProto, ValueInfoProto } from '../onnx/types.js';

/** Names visible in a graph: lookups only, so scopes can chain instead of copying. */
export interface NameScope {
  has(name: string): boolean;
}

const NO_NAMES: NameScope = { has: () => false };

/**
 * A graph's own names in front of its enclosing scope. Lookups walk the chain (as deep as the
 * graph nesting); nothing is copied, since copying every outer name into each of many small
 * subgraphs made validating a crafted file quadratic.
 */
class ChainedScope implements NameScope {
  constructor(
    private readonly own: ReadonlySet<string>,
    private readonly outer: NameScope,
  ) {}

  has(name: string): boolean {
    return this.own.has(name) || this.outer.has(name);
  }
}

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
    readonly outerNames: NameScope = NO_NAMES,
  ) {
    for (const t of graph.initializer) this.initializers.set(t.name, t);
    for (const s of graph.sparseInitializer) if (s.values) this.initializers.set(s.values.name, s.values);
    for (const v of graph.input) this.inputs.set(v.name, v);
    for (const v of [...graph.input, ...graph.output, ...graph.valueInfo]) this.valueInfo.set(v.name, v);
    for (const node of graph.node) {
      for (const out of node.output) if (out !== '' && !this.producer.has(out)) this.producer.set(out, node);
      // A value read inside a node's subgraph (an If branch, a Loop body) is read by that node.
      for (const inp of [...node.input, ...implicitInputs(node)]) {
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
  namesInScope(): NameScope {
    const own = new Set<string>(this.inputs.keys());
    for (const k of this.initializers.keys()) own.add(k);
    for (const k of this.producer.keys()) own.add(k);
    return new ChainedScope(own, this.outerNames);
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
    // Ready nodes come out by file position, so the order is stable and deterministic. A heap,
    // not a sorted array: inserting into a sorted array made wide crafted graphs quadratic.
    const ready = new MinHeap();
    nodes.forEach((n, i) => {
      if (pending.get(n) === 0) ready.push(i);
    });
    const order: NodeProto[] = [];
    while (ready.size > 0) {
      const node = nodes[ready.pop()]!;
      order.push(node);
      for (const d of dependents.get(node) ?? []) {
        const left = pending.get(d)! - 1;
        pending.set(d, left);
        if (left === 0) ready.push(index.get(d)!);
      }
    }
    const placed = new Set(order);
    return { order, cyclic: nodes.filter((n) => !placed.has(n)) };
  }
}

/** Binary min-heap of node positions. */
class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(v: number): void {
    const a = this.items;
    let i = a.push(v) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]! <= v) break;
      a[i] = a[parent]!;
      i = parent;
    }
    a[i] = v;
  }

  pop(): number {
    const a = this.items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const c = l + 1 < a.length && a[l + 1]! < a[l]! ? l + 1 : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
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
  const visit = (g: GraphProto, bound: NameScope): void => {
    const own = new Set<string>();
    for (const v of g.input) own.add(v.name);
    for (const t of g.initializer) own.add(t.name);
    for (const n of g.node) for (const o of n.output) own.add(o);
    const local = new ChainedScope(own, bound);
    for (const n of g.node) {
      for (const i of n.input) if (i !== '' && !local.has(i)) used.add(i);
      for (const sub of subgraphsOf(n)) visit(sub.graph, local);
    }
    for (const o of g.output) if (!local.has(o.name)) used.add(o.name);
  };
  for (const sub of subgraphsOf(node)) visit(sub.graph, NO_NAMES);
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
