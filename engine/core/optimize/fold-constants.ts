import { cloneProto } from '../graph/clone.js';
import { GraphView, forEachGraph, subgraphsOf } from '../graph/graph-view.js';
import { isStandardOp, nodeLabel } from '../graph/node-label.js';
import { removeNodes } from '../graph/rewrite.js';
import { dataTypeName } from '../onnx/data-types.js';
import type { GraphProto, ModelProto, NodeProto } from '../onnx/types.js';
import { inferShapes, isStatic, type ShapeInference } from '../shape/index.js';
import { GraphConstants } from './constants.js';
import { evaluateDims, evaluateNode, isEvaluable, readsOnlyDims, tensorOfValue, valueOfTensor, type Value } from './evaluate/index.js';
import { defaultOpset } from '../graph/node-label.js';
import type { Change, Pass, PassOptions, PassResult } from './types.js';

/** Largest result (elements) folded when the options do not say. */
export const DEFAULT_MAX_FOLD_ELEMENTS = 1 << 20;

/**
 * Elements a result may have beyond its inputs' total. Fills and broadcasts (ConstantOfShape,
 * Expand, Range) cost almost no time at run time but would make the file bigger, so only small
 * ones are folded.
 */
const GROWTH_ALLOWANCE = 1024;

/** Values known in one graph: its constants and what was evaluated, then those of enclosing graphs it does not shadow. */
class KnownValues {
  private readonly values = new Map<string, Value>();
  private readonly constants: GraphConstants;
  private readonly defined = new Set<string>();

  constructor(graph: GraphProto, private readonly outer?: KnownValues) {
    this.constants = new GraphConstants(graph);
    for (const v of graph.input) this.defined.add(v.name);
    for (const t of graph.initializer) this.defined.add(t.name);
    for (const n of graph.node) for (const o of n.output) this.defined.add(o);
  }

  get(name: string): Value | undefined {
    if (!this.defined.has(name)) return this.outer?.get(name);
    let v = this.values.get(name);
    if (v === undefined) {
      const t = this.constants.tensor(name);
      v = t === undefined ? undefined : valueOfTensor(t);
      if (v !== undefined) this.values.set(name, v);
    }
    return v;
  }

  set(name: string, v: Value): void {
    this.values.set(name, v);
  }
}

/** The nodes folded into one constant (or a few, when a node has several outputs). */
interface Fold {
  readonly values: string[];
  readonly nodes: NodeProto[];
  /** Constant nodes and initializers that only these nodes read. */
  readonly sources: Set<string>;
}

class Folder {
  readonly changes: Change[] = [];
  /** Every node evaluated, in any graph. */
  private readonly evaluated = new Set<NodeProto>();
  /**
   * Evaluated nodes that decide an If's branch, and those upstream of them: they stay, so the
   * condition is still computed at run time. onnxruntime (1.30) inlines an If whose condition
   * is constant and crashes (a segfault at session creation) on some nested ones, as in Silero
   * VAD v5 once its shape tests are folded.
   */
  private readonly deciders = new Set<NodeProto>();
  /** Producer of every value, in any graph (names are unique across a valid model's graphs). */
  private readonly producer = new Map<string, NodeProto>();
  /** Shape and Size nodes evaluated from inferred dims rather than a known value's. */
  private readonly readShapes = new Set<NodeProto>();

  constructor(
    root: GraphProto,
    private readonly shapes: ShapeInference,
    private readonly opset: number,
    private readonly maxElements: number,
    /** How the detail names the shapes folds read: the input dims given, or the model's own. */
    private readonly shapeSource: string,
    /** Whether input dims were pinned, so that shapes read may follow from them. */
    private readonly pinned: boolean,
  ) {
    forEachGraph(root, (g) => {
      for (const n of g.node) for (const o of n.output) if (o !== '') this.producer.set(o, n);
    });
  }

  /**
   * Evaluates every node of `graph` it can, in execution order, then replaces them by
   * initializers. `shapesHold` is false inside Loop and Scan bodies, whose inferred shapes cover
   * every iteration only loosely; there only contents are folded, never dims.
   */
  foldGraph(graph: GraphProto, path: string, outer: KnownValues | undefined, shapesHold: boolean): void {
    const known = new KnownValues(graph, outer);
    const index = new Map(graph.node.map((n, i) => [n, i]));
    for (const node of new GraphView(graph).topologicalOrder().order) {
      if (isStandardOp(node, 'If') && known.get(node.input[0] ?? '') !== undefined) this.keepDeciders(node.input[0]!);
      for (const sub of subgraphsOf(node)) {
        const at = `${path}/${node.name === '' ? `node[${index.get(node)}]` : node.name}.${sub.attribute}`;
        this.foldGraph(sub.graph, at, known, shapesHold && isStandardOp(node, 'If'));
      }
      const outputs = this.evaluate(node, graph, known, shapesHold);
      if (outputs === undefined) continue;
      node.output.forEach((name, i) => {
        if (name !== '') known.set(name, outputs[i]!);
      });
      this.evaluated.add(node);
    }
    const folded = new Set(graph.node.filter((n) => this.evaluated.has(n) && !this.deciders.has(n)));
    this.replace(graph, path, folded, known, index);
  }

  /** Marks the evaluated nodes `name` is computed from, in this graph and enclosing ones, as deciders. */
  private keepDeciders(name: string): void {
    const p = this.producer.get(name);
    if (p === undefined || !this.evaluated.has(p) || this.deciders.has(p)) return;
    this.deciders.add(p);
    for (const input of p.input) if (input !== '') this.keepDeciders(input);
  }

  private evaluate(node: NodeProto, graph: GraphProto, known: KnownValues, shapesHold: boolean): Value[] | undefined {
    if (!isEvaluable(node) || node.output.length === 0) return undefined;
    if (readsOnlyDims(node)) {
      const dims = this.dimsOf(node, graph, known, shapesHold);
      return dims === undefined ? undefined : [evaluateDims(node, dims)];
    }
    const inputs = node.input.map((name) => (name === '' ? undefined : known.get(name)));
    if (node.input.some((name, i) => name !== '' && inputs[i] === undefined)) return undefined;
    const outputs = evaluateNode(node, this.opset, inputs, this.maxElements);
    const inputElements = inputs.reduce((n, v) => n + (v?.data.length ?? 0), 0);
    const outputElements = outputs?.reduce((n, v) => n + v.data.length, 0) ?? 0;
    return outputElements <= inputElements + GROWTH_ALLOWANCE ? outputs : undefined;
  }

  /** The dims of a Shape or Size node's input: a known value's, else inferred ones when they hold here. */
  private dimsOf(node: NodeProto, graph: GraphProto, known: KnownValues, shapesHold: boolean): readonly number[] | undefined {
    const name = node.input[0] ?? '';
    const value = known.get(name);
    if (value !== undefined) return value.dims;
    const t = shapesHold ? this.shapes.typeOf(name, graph) : undefined;
    if (t?.kind !== 'tensor' || !isStatic(t.shape)) return undefined;
    this.readShapes.add(node);
    return t.shape;
  }

  /**
   * Replaces the evaluated nodes that something else needs by initializers: each value they
   * give to a node that stays (or to the graph's outputs) becomes one. Evaluated nodes nothing
   * needs are left for the eliminate pass.
   */
  private replace(graph: GraphProto, path: string, evaluated: ReadonlySet<NodeProto>, known: KnownValues, index: ReadonlyMap<NodeProto, number>): void {
    if (evaluated.size === 0) return;
    const view = new GraphView(graph);
    const graphOutputs = new Set(graph.output.map((o) => o.name));
    const readOutside = (name: string, inside: ReadonlySet<NodeProto>): boolean => graphOutputs.has(name) || view.consumersOf(name).some((c) => !inside.has(c));

    const folds: Fold[] = [];
    const owner = new Map<NodeProto, Fold>();
    for (const node of evaluated) {
      for (const value of node.output) {
        if (value === '' || !readOutside(value, evaluated)) continue;
        const fold: Fold = { values: [value], nodes: [], sources: new Set() };
        this.collect(value, fold, view, evaluated, owner);
        if (fold.nodes.length > 0) folds.push(fold);
        else owner.get(node)!.values.push(value);
      }
    }
    if (folds.length === 0) return;

    // A removed node's output may still be read by an evaluated node that stays (one nothing needs): it becomes a constant too.
    const removed = new Set(owner.keys());
    for (const node of removed) {
      for (const value of node.output) if (value !== '' && readOutside(value, removed)) graph.initializer.push(tensorOfValue(known.get(value)!, value));
    }
    removeNodes(graph, removed);

    const after = new GraphView(graph);
    const gone = new Set<string>();
    for (const fold of folds) {
      const constantNodes = new Set<NodeProto>();
      const initializers: string[] = [];
      for (const name of fold.sources) {
        if (gone.has(name) || graphOutputs.has(name) || after.consumersOf(name).length > 0) continue;
        gone.add(name);
        const producer = after.producer.get(name);
        if (producer !== undefined) constantNodes.add(producer);
        else initializers.push(name);
      }
      removeNodes(graph, constantNodes);
      graph.initializer = graph.initializer.filter((t) => !initializers.includes(t.name));
      this.changes.push(this.describe(fold, [...constantNodes], initializers.length, known, index, path));
    }
  }

  private describe(fold: Fold, constantNodes: readonly NodeProto[], initializers: number, known: KnownValues, index: ReadonlyMap<NodeProto, number>, graphPath: string): Change {
    const nodes = [...fold.nodes, ...constantNodes].sort((a, b) => index.get(a)! - index.get(b)!);
    const results = fold.values.map((name) => {
      const v = known.get(name)!;
      return `"${name}" (${dataTypeName(v.dtype)}[${v.dims.join('x') || 'scalar'}])`;
    });
    const count = fold.nodes.length;
    const usedShapes = fold.nodes.some((n) => this.readShapes.has(n));
    const from = usedShapes ? `constants and ${this.shapeSource}` : 'constants';
    let detail = `Computed ${count === 1 ? '1 node' : `${count} nodes`} ahead of time from ${from}; ${results.join(', ')} ${results.length === 1 ? 'is' : 'are'} now stored as a constant`;
    const sources = constantNodes.length + initializers;
    if (sources > 0) detail += `, and the ${sources === 1 ? 'constant' : `${sources} constants`} only they read ${sources === 1 ? 'is' : 'are'} gone`;
    const change: Change = { pass: 'fold-constants', kind: 'folded', nodes: nodes.map((n) => nodeLabel(n, index.get(n)!)), detail: `${detail}.`, graphPath };
    return usedShapes && this.pinned ? { ...change, atInputDims: true } : change;
  }

  /** Walks back from `name` through evaluated nodes not yet taken, adding them (and the constants they read) to `fold`. */
  private collect(name: string, fold: Fold, view: GraphView, evaluated: ReadonlySet<NodeProto>, owner: Map<NodeProto, Fold>): void {
    const producer = view.producer.get(name);
    if (producer === undefined || !evaluated.has(producer)) {
      const constant = producer === undefined ? view.initializers.has(name) && !view.inputs.has(name) : isStandardOp(producer, 'Constant');
      if (constant) fold.sources.add(name);
      return;
    }
    if (owner.has(producer)) return;
    owner.set(producer, fold);
    fold.nodes.push(producer);
    for (const input of producer.input) if (input !== '') this.collect(input, fold, view, evaluated, owner);
  }
}

function run(model: ModelProto, options: PassOptions): PassResult {
  if (model.graph === undefined) return { model, changes: [] };
  const copy = cloneProto(model);
  const pinned = options.inputDims !== undefined && Object.keys(options.inputDims).length > 0;
  const shapes = inferShapes(copy, { inputDims: options.inputDims });
  const maxElements = options.maxFoldElements ?? DEFAULT_MAX_FOLD_ELEMENTS;
  const folder = new Folder(copy.graph!, shapes, defaultOpset(copy), maxElements, pinned ? 'the shapes at the given input dims (the result holds at those dims only)' : 'known shapes', pinned);
  folder.foldGraph(copy.graph!, 'graph', undefined, true);
  return folder.changes.length === 0 ? { model, changes: [] } : { model: copy, changes: folder.changes };
}

/**
 * Constant folding: nodes whose inputs are all known before running (initializers, Constant
 * nodes, shapes fixed by the pinned input dims) are evaluated once and replaced by initializers.
 */
export const foldConstantsPass: Pass = {
  id: 'fold-constants',
  title: 'Fold constants',
  summary:
    'Computes ahead of time what only depends on constants and known shapes (Shape → Gather → Concat → Reshape chains, constant arithmetic) and stores the results as initializers. Results over the size cap, large fills, and values that decide If branches stay computed at run time.',
  run,
};
