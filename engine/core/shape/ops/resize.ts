/** Resampling: Resize (opsets 10-19), Upsample (1, 7, 9) and Col2Im. */
import type { NodeContext, ShapeRule } from '../context.js';
import { floorDivDims, mulDims } from '../dims.js';
import { tensorOf, type Dim } from '../types.js';
import { listLength, normalizeAxes } from './arguments.js';

/**
 * floor(d * scale), multiplied in float32 as ONNX and ONNX Runtime do (so 3 * 0.6f is 1, not 2).
 * A symbolic dim scales only by a whole number.
 */
function scaleDim(d: Dim, scale: number): Dim {
  if (typeof d === 'number') return Math.floor(Math.fround(Math.fround(d) * scale));
  if (scale === 1) return d;
  return Number.isInteger(scale) && scale > 0 ? mulDims(d, scale) : null;
}

/** Scales every dim of `dims` at `axes` by `scales` (null when not known), failing on a count mismatch. */
function scaled(ctx: NodeContext, dims: readonly Dim[], axes: readonly number[], scales: readonly number[] | undefined): Dim[] {
  if (scales !== undefined && scales.length !== axes.length) ctx.fail(`scales has ${scales.length} entries for ${axes.length} axes`);
  const out = [...dims];
  axes.forEach((a, i) => (out[a] = scales === undefined ? null : scaleDim(dims[a]!, scales[i]!)));
  return out;
}

/**
 * Sizes adjusted by keep_aspect_ratio_policy (opset 18): one scale, the smallest (not_larger)
 * or largest (not_smaller) of size / dim over the axes, applied to every axis and rounded.
 */
function keepAspectRatio(ctx: NodeContext, dims: readonly Dim[], axes: readonly number[], sizes: readonly Dim[]): readonly Dim[] {
  const policy = ctx.string('keep_aspect_ratio_policy', 'stretch');
  if (policy === 'stretch') return sizes;
  if (policy !== 'not_larger' && policy !== 'not_smaller') return ctx.fail(`unknown keep_aspect_ratio_policy "${policy}"`);
  const inDims = axes.map((a) => dims[a]!);
  if (!inDims.every((d) => typeof d === 'number') || !sizes.every((s) => typeof s === 'number')) return sizes.map(() => null);
  const ratios = axes.map((_, i) => Math.fround((sizes[i] as number) / (inDims[i] as number)));
  const scale = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
  return inDims.map((d) => Math.round(Math.fround(scale * (d as number))));
}

/** True when the optional input is given and not an empty tensor (opset 11 passes empty scales next to sizes). */
function givenList(ctx: NodeContext, index: number): boolean {
  return ctx.has(index) && listLength(ctx, index) !== 0;
}

/** Resize: sizes win when given, else floor(dim * scale); `axes` (opset 18) names the resized axes. Opset 10 had only scales, at input 1. */
const resize: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  const dtype = x?.dtype ?? 0;
  if (x?.shape === undefined) return [tensorOf(dtype)];
  const dims = x.shape;
  const axes = normalizeAxes(ctx, ctx.ints('axes') ?? dims.map((_, i) => i), dims.length);
  const [scalesAt, sizesAt] = ctx.opset < 11 ? [1, -1] : [2, 3];
  if (sizesAt > 0 && givenList(ctx, sizesAt)) {
    const given = ctx.values(sizesAt);
    if (given !== undefined && given.length !== axes.length) return ctx.fail(`sizes has ${given.length} entries for ${axes.length} axes`);
    const sizes = given === undefined ? axes.map(() => null) : keepAspectRatio(ctx, dims, axes, given);
    const out = [...dims];
    axes.forEach((a, i) => (out[a] = sizes[i]!));
    return [tensorOf(dtype, out)];
  }
  if (!givenList(ctx, scalesAt)) return ctx.fail('Resize needs scales or sizes');
  return [tensorOf(dtype, scaled(ctx, dims, axes, ctx.numbers(scalesAt)))];
};

/** Upsample: height_scale and width_scale on N x C x H x W (opset 1), a scales attribute (7), then an input (9). */
const upsample: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  const dtype = x?.dtype ?? 0;
  if (x?.shape === undefined) return [tensorOf(dtype)];
  const dims = x.shape;
  const all = dims.map((_, i) => i);
  if (ctx.hasAttribute('height_scale') || ctx.hasAttribute('width_scale')) {
    if (dims.length !== 4) return ctx.fail(`input has rank ${dims.length}; N x C x H x W expected`);
    return [tensorOf(dtype, scaled(ctx, dims, all, [1, 1, ctx.float('height_scale', 1), ctx.float('width_scale', 1)]))];
  }
  const scales = ctx.has(1) ? ctx.numbers(1) : (ctx.floats('scales') ?? ctx.fail('Upsample needs scales'));
  return [tensorOf(dtype, scaled(ctx, dims, all, scales))];
};

/** Col2Im: [N, C * prod(block_shape), L] back to [N, C, ...image_shape]. */
const col2Im: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const dtype = ctx.dtype(0);
  if (x !== undefined && x.length !== 3) return ctx.fail(`input has rank ${x.length}; N x C*prod(block) x L expected`);
  const image = ctx.values(1) ?? (listLength(ctx, 1) === undefined ? undefined : new Array<Dim>(listLength(ctx, 1)!).fill(null));
  if (image === undefined) return [tensorOf(dtype)];
  const block = ctx.numbers(2);
  const blockSize = block?.reduce((a, b) => a * b, 1);
  const columns = x?.[1] ?? null;
  if (blockSize !== undefined && typeof columns === 'number' && columns % blockSize !== 0) {
    return ctx.fail(`dim 1 (${columns}) is not a multiple of the block size ${blockSize}`);
  }
  const channels = blockSize === undefined || blockSize <= 0 ? null : floorDivDims(columns, blockSize);
  return [tensorOf(dtype, [x?.[0] ?? null, channels, ...image])];
};

export const rules: Record<string, ShapeRule> = {
  Resize: resize,
  Upsample: upsample,
  Col2Im: col2Im,
};
