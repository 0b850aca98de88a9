import { cloneProto } from '../graph/clone.js';
import { GraphView } from '../graph/graph-view.js';
import { defaultOpset, nodeLabel } from '../graph/node-label.js';
import { namesIn, removeNodes } from '../graph/rewrite.js';
import type { GraphProto, ModelProto, NodeProto } from '../onnx/types.js';
import { GraphConstants } from './constants.js';
import { dropUnreadConstants } from './rewire.js';
import type { Change, ChangeKind, PassId, PassResult } from './types.js';

/**
 * Collects a pass's changes on the main graph. Nodes are named by their labels in the pass's
 * input (the clone keeps the input's order until edited); the surviving node by its label in
 * the output, resolved once the graph is final.
 */
export class ChangeLog {
  private readonly labels = new Map<NodeProto, string>();
  private readonly entries: { kind: ChangeKind; nodes: string[]; into: NodeProto; detail: string }[] = [];

  constructor(
    private readonly pass: PassId,
    graph: GraphProto,
  ) {
    graph.node.forEach((n, i) => this.labels.set(n, nodeLabel(n, i)));
  }

  /** The node's label in the pass's input. */
  label(node: NodeProto): string {
    return this.labels.get(node) ?? node.opType;
  }

  add(kind: ChangeKind, nodes: readonly NodeProto[], into: NodeProto, detail: string): void {
    this.entries.push({ kind, nodes: nodes.map((n) => this.label(n)), into, detail });
  }

  get size(): number {
    return this.entries.length;
  }

  /** The changes, with `into` labelled by the survivors' places in the final graph. */
  finish(graph: GraphProto): Change[] {
    const index = new Map(graph.node.map((n, i) => [n, i]));
    return this.entries.map((e) => ({ pass: this.pass, kind: e.kind, nodes: e.nodes, into: nodeLabel(e.into, index.get(e.into) ?? 0), detail: e.detail, graphPath: 'graph' }));
  }
}

/** One round of a rewrite: the graph as it stands, indexed afresh. */
export interface Round {
  readonly graph: GraphProto;
  readonly view: GraphView;
  readonly constants: GraphConstants;
  readonly log: ChangeLog;
  /** Every name in use; new names go in as they are made. */
  readonly taken: Set<string>;
  /** The model's opset of the standard operators. */
  readonly opset: number;
  /** Takes a node out of the graph at the end of the round. */
  remove(node: NodeProto): void;
  /** Constants a rewrite stopped reading: dropped at the end when nothing reads them. */
  release(names: readonly string[]): void;
}

/**
 * Runs a rewrite of the main graph on a clone of the model, round after round until a round
 * removes no node (so chains settle in one run and a second run finds nothing), then drops the
 * constants nobody reads any more. Returns the input itself when nothing changed.
 */
export function rewriteInRounds(model: ModelProto, pass: PassId, round: (r: Round) => void): PassResult {
  const out = cloneProto(model);
  const graph = out.graph;
  if (graph === undefined) return { model, changes: [] };
  const log = new ChangeLog(pass, graph);
  const taken = namesIn(graph);
  const released: string[] = [];
  const opset = defaultOpset(model);
  for (;;) {
    const removed = new Set<NodeProto>();
    round({
      graph,
      view: new GraphView(graph),
      constants: new GraphConstants(graph),
      log,
      taken,
      opset,
      remove: (n) => removed.add(n),
      release: (names) => released.push(...names),
    });
    if (removed.size === 0) break;
    removeNodes(graph, removed);
  }
  if (log.size === 0) return { model, changes: [] };
  dropUnreadConstants(graph, released);
  return { model: out, changes: log.finish(graph) };
}
