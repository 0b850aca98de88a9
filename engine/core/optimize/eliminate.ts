import { cloneProto } from '../graph/clone.js';
import { GraphView, forEachGraph, implicitInputs, subgraphsOf } from '../graph/graph-view.js';
import { DEFAULT_DOMAINS, isStandardOp, nodeLabel } from '../graph/node-label.js';
import { removeNodes, removeUnusedInitializers, renameUses } from '../graph/rewrite.js';
import { tensorByteSize } from '../onnx/tensor.js';
import type { GraphProto, ModelProto, NodeProto } from '../onnx/types.js';
import { inferShapes, type ShapeInference } from '../shape/index.js';
import { findNoOp, type NoOp, type ValueFacts } from './no-ops.js';
import { defaultOpset } from '../graph/node-label.js';
import type { Change, Pass, PassResult } from './types.js';

/** Names across the model: graph inputs (their values come from callers or iterations), and constants (initializers that are not inputs, Constant outputs). */
interface ModelNames {
  readonly inputs: ReadonlySet<string>;
  readonly constants: ReadonlySet<string>;
}

function modelNames(root: GraphProto): ModelNames {
  const inputs = new Set<string>();
  const constants = new Set<string>();
  forEachGraph(root, (g) => {
    for (const v of g.input) inputs.add(v.name);
    for (const t of g.initializer) constants.add(t.name);
    for (const n of g.node) if (isStandardOp(n, 'Constant') && n.output[0]) constants.add(n.output[0]);
  });
  for (const name of inputs) constants.delete(name);
  return { inputs, constants };
}

/**
 * What one graph's values are known to be, from shape inference over the model's own input dims.
 * Where shapes do not hold (Loop and Scan bodies), neither do contents computed from them: only
 * constants' contents are read there.
 */
function factsFor(graph: GraphProto, shapes: ShapeInference, opset: number, shapesHold: boolean, names: ModelNames): ValueFacts {
  const tensor = (name: string) => {
    const t = shapes.typeOf(name, graph);
    return t?.kind === 'tensor' ? t : undefined;
  };
  return {
    opset,
    dtype: (name) => tensor(name)?.dtype ?? 0,
    shape: (name) => (shapesHold ? tensor(name)?.shape : undefined),
    ints: (name) => {
      const known = shapesHold ? !names.inputs.has(name) : names.constants.has(name);
      const value = known ? tensor(name)?.value : undefined;
      return value?.every((d) => typeof d === 'number') ? (value as number[]) : undefined;
    },
  };
}

/**
 * Drops the chain and rewires its readers. When `to` is a graph output its name must stay (it
 * is the graph's interface), so the producer of `from` is made to write `to` instead; that needs
 * `from` to come from a node of this graph and not to be an output itself. Returns false when
 * the chain has to stay.
 */
function bypass(graph: GraphProto, view: GraphView, noOp: NoOp): boolean {
  const outputs = new Set(graph.output.map((o) => o.name));
  const { from, to } = noOp;
  const rename = (gone: string, kept: string): void => {
    renameUses(graph, gone, kept);
    graph.valueInfo = graph.valueInfo.filter((v) => v.name !== gone);
  };
  if (!outputs.has(to)) {
    removeNodes(graph, new Set(noOp.nodes));
    rename(to, from);
    return true;
  }
  const producer = view.producer.get(from);
  if (producer === undefined || outputs.has(from)) return false;
  removeNodes(graph, new Set(noOp.nodes));
  producer.output = producer.output.map((o) => (o === from ? to : o));
  rename(from, to);
  return true;
}

/**
 * Nodes of the standard domain none of whose outputs anything reads (nor the graph's outputs),
 * found in one sweep from the end: a node whose readers all went is dead too. Other domains'
 * nodes stay, as they may act beyond their outputs.
 */
function removeDeadNodes(graph: GraphProto): NodeProto[] {
  const view = new GraphView(graph);
  const reads = new Map<string, number>();
  const count = (name: string, by: number): void => {
    if (name !== '') reads.set(name, (reads.get(name) ?? 0) + by);
  };
  for (const o of graph.output) count(o.name, 1);
  const inputsOf = (n: NodeProto): string[] => [...n.input, ...implicitInputs(n)];
  for (const n of graph.node) for (const i of inputsOf(n)) count(i, 1);
  const dead = new Set<NodeProto>();
  for (const node of view.topologicalOrder().order.reverse()) {
    if (!DEFAULT_DOMAINS.has(node.domain) || node.output.some((o) => o !== '' && (reads.get(o) ?? 0) > 0)) continue;
    dead.add(node);
    for (const i of inputsOf(node)) count(i, -1);
  }
  removeNodes(graph, dead);
  return [...dead];
}

class Eliminator {
  readonly changes: Change[] = [];
  private readonly names: ModelNames;

  constructor(
    private readonly shapes: ShapeInference,
    private readonly opset: number,
    root: GraphProto,
  ) {
    this.names = modelNames(root);
  }

  /** Cleans one graph, then its subgraphs (whose inputs and outputs stay: they are their interface). */
  clean(graph: GraphProto, path: string, shapesHold: boolean, isMain: boolean): void {
    const index = new Map(graph.node.map((n, i) => [n, i]));
    const label = (n: NodeProto): string => nodeLabel(n, index.get(n)!);
    const facts = factsFor(graph, this.shapes, this.opset, shapesHold, this.names);
    this.removeNoOps(graph, path, facts, label);
    this.logDead(removeDeadNodes(graph), path, label);
    for (const node of graph.node) {
      for (const sub of subgraphsOf(node)) {
        const at = `${path}/${node.name === '' ? `node[${index.get(node)}]` : node.name}.${sub.attribute}`;
        this.clean(sub.graph, at, shapesHold && isStandardOp(node, 'If'), false);
      }
    }
    // Edits inside subgraphs can leave outer values unread.
    this.logDead(removeDeadNodes(graph), path, label);
    const sizes = new Map(graph.initializer.map((t) => [t.name, tensorByteSize(t)]));
    const initializers = removeUnusedInitializers(graph);
    if (initializers.length > 0) {
      const bytes = initializers.reduce((n, name) => n + (sizes.get(name) ?? 0), 0);
      this.log('removed', initializers, `Nothing reads ${initializers.length === 1 ? 'this initializer' : `these ${initializers.length} initializers`} (${bytes} bytes).`, path);
    }
    if (isMain) this.removeUnusedInputs(graph);
  }

  private removeNoOps(graph: GraphProto, path: string, facts: ValueFacts, label: (n: NodeProto) => string): void {
    const kept = new Set<NodeProto>();
    for (;;) {
      const view = new GraphView(graph);
      const outputs = new Set(graph.output.map((o) => o.name));
      let done = true;
      for (const node of graph.node) {
        const noOp = kept.has(node) ? undefined : findNoOp(node, facts, view, outputs);
        if (noOp === undefined) continue;
        if (!bypass(graph, view, noOp)) {
          kept.add(node);
          continue;
        }
        const rewired = outputs.has(noOp.to) ? `"${noOp.from}" is now written as the output "${noOp.to}"` : `readers of "${noOp.to}" now read "${noOp.from}"`;
        this.log('removed', noOp.nodes.map(label), `${noOp.why}; ${rewired}.`, path);
        done = false;
        break;
      }
      if (done) return;
    }
  }

  private removeUnusedInputs(graph: GraphProto): void {
    const view = new GraphView(graph);
    const outputs = new Set(graph.output.map((o) => o.name));
    const unused = graph.input.filter((v) => !outputs.has(v.name) && view.consumersOf(v.name).length === 0).map((v) => v.name);
    if (unused.length === 0) return;
    graph.input = graph.input.filter((v) => !unused.includes(v.name));
    this.log('removed', unused, `Nothing reads ${unused.length === 1 ? 'this graph input' : 'these graph inputs'}; callers no longer feed ${unused.length === 1 ? 'it' : 'them'}.`, 'graph');
  }

  private logDead(dead: readonly NodeProto[], path: string, label: (n: NodeProto) => string): void {
    if (dead.length > 0) this.log('removed', dead.map(label), `Nothing reads the outputs of ${dead.length === 1 ? 'this node' : `these ${dead.length} nodes`}.`, path);
  }

  private log(kind: Change['kind'], nodes: readonly string[], detail: string, graphPath: string): void {
    this.changes.push({ pass: 'eliminate', kind, nodes, detail, graphPath });
  }
}

function run(model: ModelProto): PassResult {
  if (model.graph === undefined) return { model, changes: [] };
  const copy = cloneProto(model);
  // The model's own input dims, not pinned ones: what is removed is a no-op at every input size.
  const shapes = inferShapes(copy);
  const eliminator = new Eliminator(shapes, defaultOpset(copy), copy.graph!);
  eliminator.clean(copy.graph!, 'graph', true, true);
  return eliminator.changes.length === 0 ? { model, changes: [] } : { model: copy, changes: eliminator.changes };
}

/** Removes what does nothing: pass-through nodes, dead nodes, unread initializers and graph inputs. */
export const eliminatePass: Pass = {
  id: 'eliminate',
  title: 'Remove no-ops and dead code',
  summary:
    'Removes Identity, inference-time Dropout, Casts to the same type, Reshapes to the same shape, identity Transposes, zero Pads and cancelling Squeeze/Unsqueeze pairs, then nodes, initializers and graph inputs nothing reads. Graph outputs keep their names.',
  run,
};
