import type { Finding } from '../graph/validate.js';
import { GraphView } from '../graph/graph-view.js';
import { DEFAULT_DOMAINS, nodeLabel } from '../graph/node-label.js';
import type { GraphProto, ModelProto, NodeProto, ValueInfoProto } from '../onnx/types.js';
import { constantType } from './constants.js';
import { NodeContext, ShapeError } from './context.js';
import { ruleFor } from './ops/index.js';
import { isFullyKnown, tensorOf, typeFromProto, type Dim, type ValueType } from './types.js';

export interface ShapeOptions {
  /** Dims for graph inputs by name, overriding the file's (numbers, or names for symbolic dims). */
  readonly inputDims?: Readonly<Record<string, readonly Dim[]>>;
}

/** Why a node's outputs are not fully known. */
export interface UnknownShape {
  readonly node: NodeProto;
  readonly graphPath: string;
  readonly reason: string;
  /** The node where the unknown started, when it came from upstream. */
  readonly cause?: NodeProto;
}

export interface ShapeInference {
  /** Types of the values of the main graph or of any subgraph, by name (enclosing scopes not included). */
  typesOf(graph: GraphProto): ReadonlyMap<string, ValueType>;
  /** A value's type as seen from `graph` (its own values, then enclosing graphs'). */
  typeOf(name: string, graph?: GraphProto): ValueType | undefined;
  /** Nodes (of every graph) whose outputs are not fully known. */
  readonly unknown: ReadonlyMap<NodeProto, UnknownShape>;
  /** Why a subgraph cannot run with the types it was given (its first invalid node), or undefined. */
  cannotRun(graph: GraphProto): string | undefined;
  /** Symbolic dims given numbers by the pinned input dims. */
  readonly bindings: Readonly<Record<string, number>>;
  readonly findings: readonly Finding[];
  /** The execution order inference walked a graph in (GraphView's topological order), if it reached the graph. */
  executionOrder(graph: GraphProto): readonly NodeProto[] | undefined;
}

/** A user-given input dimension that cannot apply to this model. */
export class InputDimsError extends Error {}


/**
 * Binds the user's input dims against the declared ones: checks ranks and fixed dims, and
 * collects numbers for symbolic names (so `batch` pinned on one input applies to every input).
 */
function bindInputs(inputs: readonly ValueInfoProto[], pinned: Readonly<Record<string, readonly Dim[]>>): Record<string, number> {
  const bindings: Record<string, number> = Object.create(null) as Record<string, number>;
  const byName = new Map(inputs.map((v) => [v.name, v]));
  for (const [name, dims] of Object.entries(pinned)) {
    const input = byName.get(name);
    if (input === undefined) {
      throw new InputDimsError(`the model has no input "${name}"; its inputs are ${inputs.map((v) => v.name).join(', ') || 'none'}`);
    }
    const declared = typeFromProto(input.type);
    if (declared?.kind !== 'tensor') throw new InputDimsError(`input "${name}" is not a tensor, so it has no dims to set`);
    if (declared.shape === undefined) continue;
    if (declared.shape.length !== dims.length) {
      throw new InputDimsError(`input "${name}" has ${declared.shape.length} dims (${declared.shape.map((d) => d ?? '?').join('x')}), not ${dims.length}`);
    }
    declared.shape.forEach((d, i) => {
      const given = dims[i]!;
      if (typeof d === 'number' && typeof given === 'number' && d !== given) {
        throw new InputDimsError(`input "${name}" has ${d} at dim ${i} in the model; it cannot be set to ${given}`);
      }
      if (typeof d === 'string' && typeof given === 'number') {
        if (bindings[d] !== undefined && bindings[d] !== given) throw new InputDimsError(`dim "${d}" is set to both ${bindings[d]} and ${given}`);
        bindings[d] = given;
      }
    });
  }
  return bindings;
}

class Inference {
  readonly graphs = new Map<GraphProto, Map<string, ValueType>>();
  readonly parents = new Map<GraphProto, GraphProto | undefined>();
  readonly orders = new Map<GraphProto, NodeProto[]>();
  readonly unknown = new Map<NodeProto, UnknownShape>();
  /** By node, so a subgraph inferred again (a Loop body run to a fixpoint) replaces its findings. */
  readonly findings = new Map<NodeProto, Finding>();
  /** For each graph, its first node that failed as invalid for the types it was given. */
  private readonly failures = new Map<GraphProto, string>();

  failureOf(graph: GraphProto): string | undefined {
    return this.failures.get(graph);
  }
  /** For each value whose type is not fully known, the node where the unknown started. */
  private readonly unknownCause = new Map<string, NodeProto>();
  private readonly opsets = new Map<string, number>();

  constructor(
    readonly model: ModelProto,
    private readonly pinned: Readonly<Record<string, readonly Dim[]>>,
    readonly bindings: Readonly<Record<string, number>>,
  ) {
    for (const o of model.opsetImport) this.opsets.set(DEFAULT_DOMAINS.has(o.domain) ? '' : o.domain, o.version);
  }

  private lookup(name: string, graph: GraphProto | undefined): ValueType | undefined {
    for (let g = graph; g !== undefined; g = this.parents.get(g)) {
      const t = this.graphs.get(g)?.get(name);
      if (t !== undefined) return t;
    }
    return undefined;
  }

  private bind(dims: readonly Dim[]): Dim[] {
    return dims.map((d) => (typeof d === 'string' && this.bindings[d] !== undefined ? this.bindings[d] : d));
  }

  private graphInputType(v: ValueInfoProto, isMain: boolean): ValueType | undefined {
    const declared = typeFromProto(v.type);
    if (!isMain || declared?.kind !== 'tensor') return declared;
    const pinned = this.pinned[v.name];
    const shape = pinned ?? declared.shape;
    return tensorOf(declared.dtype, shape === undefined ? undefined : this.bind(shape));
  }

  inferGraph(graph: GraphProto, parent: GraphProto | undefined, path: string, inputTypes?: readonly (ValueType | undefined)[]): (ValueType | undefined)[] {
    const types = new Map<string, ValueType>();
    this.graphs.set(graph, types);
    this.failures.delete(graph);
    for (const node of graph.node) {
      this.unknown.delete(node);
      this.findings.delete(node);
    }
    this.parents.set(graph, parent);
    graph.input.forEach((v, i) => {
      const t = inputTypes !== undefined ? inputTypes[i] : this.graphInputType(v, parent === undefined);
      if (t !== undefined) types.set(v.name, t);
    });
    // Initializers win over a same-named input: old exporters list every weight as an input too.
    for (const t of graph.initializer) types.set(t.name, constantType(t));
    for (const s of graph.sparseInitializer) if (s.values) types.set(s.values.name, tensorOf(s.values.dataType, s.dims));

    const view = new GraphView(graph);
    const { order, cyclic } = view.topologicalOrder();
    this.orders.set(graph, order);
    const index = new Map(graph.node.map((n, i) => [n, i]));
    for (const node of order) this.inferNode(node, graph, path, nodeLabel(node, index.get(node)!));
    for (const node of cyclic) {
      this.markUnknown(node, path, nodeLabel(node, index.get(node)!), 'the node is part of a cycle, so it has no execution order');
    }
    return graph.output.map((o) => this.lookup(o.name, graph));
  }

  private markUnknown(node: NodeProto, graphPath: string, label: string, reason: string, cause?: NodeProto): void {
    this.unknown.set(node, { node, graphPath, reason, cause });
    for (const o of node.output) if (o !== '') this.unknownCause.set(o, cause ?? node);
    this.findings.set(node, {
      severity: 'warning',
      code: cause === undefined ? 'unknown-shape' : 'unknown-shape-upstream',
      graphPath,
      node: label,
      message: `${label}: output shape unknown: ${reason}`,
    });
  }

  private inferNode(node: NodeProto, graph: GraphProto, path: string, label: string): void {
    const inputs = node.input.map((name) => (name === '' ? undefined : this.lookup(name, graph)));
    const domain = DEFAULT_DOMAINS.has(node.domain) ? '' : node.domain;
    const rule = ruleFor(domain, node.opType);
    let outputs: readonly (ValueType | undefined)[] = [];
    let failure: string | undefined;
    if (rule === undefined) {
      failure = `no shape rule for ${domain === '' ? '' : `${domain}.`}${node.opType}`;
    } else {
      const ctx = new NodeContext(
        node,
        this.opsets.get(domain) ?? 0,
        inputs,
        (g, subInputs) => this.inferGraph(g, graph, `${path}/${label}`, subInputs),
        constantType,
        (g) => this.failures.get(g),
      );
      try {
        outputs = rule(ctx);
      } catch (err) {
        if (!(err instanceof ShapeError)) throw err;
        failure = err.message;
        if (!this.failures.has(graph)) this.failures.set(graph, `${label}: ${failure}`);
      }
    }
    const types = this.graphs.get(graph)!;
    node.output.forEach((name, i) => {
      const t = outputs[i];
      if (name !== '' && t !== undefined) types.set(name, t);
    });
    if (failure === undefined && node.output.every((name, i) => name === '' || isFullyKnown(outputs[i]))) return;
    const unknownInput = node.input.findIndex((name, i) => name !== '' && !isFullyKnown(inputs[i]));
    if (failure === undefined && unknownInput >= 0) {
      const name = node.input[unknownInput]!;
      const cause = this.unknownCause.get(name);
      this.markUnknown(node, path, label, `input "${name}" is not fully known${cause ? ` (from ${cause.name || cause.opType})` : ''}`, cause);
      return;
    }
    this.markUnknown(node, path, label, failure ?? `${node.opType} gives a shape that depends on values not known before running`);
  }
}

/**
 * Infers the type and shape of every value in the model, subgraphs included. Never throws for
 * an op it cannot infer: that node and the nodes depending on it are listed in `unknown` with
 * the reason. Throws InputDimsError when `inputDims` do not fit the model's inputs.
 */
export function inferShapes(model: ModelProto, options: ShapeOptions = {}): ShapeInference {
  const graph = model.graph;
  const pinned = options.inputDims ?? {};
  const bindings = graph === undefined ? {} : bindInputs(graph.input, pinned);
  const run = new Inference(model, pinned, bindings);
  if (graph !== undefined) run.inferGraph(graph, undefined, 'graph');
  const empty = new Map<string, ValueType>();
  return {
    typesOf: (g) => run.graphs.get(g) ?? empty,
    typeOf: (name, g = graph) => {
      for (let at = g; at !== undefined; at = run.parents.get(at)) {
        const t = run.graphs.get(at)?.get(name);
        if (t !== undefined) return t;
      }
      return undefined;
    },
    unknown: run.unknown,
    cannotRun: (g) => run.failureOf(g),
    bindings,
    findings: [...run.findings.values()],
    executionOrder: (g) => run.orders.get(g),
  };
}
