import { DataType } from '../onnx/data-types.js';
import type { NodeProto } from '../onnx/types.js';
import type { GraphFacts } from './facts.js';
import type { FusionGraph, Match, Unit } from './fusion-graph.js';
import type { OptimizationLevel } from './types.js';

/** One of onnxruntime's fusions, tried with each unit of the graph as its starting point. */
export interface Pattern {
  readonly level: OptimizationLevel;
  /** Kernels of the units the pattern can start from. */
  readonly anchors: ReadonlySet<string>;
  match(g: FusionGraph, u: Unit): Match | undefined;
}

/** Element types onnxruntime's fusions accept (they fold or compute in floating point). */
export const FLOAT_TYPES: ReadonlySet<number> = new Set([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE, DataType.BFLOAT16]);

/** The unit's node when it is a single, unfused node of this default-domain op type. */
export function single(u: Unit | undefined, opType: string): NodeProto | undefined {
  return u !== undefined && u.nodes.length === 1 && u.kernel === opType ? u.anchor : undefined;
}

/** The input of a two-input node that is not `name` ('' when both are `name`). */
export function otherInput(node: NodeProto, name: string): string {
  if (node.input[0] === name) return node.input[1] ?? '';
  return node.input[0] ?? '';
}

/** True when the constant holds this value in every element (to float32 precision). */
export function constantIs(facts: GraphFacts, name: string, want: number): boolean {
  const values = facts.values(name);
  return values !== undefined && values.length > 0 && values.every((v) => Math.abs(v - want) <= 1e-6 * Math.max(1, Math.abs(want)));
}

/** True when the value's element type is one of `types`. */
export function hasType(facts: GraphFacts, name: string, types: ReadonlySet<number>): boolean {
  const t = facts.dtype(name);
  return t !== undefined && types.has(t);
}

/** Bytes of a constant (0 for an absent or unknown one). */
export function constBytes(facts: GraphFacts, name: string | undefined): number {
  return name === undefined || name === '' ? 0 : (facts.bytes(name) ?? 0);
}

/** Bytes of the constant inputs among `names`; activations (graph inputs, node outputs) are not weights. */
export function constantsBytes(facts: GraphFacts, names: readonly string[]): number {
  return names.reduce((a, n) => a + (n !== '' && facts.isConstant(n) ? constBytes(facts, n) : 0), 0);
}

/** The unit that reads `u`'s output, when it is the only reader and a single node of one of these op types. */
export function loneNext(g: FusionGraph, u: Unit, opTypes: ReadonlySet<string>): { node: NodeProto; unit: Unit; value: string } | undefined {
  const lone = g.loneReader(u);
  if (lone === undefined || lone.next.nodes.length !== 1 || !opTypes.has(lone.next.kernel)) return undefined;
  return { node: lone.next.anchor, unit: lone.next, value: lone.value };
}
