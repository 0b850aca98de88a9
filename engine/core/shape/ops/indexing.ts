/**
 * Gathering and scattering by index (Gather, GatherElements, GatherND, Scatter*, OneHot) and the
 * selections whose size depends on the data (NonZero, TopK, Unique, Compress): those get a named
 * size after the node when the data is not known.
 */
import { DataType } from '../../onnx/data-types.js';
import type { NodeContext, ShapeRule } from '../context.js';
import { productOfDims } from '../dims.js';
import { isStatic, tensorOf, type Dim } from '../types.js';
import { axisAttribute, likeInput, normalizeAxes, rearrange, smallCount } from './arguments.js';
import { freshDim, unifyDims } from './merge.js';
import { stridesOf } from './values.js';

/** Gather: data[:axis] + indices' shape + data[axis+1:]; contents gathered when known (Gather(Shape(x), 0)). */
const gather: ShapeRule = (ctx) => {
  const data = ctx.tensor(0);
  const indices = ctx.tensor(1);
  const dtype = data?.dtype ?? 0;
  if (data?.shape === undefined || indices?.shape === undefined) return [tensorOf(dtype)];
  const dims = data.shape;
  if (dims.length === 0) return ctx.fail('Gather needs data of rank 1 or more');
  const axis = axisAttribute(ctx, 'axis', 0, dims.length);
  const q = indices.shape.length;
  const out = [...dims.slice(0, axis), ...indices.shape, ...dims.slice(axis + 1)];
  const at = ctx.numbers(1);
  const size = dims[axis]!;
  if (at === undefined || !isStatic(indices.shape)) return [tensorOf(dtype, out)];
  if (typeof size === 'number') {
    const bad = at.find((i) => i < -size || i >= size);
    if (bad !== undefined) return ctx.fail(`index ${bad} is out of range for a dim of ${size}`);
  }
  const strides = stridesOf(indices.shape);
  // Known contents imply static dims, so `size` is a number whenever this runs.
  const value = rearrange(data, out, (c) => {
    let flat = 0;
    for (let k = 0; k < q; k++) flat += c[axis + k]! * strides[k]!;
    const i = at[flat]!;
    return [...c.slice(0, axis), i < 0 ? i + (size as number) : i, ...c.slice(axis + q)];
  });
  return [tensorOf(dtype, out, value)];
};

/** GatherElements: the indices' shape, the data's element type. */
const gatherElements: ShapeRule = (ctx) => {
  const data = ctx.shape(0);
  const indices = ctx.shape(1);
  if (data !== undefined && indices !== undefined && data.length !== indices.length) {
    return ctx.fail(`data has rank ${data.length} but indices rank ${indices.length}`);
  }
  return [tensorOf(ctx.dtype(0), indices)];
};

/** GatherND: indices[:-1] + data[batch_dims + k:], where k is the last dim of indices. */
const gatherND: ShapeRule = (ctx) => {
  const data = ctx.shape(0);
  const indices = ctx.shape(1);
  const dtype = ctx.dtype(0);
  if (data === undefined || indices === undefined) return [tensorOf(dtype)];
  const b = ctx.int('batch_dims', 0);
  const q = indices.length;
  if (q === 0 || data.length === 0) return ctx.fail('GatherND needs data and indices of rank 1 or more');
  if (b < 0 || b >= Math.min(q, data.length)) return ctx.fail(`batch_dims ${b} must be less than both ranks`);
  const k = indices[q - 1];
  if (typeof k !== 'number') return [tensorOf(dtype)];
  if (b + k > data.length) return ctx.fail(`indices address ${k} dims after ${b} batch dims, but data has rank ${data.length}`);
  const batch = Array.from({ length: b }, (_, i) => unifyDims(ctx, [data[i]!, indices[i]!], `batch dim ${i}`));
  return [tensorOf(dtype, [...batch, ...indices.slice(b, q - 1), ...data.slice(b + k)])];
};

/** OneHot: the indices' shape with `depth` inserted at `axis` (last by default); the element type of `values`. */
const oneHot: ShapeRule = (ctx) => {
  const indices = ctx.shape(0);
  const dtype = ctx.dtype(2);
  if (indices === undefined) return [tensorOf(dtype)];
  const rank = indices.length + 1;
  const at = normalizeAxes(ctx, [ctx.int('axis', -1)], rank)[0]!;
  // A non-integer depth is cast to int64 before use.
  const given = ctx.values(1)?.[0] ?? null;
  const depth = typeof given === 'number' ? Math.trunc(given) : given;
  return [tensorOf(dtype, [...indices.slice(0, at), depth, ...indices.slice(at)])];
};

/** Known contents as numbers, when every element is a number. */
function knownNumbers(ctx: NodeContext, index: number): number[] | undefined {
  const t = ctx.tensor(index);
  return t === undefined || !isStatic(t.shape) ? undefined : ctx.numbers(index);
}

/** NonZero: [rank, count] int64 coordinates; counted (and listed) when the input's contents are known. */
const nonZero: ShapeRule = (ctx) => {
  const dims = ctx.shape(0);
  // ONNX Runtime treats a scalar as 1-D here while the spec says rank 0: not known.
  const rank = dims === undefined || dims.length === 0 ? null : dims.length;
  const values = knownNumbers(ctx, 0);
  if (values === undefined || rank === null) return [tensorOf(DataType.INT64, [rank, freshDim(ctx, 'nonzero')])];
  const shape = dims as readonly number[];
  const hits = values.flatMap((v, i) => (v !== 0 ? [i] : []));
  const strides = stridesOf(shape);
  const out = [rank, hits.length];
  const value = smallCount(out) === undefined ? undefined : shape.flatMap((d, axis) => hits.map((i) => Math.floor(i / strides[axis]!) % d));
  return [tensorOf(DataType.INT64, out, value)];
};

/** TopK: values and int64 indices, the input's shape with `axis` cut to k (attribute before opset 10, input from it). */
const topK: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  const dtype = x?.dtype ?? 0;
  if (x?.shape === undefined) return [tensorOf(dtype), tensorOf(DataType.INT64)];
  const axis = axisAttribute(ctx, 'axis', -1, x.shape.length);
  const k = ctx.has(1) ? (ctx.values(1)?.[0] ?? null) : (ctx.int('k') ?? ctx.fail('TopK needs k'));
  const d = x.shape[axis]!;
  if (typeof k === 'number' && (k < 0 || (typeof d === 'number' && k > d))) return ctx.fail(`k ${k} is out of range for a dim of ${d}`);
  const out = x.shape.map((dim, i) => (i === axis ? k : dim));
  return [tensorOf(dtype, out), tensorOf(DataType.INT64, out)];
};

/**
 * Unique: Y, indices, inverse_indices, counts. Without `axis` the input is flattened; the number
 * of unique elements (or slices) is counted only for known contents without an axis.
 */
const unique: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  const dtype = x?.dtype ?? 0;
  const axisGiven = ctx.hasAttribute('axis');
  const values = axisGiven ? undefined : knownNumbers(ctx, 0);
  const u: Dim = values !== undefined ? new Set(values).size : freshDim(ctx, 'unique');
  const int64 = (shape: readonly Dim[] | undefined) => tensorOf(DataType.INT64, shape);
  if (x?.shape === undefined) return [tensorOf(dtype, axisGiven ? undefined : [u]), int64([u]), int64([null]), int64([u])];
  if (!axisGiven) return [tensorOf(dtype, [u]), int64([u]), int64([productOfDims(x.shape)]), int64([u])];
  const axis = axisAttribute(ctx, 'axis', 0, x.shape.length);
  return [tensorOf(dtype, x.shape.map((d, i) => (i === axis ? u : d))), int64([u]), int64([x.shape[axis]!]), int64([u])];
};

/**
 * Compress: the slices (or, without `axis`, the flattened elements) whose condition is true. The
 * condition may be shorter than the axis; entries past the axis length are ignored.
 */
const compress: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  const dtype = x?.dtype ?? 0;
  const axisGiven = ctx.hasAttribute('axis');
  if (x?.shape === undefined) return [tensorOf(dtype, axisGiven ? undefined : [freshDim(ctx, 'selected')])];
  const axis = axisGiven ? axisAttribute(ctx, 'axis', 0, x.shape.length) : undefined;
  const length = axis === undefined ? productOfDims(x.shape) : x.shape[axis]!;
  const condition = ctx.numbers(1);
  const counted = condition !== undefined && typeof length === 'number' ? condition.slice(0, length).filter((c) => c !== 0).length : undefined;
  const count = counted ?? freshDim(ctx, 'selected');
  return [tensorOf(dtype, axis === undefined ? [count] : x.shape.map((d, i) => (i === axis ? count : d)))];
};

export const rules: Record<string, ShapeRule> = {
  Gather: gather,
  GatherElements: gatherElements,
  GatherND: gatherND,
  Scatter: (ctx) => [likeInput(ctx)],
  ScatterElements: (ctx) => [likeInput(ctx)],
  ScatterND: (ctx) => [likeInput(ctx)],
  OneHot: oneHot,
  NonZero: nonZero,
  TopK: topK,
  Unique: unique,
  Compress: compress,
};
