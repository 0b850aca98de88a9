/**
 * Sequence and optional ops. A sequence type carries one element type covering every element
 * (merged dim by dim) and its length when known; sizes that depend on an unknown length are
 * fresh symbols.
 */
import { DataType } from '../../onnx/data-types.js';
import type { NodeContext, ShapeRule } from '../context.js';
import { addDims, ceilDivDims, mulDims, normalizeAxis } from '../dims.js';
import { typeFromProto } from '../types.js';
import { tensorOf, type Dim, type SequenceType, type TensorType, type ValueType } from '../types.js';
import { runBody } from './control-flow.js';
import { freshDim, mergeAll, mergeTypes } from './merge.js';

function sequenceOf(elem: ValueType | undefined, length?: Dim): SequenceType {
  return length === undefined || length === null ? { kind: 'sequence', elem } : { kind: 'sequence', elem, length };
}

/** Sequence input `i`; fails when the input is known and not a sequence. */
function sequenceInput(ctx: NodeContext, i: number): SequenceType | undefined {
  const s = ctx.input(i);
  if (s === undefined || s.kind === 'sequence') return s;
  return ctx.fail(`input ${i} is a ${s.kind}, not a sequence`);
}

/** Element type without known contents: elements are read back by position at run time. */
function elementTensor(ctx: NodeContext, i: number): TensorType | undefined {
  const e = sequenceInput(ctx, i)?.elem;
  return e?.kind === 'tensor' ? tensorOf(e.dtype, e.shape) : undefined;
}

/** `length + delta` when the length is known. */
function lengthPlus(s: SequenceType | undefined, delta: number): Dim {
  return s?.length === undefined ? null : addDims(s.length, delta);
}

const construct: ShapeRule = (ctx) => {
  const elems = Array.from({ length: ctx.inputCount }, (_, i) => ctx.input(i));
  return [sequenceOf(mergeAll(ctx, elems, 'SequenceConstruct inputs'), ctx.inputCount)];
};

const empty: ShapeRule = (ctx) => [sequenceOf(tensorOf(ctx.int('dtype', DataType.FLOAT)), 0)];

const insert: ShapeRule = (ctx) => {
  const s = sequenceInput(ctx, 0);
  // Merged as sequences, so that an empty one's element type constrains only the dtype.
  const merged = mergeTypes(ctx, sequenceOf(s?.elem, s?.length), sequenceOf(ctx.input(1), 1), 'SequenceInsert');
  return [sequenceOf(merged?.kind === 'sequence' ? merged.elem : undefined, lengthPlus(s, 1))];
};

const erase: ShapeRule = (ctx) => {
  const s = sequenceInput(ctx, 0);
  return [sequenceOf(s?.elem, lengthPlus(s, -1))];
};

const length: ShapeRule = (ctx) => {
  const n = sequenceInput(ctx, 0)?.length;
  return [tensorOf(DataType.INT64, [], n === undefined ? undefined : [n])];
};

/** The chunks' common size along the axis (null when they differ or are unknown) and their count. */
function chunks(ctx: NodeContext, length: Dim): { size: Dim; count: Dim } {
  if (!ctx.has(1)) return { size: 1, count: length };
  const split = ctx.tensor(1);
  const sizes = ctx.values(1);
  if (split?.shape?.length === 1) {
    const same = sizes !== undefined && sizes.every((d) => d === sizes[0]);
    return { size: same ? (sizes[0] ?? null) : null, count: split.shape[0]! };
  }
  if (split?.shape?.length !== 0 || sizes === undefined) return { size: null, count: null };
  // Chunks of `split`, the last one shorter unless it divides the length.
  const size = sizes[0]!;
  const even = typeof size === 'number' && typeof length === 'number' && length % size === 0;
  return { size: even ? size : null, count: ceilDivDims(length, size) };
}

const splitToSequence: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  if (x?.shape === undefined) return [sequenceOf(x === undefined ? undefined : tensorOf(x.dtype))];
  const axis = normalizeAxis(ctx.int('axis', 0), x.shape.length) ?? ctx.fail(`axis ${ctx.int('axis', 0)} is out of range for rank ${x.shape.length}`);
  const keep = ctx.has(1) || ctx.int('keepdims', 1) !== 0;
  const { size, count } = chunks(ctx, x.shape[axis]!);
  const shape = keep ? x.shape.map((d, i) => (i === axis ? size : d)) : x.shape.filter((_, i) => i !== axis);
  return [sequenceOf(tensorOf(x.dtype, shape), count)];
};

/**
 * Concatenates (or stacks, with new_axis=1) the elements. With the length known, the axis is
 * length × the elements' common size; otherwise a fresh symbol.
 */
const concatFromSequence: ShapeRule = (ctx) => {
  const s = sequenceInput(ctx, 0);
  const e = elementTensor(ctx, 0);
  if (e?.shape === undefined) return [e === undefined ? undefined : tensorOf(e.dtype)];
  const stack = ctx.int('new_axis', 0) === 1;
  const rank = e.shape.length + (stack ? 1 : 0);
  const given = ctx.int('axis') ?? ctx.fail('ConcatFromSequence needs an axis');
  const axis = normalizeAxis(given, rank) ?? ctx.fail(`axis ${given} is out of range for rank ${rank}`);
  const n = s?.length ?? null;
  if (stack) return [tensorOf(e.dtype, [...e.shape.slice(0, axis), n ?? freshDim(ctx, 'count'), ...e.shape.slice(axis)])];
  const total = mulDims(n, e.shape[axis]!) ?? freshDim(ctx, 'length');
  return [tensorOf(e.dtype, e.shape.map((d, i) => (i === axis ? total : d)))];
};

/** Applies the body to every element; sequence inputs give the body their element type. */
const sequenceMap: ShapeRule = (ctx) => {
  const body = ctx.graph('body') ?? ctx.fail('SequenceMap has no body graph');
  const inputs = Array.from({ length: ctx.inputCount }, (_, i) => {
    const t = ctx.input(i);
    return t?.kind === 'sequence' ? t.elem : t;
  });
  const n = sequenceInput(ctx, 0)?.length;
  return runBody(ctx, body, inputs).map((t) => sequenceOf(t, n));
};

const optional: ShapeRule = (ctx) => {
  if (ctx.has(0)) return [{ kind: 'optional', elem: ctx.input(0) }];
  const declared = ctx.attribute('type')?.tp ?? ctx.fail('Optional without an input needs a type');
  return [{ kind: 'optional', elem: typeFromProto(declared) }];
};

/** Known when the input is absent (false) or not an optional at all (true, since opset 18). */
const optionalHasElement: ShapeRule = (ctx) => {
  const t = ctx.input(0);
  const known = !ctx.has(0) ? 0 : t !== undefined && t.kind !== 'optional' ? 1 : undefined;
  return [tensorOf(DataType.BOOL, [], known === undefined ? undefined : [known])];
};

const optionalGetElement: ShapeRule = (ctx) => {
  const t = ctx.input(0);
  return [t?.kind === 'optional' ? t.elem : t];
};

export const rules: Record<string, ShapeRule> = {
  SequenceConstruct: construct,
  SequenceEmpty: empty,
  SequenceAt: (ctx) => [elementTensor(ctx, 0)],
  SequenceInsert: insert,
  SequenceErase: erase,
  SequenceLength: length,
  SplitToSequence: splitToSequence,
  ConcatFromSequence: concatFromSequence,
  SequenceMap: sequenceMap,
  Optional: optional,
  OptionalHasElement: optionalHasElement,
  OptionalGetElement: optionalGetElement,
};
