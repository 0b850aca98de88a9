/**
 * Ops that cut, join and rearrange tensors: Concat, Split, Slice, Transpose, Tile, Pad,
 * CenterCropPad, DepthToSpace, SpaceToDepth, and the shape-preserving CumSum, CumProd, Trilu,
 * ReverseSequence, TensorScatter and BitCast. Contents are evaluated for the ones shape
 * arithmetic uses.
 */
import { dataTypeInfo, dataTypeName } from '../../onnx/data-types.js';
import type { NodeContext, ShapeRule } from '../context.js';
import { addDims, ceilDivDims, floorDivDims, mulDims, subDims } from '../dims.js';
import { isStatic, tensorOf, type Dim, type TensorType } from '../types.js';
import { axisAttribute, likeInput, listArgument, listLength, normalizeAxes, rearrange, smallCount } from './arguments.js';
import { unifyDims } from './merge.js';

/** Concat: dims other than `axis` agree; the axis dim is the sum. Opset 1 defaulted axis to 1. */
const concat: ShapeRule = (ctx) => {
  const inputs = Array.from({ length: ctx.inputCount }, (_, i) => ctx.tensor(i));
  const dtype = inputs.find((t) => t !== undefined && t.dtype !== 0)?.dtype ?? 0;
  const shapes = inputs.map((t) => t?.shape);
  const known = shapes.filter((s): s is readonly Dim[] => s !== undefined);
  if (known.length === 0) return [tensorOf(dtype)];
  const rank = known[0]!.length;
  if (known.some((s) => s.length !== rank)) return ctx.fail(`inputs have different ranks (${known.map((s) => s.length).join(', ')})`);
  if (rank === 0) return ctx.fail('Concat cannot join scalars');
  const axis = normalizeAxes(ctx, [ctx.int('axis') ?? (ctx.opset < 4 ? 1 : ctx.fail('Concat needs an axis'))], rank)[0]!;
  const out = Array.from({ length: rank }, (_, i): Dim => {
    if (i !== axis) return unifyDims(ctx, known.map((s) => s[i]!), `dim ${i} of the inputs`);
    return known.length < shapes.length ? null : known.reduce<Dim>((sum, s) => addDims(sum, s[i]!), 0);
  });
  return [tensorOf(dtype, out, concatValues(inputs, out, axis))];
};

/** Contents of a concatenation along `axis`, when every input's are known and the result is small. */
function concatValues(inputs: readonly (TensorType | undefined)[], out: readonly Dim[], axis: number): Dim[] | undefined {
  if (smallCount(out) === undefined) return undefined;
  const parts: { value: readonly Dim[]; chunk: number }[] = [];
  for (const t of inputs) {
    if (t?.value === undefined || !isStatic(t.shape)) return undefined;
    parts.push({ value: t.value, chunk: t.shape.slice(axis).reduce((a, b) => a * b, 1) });
  }
  const outer = (out.slice(0, axis) as number[]).reduce((a, b) => a * b, 1);
  const result: Dim[] = [];
  for (let o = 0; o < outer; o++) for (const p of parts) result.push(...p.value.slice(o * p.chunk, (o + 1) * p.chunk));
  return result;
}

/**
 * Equal parts of `d` for `n` outputs. Before opset 18 the split must be even; `num_outputs`
 * (opset 18) lets the last part be smaller, each other part being ceil(d / n).
 */
function equalParts(ctx: NodeContext, d: Dim, n: number, unevenAllowed: boolean): Dim[] {
  if (typeof d === 'number' && d % n === 0) return new Array<Dim>(n).fill(d / n);
  if (!unevenAllowed) {
    if (typeof d === 'number') ctx.fail(`cannot split ${d} into ${n} equal parts`);
    return new Array<Dim>(n).fill(floorDivDims(d, n));
  }
  const chunk = ceilDivDims(d, n);
  const last = subDims(d, mulDims(chunk, n - 1));
  if (typeof last === 'number' && last < 0) ctx.fail(`cannot split ${d} into ${n} parts of ${chunk}`);
  return [...new Array<Dim>(n - 1).fill(chunk), last];
}

/**
 * Split: sizes from the `split` input (opset 13, also allowed by opset 1) or attribute (opsets
 * 2-12); else equal parts, one per output or `num_outputs` (opset 18).
 */
const split: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  const n = ctx.node.output.length;
  const dtype = x?.dtype ?? 0;
  if (x?.shape === undefined) return new Array(n).fill(tensorOf(dtype)) as TensorType[];
  const dims = x.shape;
  const axis = axisAttribute(ctx, 'axis', 0, dims.length);
  const d = dims[axis]!;
  const sizes = listArgument(ctx, 'split', 1);
  let parts: Dim[];
  if (sizes === null) parts = new Array<Dim>(n).fill(null);
  else if (sizes !== undefined && sizes.length > 0) {
    if (sizes.length !== n) return ctx.fail(`split has ${sizes.length} sizes for ${n} outputs`);
    const total = sizes.reduce((a, b) => a + b, 0);
    if (typeof d === 'number' && total !== d) return ctx.fail(`split sizes add up to ${total}, not ${d}`);
    parts = sizes;
  } else {
    const numOutputs = ctx.int('num_outputs');
    if (numOutputs !== undefined && numOutputs !== n) return ctx.fail(`num_outputs is ${numOutputs} but the node has ${n} outputs`);
    parts = equalParts(ctx, d, n, numOutputs !== undefined);
  }
  let offset = 0;
  return parts.map((part) => {
    const shape = dims.map((dim, i) => (i === axis ? part : dim));
    const start = offset;
    offset = typeof part === 'number' ? offset + part : Number.NaN;
    const value = Number.isNaN(start) ? undefined : rearrange(x, shape, (c) => c.map((v, i) => (i === axis ? v + start : v)));
    return tensorOf(dtype, shape, value);
  });
};

/** Ends at or beyond this mean "to the end" (exporters write INT32_MAX or INT64_MAX). */
const TO_END = 2 ** 31 - 1;

/** A slice bound on an axis of unknown size: an index from the start, or from the end (d - k). */
type Bound = { readonly fromStart: number } | { readonly fromEnd: number };

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Size and first index of a slice of an axis of known size, as ONNX clamps starts and ends. */
function sliceKnown(d: number, start: number, end: number, step: number): { size: number; first: number } {
  const s = start < 0 ? start + d : start;
  const e = end < 0 ? end + d : end;
  if (step > 0) {
    const first = clamp(s, 0, d);
    return { size: Math.max(0, Math.ceil((clamp(e, 0, d) - first) / step)), first };
  }
  const first = clamp(s, 0, d - 1);
  return { size: Math.max(0, Math.ceil((first - clamp(e, -1, d - 1)) / -step)), first };
}

/**
 * Size of a slice of a symbolic (or unknown) axis. Bounds relative to the end make symbolic
 * sizes (x[1:] is d-1, x[-3:-1] is 2) assuming the axis is long enough for them, as exported
 * slicing code does; a bound that clamps against the unknown size (x[:512]) gives null.
 */
function sliceSymbolic(d: Dim, start: number, end: number, step: number): Dim {
  const bound = (v: number, atEnd: Bound, atStart: Bound): Bound => {
    if (v >= TO_END) return atEnd;
    if (v <= -TO_END) return atStart;
    return v < 0 ? { fromEnd: -v } : { fromStart: v };
  };
  const forward = step > 0;
  const s = bound(start, forward ? { fromEnd: 0 } : { fromEnd: 1 }, { fromStart: 0 });
  const e = bound(end, forward ? { fromEnd: 0 } : { fromEnd: 1 }, forward ? { fromStart: 0 } : { fromStart: -1 });
  const [lo, hi] = forward ? [s, e] : [e, s];
  const stride = Math.abs(step);
  if ('fromEnd' in lo && 'fromEnd' in hi) return Math.max(0, Math.ceil((lo.fromEnd - hi.fromEnd) / stride));
  if ('fromStart' in lo && 'fromEnd' in hi) return ceilDivDims(subDims(d, lo.fromStart + hi.fromEnd), stride);
  if ('fromStart' in lo && 'fromStart' in hi && hi.fromStart <= lo.fromStart) return 0;
  return null;
}

/** Slice: starts, ends, axes as attributes before opset 10, then inputs with steps. */
const slice: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  const dtype = x?.dtype ?? 0;
  if (x?.shape === undefined) return [tensorOf(dtype)];
  const dims = x.shape;
  const starts = listArgument(ctx, 'starts', 1);
  const ends = listArgument(ctx, 'ends', 2);
  const axesArg = listArgument(ctx, 'axes', 3);
  const steps = listArgument(ctx, 'steps', 4);
  if (starts === undefined || ends === undefined) return ctx.fail('Slice needs starts and ends');
  // Without axes, starts name the first axes in order.
  const count = starts?.length ?? ends?.length ?? (ctx.has(1) ? listLength(ctx, 1) : undefined);
  if (axesArg === null || (axesArg === undefined && count === undefined)) return [tensorOf(dtype, dims.map(() => null))];
  const axes = normalizeAxes(ctx, axesArg ?? Array.from({ length: count! }, (_, i) => i), dims.length);
  if (starts === null || ends === null || steps === null) return [tensorOf(dtype, dims.map((d, i) => (axes.includes(i) ? null : d)))];
  if (starts.length !== ends.length || starts.length !== axes.length || (steps !== undefined && steps.length !== starts.length)) {
    return ctx.fail('starts, ends, axes and steps must have the same length');
  }
  const out = [...dims];
  const first = dims.map(() => 0);
  const stride = dims.map(() => 1);
  let evaluable = true;
  axes.forEach((axis, i) => {
    const step = steps?.[i] ?? 1;
    if (step === 0) ctx.fail('Slice step is 0');
    const d = dims[axis]!;
    if (typeof d === 'number') {
      const sliced = sliceKnown(d, starts[i]!, ends[i]!, step);
      out[axis] = sliced.size;
      first[axis] = sliced.first;
      stride[axis] = step;
    } else {
      out[axis] = sliceSymbolic(d, starts[i]!, ends[i]!, step);
      evaluable = false;
    }
  });
  const value = evaluable ? rearrange(x, out, (c) => c.map((v, i) => first[i]! + v * stride[i]!)) : undefined;
  return [tensorOf(dtype, out, value)];
};

/** Transpose: dims permuted by `perm` (reversed by default). */
const transpose: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  if (x?.shape === undefined) return [x && tensorOf(x.dtype)];
  const rank = x.shape.length;
  const perm = ctx.ints('perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (perm.length !== rank || normalizeAxes(ctx, perm, rank).some((p, i) => p !== perm[i])) {
    return ctx.fail(`perm [${perm.join(', ')}] is not a permutation of ${rank} axes`);
  }
  const out = perm.map((p) => x.shape![p]!);
  const value = rearrange(x, out, (c) => {
    const source = new Array<number>(rank);
    perm.forEach((p, i) => (source[p] = c[i]!));
    return source;
  });
  return [tensorOf(x.dtype, out, value)];
};

/** Tile: each dim times its repeat count; opset 1 tiled one `axis` by `tiles`, both inputs. */
const tile: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  if (x?.shape === undefined) return [x && tensorOf(x.dtype)];
  const dims = x.shape;
  let repeats: readonly Dim[];
  if (ctx.inputCount === 3) {
    const axis = ctx.numbers(2)?.[0];
    const at = axis === undefined ? undefined : normalizeAxes(ctx, [axis], dims.length)[0];
    const tiles = ctx.values(1)?.[0] ?? null;
    repeats = dims.map((_, i) => (at === undefined ? null : i === at ? tiles : 1));
  } else {
    repeats = ctx.values(1) ?? dims.map(() => null);
    if (repeats.length !== dims.length) return ctx.fail(`repeats has ${repeats.length} entries for rank ${dims.length}`);
  }
  const out = dims.map((d, i) => mulDims(d, repeats[i]!));
  const value = rearrange(x, out, (c) => c.map((v, i) => v % (dims[i] as number)));
  return [tensorOf(x.dtype, out, value)];
};

/**
 * Pad: each dim grows by its begin and end pads (negative pads crop). Pads are the `paddings`
 * attribute in opset 1, `pads` in 2-10, an input from 11; opset 18 adds the `axes` input.
 */
const pad: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  if (x?.shape === undefined) return [x && tensorOf(x.dtype)];
  const dims = x.shape;
  const pads = ctx.ints('paddings') ?? listArgument(ctx, 'pads', 1);
  const axesArg = listArgument(ctx, 'axes', 3);
  if (pads === undefined) return ctx.fail('Pad needs pads');
  if (axesArg === null) return [tensorOf(x.dtype, dims.map(() => null))];
  const axes = axesArg === undefined ? dims.map((_, i) => i) : normalizeAxes(ctx, axesArg, dims.length);
  if (pads === null) return [tensorOf(x.dtype, dims.map((d, i) => (axes.includes(i) ? null : d)))];
  if (pads.length !== 2 * axes.length) return ctx.fail(`pads has ${pads.length} entries for ${axes.length} axes`);
  const out = [...dims];
  axes.forEach((axis, i) => {
    out[axis] = addDims(dims[axis]!, pads[i]! + pads[i + axes.length]!);
    if (typeof out[axis] === 'number' && out[axis] < 0) ctx.fail(`pads crop axis ${axis} below zero`);
  });
  return [tensorOf(x.dtype, out)];
};

/** CenterCropPad: the listed axes (all by default) take the sizes given as contents of `shape`. */
const centerCropPad: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  if (x?.shape === undefined) return [x && tensorOf(x.dtype)];
  const dims = x.shape;
  const axes = normalizeAxes(ctx, ctx.ints('axes') ?? dims.map((_, i) => i), dims.length);
  const sizes = ctx.values(1);
  if (sizes !== undefined && sizes.length !== axes.length) return ctx.fail(`shape has ${sizes.length} entries for ${axes.length} axes`);
  const out = [...dims];
  axes.forEach((axis, i) => (out[axis] = sizes?.[i] ?? null));
  return [tensorOf(x.dtype, out)];
};

/** DepthToSpace and SpaceToDepth: channels traded for spatial size by blocksize squared. */
function blockRearrange(toSpace: boolean): ShapeRule {
  return (ctx) => {
    const x = ctx.tensor(0);
    if (x?.shape === undefined) return [x && tensorOf(x.dtype)];
    if (x.shape.length !== 4) return ctx.fail(`input has rank ${x.shape.length}; N x C x H x W expected`);
    const b = ctx.int('blocksize') ?? ctx.fail('blocksize is required');
    if (b <= 0) return ctx.fail(`blocksize ${b} is not positive`);
    const [n, c, h, w] = x.shape as [Dim, Dim, Dim, Dim];
    const divide = (d: Dim, by: number, what: string): Dim => {
      if (typeof d === 'number' && d % by !== 0) ctx.fail(`${what} ${d} is not a multiple of ${by}`);
      return floorDivDims(d, by);
    };
    const out = toSpace ? [n, divide(c, b * b, 'channels'), mulDims(h, b), mulDims(w, b)] : [n, mulDims(c, b * b), divide(h, b, 'height'), divide(w, b, 'width')];
    return [tensorOf(x.dtype, out)];
  };
}

/** BitCast (opset 26): the input's shape reinterpreted as `to`, which must have the same bit width. */
const bitCast: ShapeRule = (ctx) => {
  const to = ctx.int('to') ?? ctx.fail('BitCast needs to');
  const from = ctx.dtype(0);
  const [a, b] = [dataTypeInfo(from)?.bits, dataTypeInfo(to)?.bits];
  if (a !== undefined && b !== undefined && a !== b) return ctx.fail(`cannot bitcast ${dataTypeName(from)} (${a} bits) to ${dataTypeName(to)} (${b} bits)`);
  return [tensorOf(to, ctx.shape(0))];
};

export const rules: Record<string, ShapeRule> = {
  Concat: concat,
  Split: split,
  Slice: slice,
  Transpose: transpose,
  Tile: tile,
  Pad: pad,
  CenterCropPad: centerCropPad,
  DepthToSpace: blockRearrange(true),
  SpaceToDepth: blockRearrange(false),
  CumSum: (ctx) => [likeInput(ctx)],
  CumProd: (ctx) => [likeInput(ctx)],
  Trilu: (ctx) => [likeInput(ctx)],
  ReverseSequence: (ctx) => [likeInput(ctx)],
  // A KV-cache write: the cache keeps its shape.
  TensorScatter: (ctx) => [likeInput(ctx)],
  BitCast: bitCast,
};
