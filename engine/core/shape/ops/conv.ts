/** Convolutions: Conv and its integer, quantized, deformable and fused forms, and ConvTranspose. */
import { DataType } from '../../onnx/data-types.js';
import type { NodeContext, ShapeRule } from '../context.js';
import { mulDims } from '../dims.js';
import { tensorOf, type Dim } from '../types.js';
import { transposedWindowDims, windowOutputDims } from './window.js';

/** Input positions of X and W, and where the output's element type comes from. */
interface ConvInputs {
  readonly x: number;
  readonly w: number;
  readonly dtype: (ctx: NodeContext) => number;
}

function checkRanks(ctx: NodeContext, x: readonly Dim[], w: readonly Dim[] | undefined): void {
  if (x.length < 3) ctx.fail(`X has rank ${x.length}; a convolution needs N x C x spatial dims`);
  if (w !== undefined && w.length !== x.length) ctx.fail(`W has rank ${w.length}; X has rank ${x.length}`);
}

/** Kernel sizes: the kernel_shape attribute, else W's spatial dims. */
function kernelOf(ctx: NodeContext, x: readonly Dim[], w: readonly Dim[] | undefined): readonly Dim[] {
  return ctx.ints('kernel_shape') ?? w?.slice(2) ?? new Array<Dim>(x.length - 2).fill(null);
}

function convolution({ x: xi, w: wi, dtype }: ConvInputs): ShapeRule {
  return (ctx) => {
    const x = ctx.shape(xi);
    const w = ctx.shape(wi);
    const type = dtype(ctx);
    if (x === undefined) return [tensorOf(type)];
    checkRanks(ctx, x, w);
    const group = ctx.int('group', 1);
    if (group <= 0) return ctx.fail(`group must be positive, got ${group}`);
    const channels = x[1];
    const perGroup = w?.[1];
    if (typeof channels === 'number' && typeof perGroup === 'number' && channels !== perGroup * group) {
      return ctx.fail(`X has ${channels} channels; W takes ${perGroup} per group in ${group} group(s)`);
    }
    const spatial = windowOutputDims(ctx, x.slice(2), kernelOf(ctx, x, w), false);
    return [tensorOf(type, [x[0]!, w?.[0] ?? null, ...spatial])];
  };
}

const sameTypeAsX = (ctx: NodeContext): number => ctx.dtype(0);
const conv = convolution({ x: 0, w: 1, dtype: sameTypeAsX });

/** DeformConv: a convolution whose output spatial dims also show in the offset input's. */
const deformConv: ShapeRule = (ctx) => {
  const [out] = conv(ctx);
  const offset = ctx.shape(2);
  if (out?.kind !== 'tensor' || out.shape === undefined || offset === undefined || offset.length !== out.shape.length) return [out];
  return [tensorOf(out.dtype, out.shape.map((d, i) => (d === null && i >= 2 ? offset[i]! : d)))];
};

/** Spatial output dims from ConvTranspose's output_shape attribute, which overrides pads. */
function explicitOutputShape(ctx: NodeContext, spatialRank: number): number[] | undefined {
  const given = ctx.ints('output_shape');
  if (given !== undefined && given.length !== spatialRank) return ctx.fail(`output_shape has ${given.length} values for ${spatialRank} spatial axes`);
  return given;
}

const convTranspose: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const w = ctx.shape(1);
  if (x === undefined) return [tensorOf(ctx.dtype(0))];
  checkRanks(ctx, x, w);
  const group = ctx.int('group', 1);
  if (group <= 0) return ctx.fail(`group must be positive, got ${group}`);
  if (typeof x[1] === 'number' && typeof w?.[0] === 'number' && x[1] !== w[0]) {
    return ctx.fail(`X has ${x[1]} channels; W expects ${w[0]}`);
  }
  const spatial = explicitOutputShape(ctx, x.length - 2) ?? transposedWindowDims(ctx, x.slice(2), kernelOf(ctx, x, w));
  return [tensorOf(ctx.dtype(0), [x[0]!, mulDims(w?.[1] ?? null, group), ...spatial])];
};

export const rules: Record<string, ShapeRule> = {
  Conv: conv,
  ConvInteger: convolution({ x: 0, w: 1, dtype: () => DataType.INT32 }),
  // QLinearConv(x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B): y is y_zero_point's type.
  QLinearConv: convolution({ x: 0, w: 3, dtype: (ctx) => ctx.dtype(7) }),
  DeformConv: deformConv,
  ConvTranspose: convTranspose,
  // Conv with an activation (and an optional sum input Z) fused in by ONNX Runtime.
  'com.microsoft:FusedConv': conv,
};
