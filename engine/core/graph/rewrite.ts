import type { GraphProto, NodeProto } from '../onnx/types.js';
import { subgraphsOf } from './graph-view.js';

function definesName(graph: GraphProto, name: string): boolean {
  return (
    graph.input.some((v) => v.name === name) ||
    graph.initializer.some((t) => t.name === name) ||
    graph.node.some((n) => n.output.includes(name))
  );
}

/**
 * Makes every reader of value `from` read `to` instead: node inputs, graph outputs, and uses
 * inside subgraphs that do not shadow `from` with a value of their own.
 */
export function renameUses(graph: GraphProto, from: string, to: string): void {
  for (const node of graph.node) {
    node.input = node.input.map((i) => (i === from ? to : i));
    for (const sub of subgraphsOf(node)) if (!definesName(sub.graph, from)) renameUses(sub.graph, from, to);
  }
  for (const o of graph.output) if (o.name === from) o.name = to;
}

/** Removes the given nodes, keeping the order of the rest. */
export function removeNodes(graph: GraphProto, nodes: ReadonlySet<NodeProto>): void {
  graph.node = graph.node.filter((n) => !nodes.has(n));
}

/** Removes initializers nothing reads any more (nodes, graph outputs, or subgraphs of this graph). */
export function removeUnusedInitializers(graph: GraphProto, readByOuterGraphs: ReadonlySet<string> = new Set()): string[] {
  const used = new Set<string>(readByOuterGraphs);
  const collect = (g: GraphProto): void => {
    for (const n of g.node) {
      for (const i of n.input) used.add(i);
      for (const sub of subgraphsOf(n)) collect(sub.graph);
    }
    for (const o of g.output) used.add(o.name);
  };
  collect(graph);
  const removed = graph.initializer.filter((t) => !used.has(t.name)).map((t) => t.name);
  if (removed.length > 0) graph.initializer = graph.initializer.filter((t) => used.has(t.name));
  return removed;
}

/** `base`, or `base_1`, `base_2`… — the first not in `taken`; adds it to `taken`. */
export function uniqueName(taken: Set<string>, base: string): string {
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

/** Every value and node name used anywhere in the graph, subgraphs included. */
export function namesIn(graph: GraphProto): Set<string> {
  const names = new Set<string>();
  const visit = (g: GraphProto): void => {
    for (const v of [...g.input, ...g.output, ...g.valueInfo]) names.add(v.name);
    for (const t of g.initializer) names.add(t.name);
    for (const n of g.node) {
      names.add(n.name);
      for (const x of [...n.input, ...n.output]) names.add(x);
      for (const sub of subgraphsOf(n)) visit(sub.graph);
    }
  };
  visit(graph);
  names.delete('');
  return names;
}
