import { GraphView } from '../graph/graph-view.js';
import { isStandardOp } from '../graph/node-label.js';
import type { GraphProto, NodeProto } from '../onnx/types.js';

/**
 * The one node that reads `value`, reading it once and not from inside a subgraph, when the
 * value is not also a graph output: only then can the two nodes become one without anyone else
 * losing the value between them.
 */
export function loneReader(view: GraphView, value: string): NodeProto | undefined {
  if (view.graph.output.some((o) => o.name === value)) return undefined;
  const readers = view.consumersOf(value);
  const reader = readers[0];
  // GraphView lists a node once per read, subgraph reads included.
  return readers.length === 1 && reader!.input.includes(value) ? reader : undefined;
}

/**
 * `kept` takes over the output of `removed`, which reads only `kept`'s output: the value between
 * them disappears and every reader of `removed`'s output, a graph output included, keeps its name.
 * The caller removes `removed` from the graph.
 */
export function takeOverOutput(graph: GraphProto, kept: NodeProto, removed: NodeProto): void {
  const gone = new Set([kept.output[0], ...removed.output.slice(1)]);
  kept.output[0] = removed.output[0]!;
  graph.valueInfo = graph.valueInfo.filter((v) => !gone.has(v.name));
}

/** Removes the initializers and Constant nodes among `names` that nothing reads any more. */
export function dropUnreadConstants(graph: GraphProto, names: Iterable<string>): void {
  const view = new GraphView(graph);
  const unread = new Set([...names].filter((n) => n !== '' && view.consumersOf(n).length === 0 && !graph.output.some((o) => o.name === n)));
  if (unread.size === 0) return;
  graph.initializer = graph.initializer.filter((t) => !unread.has(t.name));
  graph.node = graph.node.filter((n) => !(isStandardOp(n, 'Constant') && unread.has(n.output[0] ?? '')));
}

