import { isFolded } from '../cost/node.js';
import { GraphView } from '../graph/graph-view.js';
import type { GraphProto, NodeProto, ValueInfoProto } from '../onnx/types.js';
import { tensorBytes, type ValueType } from '../shape/types.js';
import { isStandardOp, nodeLabel } from '../graph/node-label.js';

function declaredShapes(inputs: readonly ValueInfoProto[]): GraphFacts['runtimeShapes'] {
  let result: GraphFacts['runtimeShapes'] = 'static';
  for (const v of inputs) {
    const dims = v.type?.tensorType?.shape?.dim;
    if (dims === undefined) return 'dynamic';
    for (const [i, d] of dims.entries()) {
      if (d.dimValue !== undefined) continue;
      if (i > 0) return 'dynamic';
      result = 'dynamic-batch';
    }
  }
  return result;
}

/** A value's type as shape inference gives it for the main graph. */
export type TypeLookup = (name: string) => ValueType | undefined;

/**
 * What the memory computations share about the main graph: its execution order, which values are
 * constants (initializers, Constant outputs, outputs of nodes the runtime folds when the session
 * loads), sizes and node labels.
 */
export class GraphFacts {
  readonly view: GraphView;
  /** Position of each scheduled node in the execution order. */
  readonly step = new Map<NodeProto, number>();
  readonly graphOutputs: ReadonlySet<string>;
  /**
   * What onnxruntime can know of shapes on its own, from the dims the file declares for the graph
   * inputs (it never sees the dims pinned for Whittle's inference): everything when they are all
   * numbers, shapes up to a symbolic batch dim when only axis 0 is symbolic, little otherwise.
   * Fusions whose conditions need shapes follow it.
   */
  readonly runtimeShapes: 'static' | 'dynamic-batch' | 'dynamic';
  private readonly constants = new Set<string>();
  private readonly folded = new Set<NodeProto>();
  private readonly labels = new Map<NodeProto, string>();
  private readonly sizes = new Map<string, number | undefined>();

  constructor(
    readonly graph: GraphProto,
    readonly order: readonly NodeProto[],
    readonly typeOf: TypeLookup,
    /** The model's opset of the default domain, when known. */
    readonly opset?: number,
  ) {
    this.view = new GraphView(graph);
    this.graphOutputs = new Set(graph.output.map((o) => o.name));
    graph.node.forEach((n, i) => this.labels.set(n, nodeLabel(n, i)));
    for (const name of this.view.initializers.keys()) this.constants.add(name);
    this.runtimeShapes = declaredShapes(graph.input.filter((v) => !this.constants.has(v.name)));
    order.forEach((node, i) => {
      this.step.set(node, i);
      const constant = isStandardOp(node, 'Constant') || isFolded(node, (k) => this.constants.has(node.input[k]!));
      if (!constant) return;
      this.folded.add(node);
      for (const o of node.output) if (o !== '') this.constants.add(o);
    });
  }

  isConstant(name: string): boolean {
    return this.constants.has(name);
  }

  /** False for Constant nodes and nodes folded at load: they do not run per inference. */
  runs(node: NodeProto): boolean {
    return !this.folded.has(node);
  }

  /** Bytes of a value when its type is a tensor of static shape. */
  bytes(name: string): number | undefined {
    if (this.sizes.has(name)) return this.sizes.get(name);
    const b = tensorBytes(this.typeOf(name));
    this.sizes.set(name, b);
    return b;
  }

  /** Static shape of a value, or undefined. */
  shape(name: string): readonly number[] | undefined {
    const t = this.typeOf(name);
    if (t?.kind !== 'tensor' || t.shape === undefined || !t.shape.every((d) => typeof d === 'number')) return undefined;
    return t.shape as readonly number[];
  }

  dtype(name: string): number | undefined {
    const t = this.typeOf(name);
    return t?.kind === 'tensor' && t.dtype !== 0 ? t.dtype : undefined;
  }

  /** Known contents of a small constant, as numbers. */
  values(name: string): readonly number[] | undefined {
    const t = this.typeOf(name);
    if (!this.isConstant(name) || t?.kind !== 'tensor' || t.value === undefined) return undefined;
    return t.value.every((v) => typeof v === 'number') ? (t.value as readonly number[]) : undefined;
  }

  /** The node's name, or `Op #i` by its position in the file when it has none. */
  label(node: NodeProto): string {
    return this.labels.get(node) ?? node.opType;
  }

  /** Bytes of the node's constant inputs, each position counted (a node reads its weights once per run). */
  paramBytes(node: NodeProto): number {
    let sum = 0;
    for (const name of node.input) if (name !== '' && this.isConstant(name)) sum += this.bytes(name) ?? 0;
    return sum;
  }

  /** Bytes of the initializers and Constant tensors: weights the session holds. */
  weightBytes(): number {
    let sum = 0;
    for (const name of this.view.initializers.keys()) sum += this.bytes(name) ?? 0;
    for (const node of this.order) {
      if (node.opType === 'Constant' && this.folded.has(node)) for (const o of node.output) sum += this.bytes(o) ?? 0;
    }
    return sum;
  }
}
