import { NodeAttributes } from '../graph/attributes.js';
import { dataTypeName } from '../onnx/data-types.js';
import type { GraphProto, NodeProto } from '../onnx/types.js';
import { formatShape, isStatic, tensorBytes, type TensorType, type ValueType } from '../shape/types.js';
import { product } from './format.js';
import type { BodyRun, CostInput, GraphCost } from './types.js';

/** Thrown by a rule when the node cannot be counted; its message is the reason users see. */
export class Uncountable extends Error {}

/**
 * What a rule works out. Fields left out take the defaults: no MACs, every given input read in
 * full, every given output written, the constant inputs as parameters.
 */
export interface Work {
  readonly macs?: number;
  readonly flops: number;
  readonly formula: string;
  readonly readBytes?: number;
  readonly writeBytes?: number;
  readonly params?: number;
  readonly weightBytes?: number;
  /** Control flow: the subgraphs counted, and how many times each. */
  readonly bodies?: readonly BodyRun[];
}

/** A cost rule. Throw Uncountable (via ctx.fail, or by asking for a shape that is not static) to leave the node uncounted. */
export type CostRule = (ctx: CostContext) => Work;

/** What a cost rule sees of one node: static shapes or a readable reason why not, attributes with defaults. */
export class CostContext extends NodeAttributes {
  constructor(readonly input: CostInput) {
    super(input.node);
  }

  get node(): NodeProto {
    return this.input.node;
  }

  get opset(): number {
    return this.input.opset;
  }

  /** True when input `i` is given (optional inputs may be absent or named ''). */
  has(i: number): boolean {
    return i < this.node.input.length && this.node.input[i] !== '';
  }

  hasOutput(i: number): boolean {
    return i < this.node.output.length && this.node.output[i] !== '';
  }

  get inputCount(): number {
    return this.node.input.length;
  }

  isConstant(i: number): boolean {
    return this.has(i) && this.input.isConstant(i);
  }

  /** Static shape of input `i`; leaves the node uncounted when it is absent, unknown or symbolic. */
  shape(i: number): number[] {
    return this.staticShape(this.tensorIn(i), this.inputLabel(i));
  }

  outShape(i: number): number[] {
    return this.staticShape(this.tensorOut(i), this.outputLabel(i));
  }

  elements(i: number): number {
    return product(this.shape(i));
  }

  outElements(i: number): number {
    return product(this.outShape(i));
  }

  /** Input `i`'s contents as numbers, when shape inference knows them all. */
  numbers(i: number): number[] | undefined {
    const v = this.has(i) ? this.tensorType(this.input.inputs[i]) : undefined;
    return v?.value?.every((d) => typeof d === 'number') ? (v.value as number[]) : undefined;
  }

  inputBytes(i: number): number {
    return this.has(i) ? this.bytes(this.tensorIn(i), this.inputLabel(i)) : 0;
  }

  outputBytes(i: number): number {
    return this.hasOutput(i) ? this.bytes(this.tensorOut(i), this.outputLabel(i)) : 0;
  }

  /** Bytes of `count` elements of input `i`'s element type (a Gather reads only the rows it picks). */
  bytesOfElements(i: number, count: number): number {
    const t = this.tensorIn(i);
    return this.bytes({ kind: 'tensor', dtype: t.dtype, shape: [count] }, this.inputLabel(i));
  }

  allInputBytes(): number {
    let sum = 0;
    for (let i = 0; i < this.node.input.length; i++) sum += this.inputBytes(i);
    return sum;
  }

  allOutputBytes(): number {
    let sum = 0;
    for (let i = 0; i < this.node.output.length; i++) sum += this.outputBytes(i);
    return sum;
  }

  /** The cost of a subgraph run once; uncounted when the caller gave no way to cost subgraphs. */
  subgraphCost(graph: GraphProto): GraphCost {
    const cost = this.input.subgraphCost ?? this.fail('subgraphs cannot be costed here');
    return cost(graph);
  }

  fail(reason: string): never {
    throw new Uncountable(reason);
  }

  private tensorType(t: ValueType | undefined): TensorType | undefined {
    return t?.kind === 'tensor' ? t : undefined;
  }

  private tensorIn(i: number): TensorType {
    if (!this.has(i)) return this.fail(`input ${i} is not given`);
    return this.tensor(this.input.inputs[i], this.inputLabel(i));
  }

  private tensorOut(i: number): TensorType {
    if (!this.hasOutput(i)) return this.fail(`output ${i} is not produced`);
    return this.tensor(this.input.outputs[i], this.outputLabel(i));
  }

  private tensor(t: ValueType | undefined, label: string): TensorType {
    if (t === undefined) return this.fail(`shape of ${label} unknown`);
    if (t.kind !== 'tensor') return this.fail(`${label} is a ${t.kind === 'other' ? t.description : t.kind}, not a tensor`);
    return t;
  }

  private inputLabel(i: number): string {
    return `input ${i} "${this.node.input[i] ?? ''}"`;
  }

  private outputLabel(i: number): string {
    return `output ${i} "${this.node.output[i] ?? ''}"`;
  }

  private staticShape(t: TensorType, label: string): number[] {
    const shape = t.shape;
    if (shape === undefined) return this.fail(`shape of ${label} unknown`);
    if (isStatic(shape)) return [...shape];
    if (shape.includes(null)) return this.fail(`shape of ${label} is ${formatShape(shape)}, not fully known`);
    return this.fail(`${label} is ${formatShape(shape)}: pin input dims with --input`);
  }

  private bytes(t: TensorType, label: string): number {
    this.staticShape(t, label);
    return tensorBytes(t) ?? this.fail(`${label} is ${dataTypeName(t.dtype)}, which has no fixed size`);
  }
}
