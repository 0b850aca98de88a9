import { NodeAttributes } from '../graph/attributes.js';
import type { GraphProto, NodeProto, TensorProto } from '../onnx/types.js';
import type { Dim, TensorType, ValueType } from './types.js';

/** Thrown by a rule when the node is not valid as written (wrong rank, conflicting dims…). */
export class ShapeError extends Error {}

/**
 * What a shape rule sees of one node: its input types by position, its attributes with the
 * spec's defaults, the opset in force, and a way to infer a subgraph's outputs.
 */
export class NodeContext extends NodeAttributes {
  constructor(
    readonly node: NodeProto,
    /** Opset version of the node's domain. */
    readonly opset: number,
    private readonly inputTypes: readonly (ValueType | undefined)[],
    private readonly subgraphInference: (graph: GraphProto, inputs: readonly (ValueType | undefined)[]) => readonly (ValueType | undefined)[],
    /** Tensor contents of an attribute tensor (Constant's value), small ones only. */
    readonly constantOf: (t: TensorProto) => TensorType,
    private readonly subgraphFailure: (graph: GraphProto) => string | undefined = () => undefined,
  ) {
    super(node);
  }

  get inputCount(): number {
    return this.node.input.length;
  }

  /** True when input `i` is given (optional inputs may be absent or named ''). */
  has(i: number): boolean {
    return i < this.node.input.length && this.node.input[i] !== '';
  }

  input(i: number): ValueType | undefined {
    return this.has(i) ? this.inputTypes[i] : undefined;
  }

  /** Input `i` as a tensor type; undefined when absent, unknown or not a tensor. */
  tensor(i: number): TensorType | undefined {
    const t = this.input(i);
    return t?.kind === 'tensor' ? t : undefined;
  }

  /** The input's shape, or undefined when its rank is unknown. */
  shape(i: number): readonly Dim[] | undefined {
    return this.tensor(i)?.shape;
  }

  /** Element type of input `i` (0 when unknown). */
  dtype(i: number): number {
    return this.tensor(i)?.dtype ?? 0;
  }

  /** The input's known contents as plain numbers, or undefined unless every element is known. */
  numbers(i: number): number[] | undefined {
    const v = this.tensor(i)?.value;
    if (v === undefined || !v.every((d) => typeof d === 'number')) return undefined;
    return v as number[];
  }

  /** The input's known contents, elements possibly symbolic. */
  values(i: number): readonly Dim[] | undefined {
    return this.tensor(i)?.value;
  }


  /** Infers a subgraph (If branch, Loop/Scan body) given its input types; returns its outputs' types. */
  inferSubgraph(graph: GraphProto, inputs: readonly (ValueType | undefined)[]): readonly (ValueType | undefined)[] {
    return this.subgraphInference(graph, inputs);
  }

  /**
   * Why the subgraph last inferred by inferSubgraph cannot run with the types it was given: the
   * first of its nodes that failed as invalid (not merely unknown), or undefined.
   */
  subgraphFailed(graph: GraphProto): string | undefined {
    return this.subgraphFailure(graph);
  }

  fail(message: string): never {
    throw new ShapeError(message);
  }
}

/**
 * A shape rule: the types of a node's outputs, by position. An undefined entry (or a missing
 * one) means "not known"; rules never guess. Throw ShapeError (via ctx.fail) for invalid nodes.
 */
export type ShapeRule = (ctx: NodeContext) => readonly (ValueType | undefined)[];
