/**
 * Joining the types a value may take on different paths (If branches, Loop iterations, the
 * elements of a sequence): what holds on every path is kept, what differs becomes unknown.
 */
import { dataTypeName } from '../../onnx/data-types.js';
import type { NodeContext } from '../context.js';
import { tensorOf, type Dim, type OptionalType, type SequenceType, type TensorType, type ValueType } from '../types.js';

function sameDims(a: readonly Dim[] | undefined, b: readonly Dim[] | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((d, i) => d === b[i]));
}

/** True when the two types say exactly the same thing (kind, dtype, dims, known contents). */
export function sameType(a: ValueType | undefined, b: ValueType | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind === 'tensor') return b.kind === 'tensor' && a.dtype === b.dtype && sameDims(a.shape, b.shape) && sameDims(a.value, b.value);
  if (a.kind === 'other') return b.kind === 'other' && a.description === b.description;
  if (a.kind === 'sequence') return b.kind === 'sequence' && a.length === b.length && sameType(a.elem, b.elem);
  return b.kind === 'optional' && sameType(a.elem, b.elem);
}

function mergeTensors(ctx: NodeContext, a: TensorType, b: TensorType, what: string): TensorType {
  if (a.dtype !== 0 && b.dtype !== 0 && a.dtype !== b.dtype) ctx.fail(`${what}: element types differ (${dataTypeName(a.dtype)} and ${dataTypeName(b.dtype)})`);
  const dtype = a.dtype !== 0 ? a.dtype : b.dtype;
  if (a.shape === undefined || b.shape === undefined || a.shape.length !== b.shape.length) return tensorOf(dtype);
  const shape = a.shape.map((d, i) => (d === b.shape![i] ? d : null));
  return tensorOf(dtype, shape, sameDims(a.value, b.value) ? a.value : undefined);
}

/**
 * The type covering both `a` and `b`: equal dims kept, different ones null, a rank that differs
 * unknown, contents kept only when equal. Fails when element types or kinds conflict. When one
 * side is unknown only the other's element type survives, since both must agree on it.
 */
export function mergeTypes(ctx: NodeContext, a: ValueType | undefined, b: ValueType | undefined, what: string): ValueType | undefined {
  if (a === undefined || b === undefined) {
    const known = a ?? b;
    return known?.kind === 'tensor' && known.dtype !== 0 ? tensorOf(known.dtype) : undefined;
  }
  // A present value fits an optional of its type (a Loop may carry optional(seq) into a seq).
  if (a.kind === 'optional' && b.kind !== 'optional') return { kind: 'optional', elem: mergeTypes(ctx, a.elem, b, what) };
  if (b.kind === 'optional' && a.kind !== 'optional') return { kind: 'optional', elem: mergeTypes(ctx, a, b.elem, what) };
  if (a.kind !== b.kind) return ctx.fail(`${what}: a ${a.kind} on one path and a ${b.kind} on another`);
  if (a.kind === 'tensor') return mergeTensors(ctx, a, b as TensorType, what);
  if (a.kind === 'sequence') return mergeSequences(ctx, a, b as SequenceType, what);
  if (a.kind === 'other') return a;
  return { kind: 'optional', elem: mergeTypes(ctx, a.elem, (b as OptionalType).elem, what) };
}

/** Element types merge, except that an empty sequence's element (a dtype alone) constrains nothing but the dtype. */
function mergeSequences(ctx: NodeContext, a: SequenceType, b: SequenceType, what: string): SequenceType {
  const merged = mergeTypes(ctx, a.elem, b.elem, what);
  const elem = (a.length === 0 && b.length !== 0 ? b.elem : b.length === 0 && a.length !== 0 ? a.elem : undefined) ?? merged;
  return a.length !== undefined && a.length === b.length ? { kind: 'sequence', elem, length: a.length } : { kind: 'sequence', elem };
}

/** Merges a list of types (the elements of a sequence); undefined for an empty list. */
export function mergeAll(ctx: NodeContext, types: readonly (ValueType | undefined)[], what: string): ValueType | undefined {
  if (types.length === 0) return undefined;
  return types.slice(1).reduce((acc, t) => mergeTypes(ctx, acc, t, what), types[0]);
}

/**
 * A named unknown for a size only known at run time, named after the node (or its first output,
 * which is unique in its graph) so the UI can show where it comes from.
 */
export function freshDim(ctx: NodeContext, what: string): string {
  return `${ctx.node.name || ctx.node.output[0] || ctx.node.opType}_${what}`;
}

/**
 * One size from several that must be equal (the scan length of every Scan input): a number
 * wins over a symbol, a symbol over null. Fails on two different numbers.
 */
export function unifyDims(ctx: NodeContext, dims: readonly Dim[], what: string): Dim {
  let out: Dim = null;
  for (const d of dims) {
    if (typeof d === 'number') {
      if (typeof out === 'number' && out !== d) ctx.fail(`${what}: ${out} and ${d} must be equal`);
      out = d;
    } else if (d !== null && out === null) out = d;
  }
  return out;
}
