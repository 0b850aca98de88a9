/**
 * Reductions: Reduce* over a set of axes (an attribute, then an input from opset 13 for
 * ReduceSum and 18 for the others) and ArgMax/ArgMin over one axis. ReduceSum, ReduceProd,
 * ReduceMax and ReduceMin of known contents are evaluated (element counts in shape arithmetic).
 */
import { DataType } from '../../onnx/data-types.js';
import type { ShapeRule } from '../context.js';
import { addDims, mulDims } from '../dims.js';
import { isStatic, tensorOf, type Dim, type TensorType } from '../types.js';
import { axisAttribute, forEachCoordinate, listArgument, listLength, normalizeAxes, smallCount } from './arguments.js';
import { numeric, stridesOf } from './values.js';

type Combine = (a: Dim, b: Dim) => Dim;

/** Reduces known contents over `axes`, giving the contents of the kept-dims result `out`. */
function reduceValues(x: TensorType, axes: readonly number[], out: readonly Dim[], combine: Combine): Dim[] | undefined {
  const count = smallCount(out);
  if (x.value === undefined || count === undefined || !isStatic(x.shape)) return undefined;
  const outStrides = stridesOf(out as readonly number[]);
  const result = new Array<Dim | undefined>(count).fill(undefined);
  forEachCoordinate(x.shape, (coords, flat) => {
    let at = 0;
    coords.forEach((c, axis) => (at += axes.includes(axis) ? 0 : c * outStrides[axis]!));
    const v = x.value![flat] ?? null;
    result[at] = result[at] === undefined ? v : combine(result[at]!, v);
  });
  // An output element no input reaches (a reduced dim of 0) has no contents we evaluate.
  return result.includes(undefined) ? undefined : (result as Dim[]);
}

/** A Reduce* rule; `combine` evaluates known contents. */
function reduce(combine?: Combine): ShapeRule {
  return (ctx) => {
    const x = ctx.tensor(0);
    const dtype = x?.dtype ?? 0;
    if (x?.shape === undefined) return [tensorOf(dtype)];
    const dims = x.shape;
    const keep = ctx.int('keepdims', 1) !== 0;
    const axes = listArgument(ctx, 'axes', 1);
    if (axes === null) {
      // Each dim is kept or becomes 1 (or goes): only the dims of 1 are sure.
      if (keep) return [tensorOf(dtype, dims.map((d) => (d === 1 ? 1 : null)))];
      const count = listLength(ctx, 1);
      if (count !== undefined && count > dims.length) return ctx.fail(`${count} axes to reduce in rank ${dims.length}`);
      return [tensorOf(dtype, count === undefined || count === 0 ? undefined : new Array<Dim>(dims.length - count).fill(null))];
    }
    const empty = axes === undefined || axes.length === 0;
    if (empty && ctx.int('noop_with_empty_axes', 0) !== 0) return [tensorOf(dtype, dims, combine && x.value)];
    const reduced = empty ? dims.map((_, i) => i) : normalizeAxes(ctx, axes, dims.length);
    const kept = dims.map((d, i) => (reduced.includes(i) ? 1 : d));
    const value = combine && reduceValues(x, reduced, kept, combine);
    return [tensorOf(dtype, keep ? kept : dims.filter((_, i) => !reduced.includes(i)), value)];
  };
}

/** ArgMax, ArgMin: int64 indices over one axis (0 by default), kept as a dim of 1 unless keepdims is 0. */
const argReduce: ShapeRule = (ctx) => {
  const dims = ctx.shape(0);
  if (dims === undefined) return [tensorOf(DataType.INT64)];
  const axis = axisAttribute(ctx, 'axis', 0, dims.length);
  const keep = ctx.int('keepdims', 1) !== 0;
  return [tensorOf(DataType.INT64, keep ? dims.map((d, i) => (i === axis ? 1 : d)) : dims.filter((_, i) => i !== axis))];
};

export const rules: Record<string, ShapeRule> = {
  ReduceSum: reduce(addDims),
  ReduceProd: reduce(mulDims),
  ReduceMax: reduce(numeric(Math.max)),
  ReduceMin: reduce(numeric(Math.min)),
  ReduceMean: reduce(),
  ReduceL1: reduce(),
  ReduceL2: reduce(),
  ReduceLogSum: reduce(),
  ReduceLogSumExp: reduce(),
  ReduceSumSquare: reduce(),
  ArgMax: argReduce,
  ArgMin: argReduce,
};
