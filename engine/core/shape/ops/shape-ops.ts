/**
 * Ops that read or make shapes (Shape, Size, Constant, ConstantOfShape, Range, EyeLike) and
 * views that only change the shape (Reshape, Flatten, Squeeze, Unsqueeze, Expand). Contents are
 * evaluated where shape arithmetic in exported models needs them.
 */
import { DataType } from '../../onnx/data-types.js';
import type { NodeContext, ShapeRule } from '../context.js';
import { broadcastShapes, ceilDivDims, mulDims, productOfDims, subDims } from '../dims.js';
import { tensorOf, type Dim, type TensorType } from '../types.js';
import { listArgument, listLength, normalizeAxes, rearrange, smallCount } from './arguments.js';
import { castNumber, isIntegerType } from './values.js';

/** Shape: the dims of the input as int64 contents, sliced by start/end (opset 15), clamped to the rank. */
const shape: ShapeRule = (ctx) => {
  const dims = ctx.shape(0);
  if (dims === undefined) return [tensorOf(DataType.INT64, [null])];
  const rank = dims.length;
  const clamp = (v: number): number => Math.min(rank, Math.max(0, v < 0 ? v + rank : v));
  const start = clamp(ctx.int('start', 0));
  const end = clamp(ctx.int('end', rank));
  const value = dims.slice(start, Math.max(start, end));
  return [tensorOf(DataType.INT64, [value.length], value)];
};

const size: ShapeRule = (ctx) => {
  const dims = ctx.shape(0);
  return [tensorOf(DataType.INT64, [], dims === undefined ? undefined : [productOfDims(dims)])];
};

function listConstant(dtype: number, values: readonly number[], scalar: boolean): TensorType {
  const contents = smallCount([values.length]) === undefined ? undefined : values;
  return tensorOf(dtype, scalar ? [] : [values.length], contents);
}

/** Constant: whichever value attribute is set (value, sparse_value, value_float(s), value_int(s), value_string(s)). */
const constant: ShapeRule = (ctx) => {
  const t = ctx.attributeTensor('value');
  if (t !== undefined) return [ctx.constantOf(t)];
  const sparse = ctx.attribute('sparse_value')?.sparseTensor;
  if (sparse !== undefined) return [tensorOf(sparse.values?.dataType ?? 0, sparse.dims)];
  if (ctx.hasAttribute('value_float')) return [listConstant(DataType.FLOAT, [ctx.float('value_float', 0)], true)];
  if (ctx.hasAttribute('value_int')) return [listConstant(DataType.INT64, [ctx.int('value_int', 0)], true)];
  const floats = ctx.floats('value_floats');
  if (floats !== undefined) return [listConstant(DataType.FLOAT, floats, false)];
  const ints = ctx.ints('value_ints');
  if (ints !== undefined) return [listConstant(DataType.INT64, ints, false)];
  if (ctx.hasAttribute('value_string')) return [tensorOf(DataType.STRING, [])];
  const strings = ctx.strings('value_strings');
  if (strings !== undefined) return [tensorOf(DataType.STRING, [strings.length])];
  return ctx.fail('Constant has no value attribute');
};

/**
 * Dims given as the contents of a 1-D input (ConstantOfShape, Expand, Reshape's shape): the
 * contents when known (possibly symbolic), else as many unknown dims as the input's length.
 */
function dimsInput(ctx: NodeContext, index: number): readonly Dim[] | undefined {
  const values = ctx.values(index);
  if (values !== undefined) return values;
  const length = listLength(ctx, index);
  return length === undefined ? undefined : new Array<Dim>(length).fill(null);
}

/** ConstantOfShape: dims from the input's contents, element type and fill value from the `value` attribute (float 0 by default). */
const constantOfShape: ShapeRule = (ctx) => {
  const t = ctx.attributeTensor('value');
  const fill = t === undefined ? tensorOf(DataType.FLOAT, [1], [0]) : ctx.constantOf(t);
  const dims = dimsInput(ctx, 0);
  const count = dims === undefined ? undefined : smallCount(dims);
  const element = fill.value?.[0];
  const value = count === undefined || element === undefined ? undefined : new Array<Dim>(count).fill(element);
  return [tensorOf(fill.dtype, dims, value)];
};

/** Range: max(ceil((limit - start) / delta), 0) elements; symbolic for a symbolic limit and a positive delta. */
const range: ShapeRule = (ctx) => {
  const dtype = ctx.dtype(0) || ctx.dtype(1) || ctx.dtype(2);
  const scalar = (i: number): Dim => ctx.values(i)?.[0] ?? null;
  const [start, limit, delta] = [scalar(0), scalar(1), scalar(2)];
  if (typeof start === 'number' && typeof limit === 'number' && typeof delta === 'number') {
    if (delta === 0) return ctx.fail('Range delta is 0');
    const diff = castNumber(limit - start, dtype);
    const quotient = Math.ceil(diff / delta);
    if (!isIntegerType(dtype)) {
      // ONNX Runtime divides in double, ONNX's function body in float32: where they disagree the size is not known.
      // Float contents accumulate rounding differently per runtime, so they are not listed.
      const float32 = Math.ceil(Math.fround(Math.fround(diff) / Math.fround(delta)));
      return [tensorOf(dtype, [quotient === float32 ? Math.max(quotient, 0) : null])];
    }
    const count = Math.max(quotient, 0);
    const value = smallCount([count]) === undefined ? undefined : Array.from({ length: count }, (_, i) => start + i * delta);
    return [tensorOf(dtype, [count], value)];
  }
  // Shape arithmetic ranges over symbolic sizes (Range(0, seq_len, 1)); the expression assumes limit >= start.
  const count = typeof delta === 'number' && delta > 0 && Number.isInteger(delta) ? ceilDivDims(subDims(limit, start), delta) : null;
  return [tensorOf(dtype, [count])];
};

const eyeLike: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (x !== undefined && x.length !== 2) return ctx.fail(`EyeLike needs a 2-D input, got rank ${x.length}`);
  return [tensorOf(ctx.int('dtype', ctx.dtype(0)), x)];
};

function stripParens(s: string): string {
  if (!s.startsWith('(') || !s.endsWith(')')) return s;
  let depth = 0;
  for (let i = 0; i < s.length - 1; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    if (depth === 0) return s; // the first parenthesis closes before the end: (a)+(b)
  }
  return s.slice(1, -1);
}

/** Splits an expression at its top-level `*` (outside parentheses). */
function productTerms(expr: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < expr.length; i++) {
    if (expr[i] === '(') depth++;
    else if (expr[i] === ')') depth--;
    else if (expr[i] === '*' && depth === 0) {
      terms.push(expr.slice(from, i));
      from = i + 1;
    }
  }
  terms.push(expr.slice(from));
  return terms;
}

/** A dim as a numeric coefficient times symbolic factors, flattening products written by mulDims. */
function factorize(d: Dim): { coefficient: number; symbols: string[] } | undefined {
  if (d === null) return undefined;
  if (typeof d === 'number') return { coefficient: d, symbols: [] };
  const expr = stripParens(d);
  const terms = productTerms(expr);
  if (terms.length === 1) return /^-?\d+$/.test(expr) ? { coefficient: Number(expr), symbols: [] } : { coefficient: 1, symbols: [expr] };
  let coefficient = 1;
  const symbols: string[] = [];
  for (const term of terms) {
    const f = factorize(term)!;
    coefficient *= f.coefficient;
    symbols.push(...f.symbols);
  }
  return { coefficient, symbols };
}

/**
 * The size Reshape's -1 stands for: the input's element count over the other target dims.
 * Symbolic factors cancel by name (batch*seq*768 over batch*12 is seq*64); null when a factor
 * is unknown or does not cancel. Fails when numbers alone cannot divide.
 */
function inferredDim(ctx: NodeContext, input: readonly Dim[], others: readonly Dim[]): Dim {
  const inFactors = input.map(factorize);
  const outFactors = others.map(factorize);
  if (inFactors.includes(undefined) || outFactors.includes(undefined)) return null;
  const symbols = inFactors.flatMap((f) => f!.symbols);
  let inCoefficient = 1;
  for (const f of inFactors) inCoefficient *= f!.coefficient;
  let outCoefficient = 1;
  for (const f of outFactors) {
    outCoefficient *= f!.coefficient;
    for (const s of f!.symbols) {
      const at = symbols.indexOf(s);
      if (at < 0) return null;
      symbols.splice(at, 1);
    }
  }
  if (outCoefficient === 0) return null;
  if (inCoefficient % outCoefficient !== 0) {
    if (symbols.length === 0) ctx.fail(`cannot reshape ${inCoefficient} elements into a multiple of ${outCoefficient}`);
    return null;
  }
  return symbols.reduce<Dim>((acc, s) => mulDims(acc, s), inCoefficient / outCoefficient);
}

/** Reshape: 0 copies the input dim (unless allowzero, opset 14), -1 takes what is left. */
const reshape: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  const dtype = x?.dtype ?? 0;
  const target = ctx.has(1) ? dimsInput(ctx, 1) : ctx.ints('shape');
  if (target === undefined) return [tensorOf(dtype)];
  const input = x?.shape;
  const allowZero = ctx.int('allowzero', 0) !== 0;
  const copied = new Set<number>();
  let inferAt = -1;
  const out = target.map((d, i): Dim => {
    if (d === 0 && !allowZero) {
      copied.add(i);
      if (input !== undefined && i >= input.length) ctx.fail(`shape copies dim ${i} (0) but the input has rank ${input.length}`);
      return input?.[i] ?? null;
    }
    if (d === -1) {
      if (inferAt >= 0) ctx.fail('shape has more than one -1');
      inferAt = i;
      return null;
    }
    if (typeof d === 'number' && d < 0) ctx.fail(`shape has a negative dim ${d}`);
    return d;
  });
  if (input !== undefined) {
    // A dim copied by 0 cancels against itself, even when unknown.
    const rest = input.filter((_, i) => !copied.has(i));
    const others = out.filter((_, i) => i !== inferAt && !copied.has(i));
    if (inferAt >= 0) out[inferAt] = inferredDim(ctx, rest, others);
    else {
      const have = productOfDims(rest);
      const want = productOfDims(others);
      if (typeof have === 'number' && typeof want === 'number' && have !== want) ctx.fail(`cannot reshape ${have} elements into ${want}`);
    }
  }
  return [tensorOf(dtype, out, x?.value)];
};

/** Flatten: a matrix of the dims before `axis` times the dims from it on. */
const flatten: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  if (x?.shape === undefined) return [tensorOf(x?.dtype ?? 0, [null, null])];
  const rank = x.shape.length;
  const axis = ctx.int('axis', 1);
  const at = axis < 0 ? axis + rank : axis;
  if (at < 0 || at > rank) return ctx.fail(`axis ${axis} is out of range for rank ${rank}`);
  return [tensorOf(x.dtype, [productOfDims(x.shape.slice(0, at)), productOfDims(x.shape.slice(at))], x.value)];
};

/** Squeeze: drops the listed axes (attribute before opset 13, input from it), or every dim of 1. */
const squeeze: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  if (x === undefined) return [undefined];
  const axes = listArgument(ctx, 'axes', 1);
  if (x.shape === undefined) return [tensorOf(x.dtype, undefined, x.value)];
  const dims = x.shape;
  if (axes === null) {
    const count = listLength(ctx, 1);
    if (count === undefined) return [tensorOf(x.dtype, undefined, x.value)];
    if (count > dims.length) return ctx.fail(`${count} axes to squeeze from rank ${dims.length}`);
    // Only dims that may be 1 can be squeezed: when there are exactly as many as axes, they go.
    const candidates = dims.filter((d) => typeof d !== 'number' || d === 1).length;
    return [tensorOf(x.dtype, candidates === count ? dims.filter((d) => typeof d === 'number' && d !== 1) : new Array<Dim>(dims.length - count).fill(null), x.value)];
  }
  if (axes === undefined || axes.length === 0) {
    // A dim not known to be 1 or not 1 might be dropped or kept: the rank is unknown.
    if (dims.some((d) => typeof d !== 'number')) return [tensorOf(x.dtype, undefined, x.value)];
    return [tensorOf(x.dtype, dims.filter((d) => d !== 1), x.value)];
  }
  const drop = normalizeAxes(ctx, axes, dims.length);
  for (const a of drop) if (typeof dims[a] === 'number' && dims[a] !== 1) ctx.fail(`cannot squeeze axis ${a} of size ${dims[a]}`);
  return [tensorOf(x.dtype, dims.filter((_, i) => !drop.includes(i)), x.value)];
};

/** Unsqueeze: inserts dims of 1 at the listed axes of the output (attribute before opset 13, input from it). */
const unsqueeze: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  if (x === undefined) return [undefined];
  const axes = listArgument(ctx, 'axes', 1);
  if (axes === undefined) return ctx.fail('Unsqueeze needs axes');
  if (x.shape === undefined) return [tensorOf(x.dtype, undefined, x.value)];
  if (axes === null) {
    const count = listLength(ctx, 1);
    return [tensorOf(x.dtype, count === undefined ? undefined : new Array<Dim>(x.shape.length + count).fill(null), x.value)];
  }
  const rank = x.shape.length + axes.length;
  const insert = normalizeAxes(ctx, axes, rank);
  const rest = [...x.shape];
  const out = Array.from({ length: rank }, (_, i): Dim => (insert.includes(i) ? 1 : rest.shift()!));
  return [tensorOf(x.dtype, out, x.value)];
};

/** Expand: broadcast of the input against the shape given as contents; a target dim of 1 keeps the input's. */
const expand: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  const dtype = x?.dtype ?? 0;
  const target = dimsInput(ctx, 1);
  if (x?.shape === undefined || target === undefined) return [tensorOf(dtype)];
  const out = broadcastShapes(x.shape, target);
  if (typeof out === 'string') return ctx.fail(out);
  const inShape = x.shape;
  const offset = out.length - inShape.length;
  return [tensorOf(dtype, out, rearrange(x, out, (coords) => inShape.map((d, j) => (d === 1 ? 0 : coords[j + offset]!))))];
};

export const rules: Record<string, ShapeRule> = {
  Shape: shape,
  Size: size,
  Constant: constant,
  ConstantOfShape: constantOfShape,
  Range: range,
  EyeLike: eyeLike,
  Reshape: reshape,
  Flatten: flatten,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Expand: expand,
};
