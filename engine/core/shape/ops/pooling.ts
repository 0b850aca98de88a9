/** Pooling: windowed (Max, Average, Lp), global, region-of-interest pools, and MaxUnpool. */
import { DataType } from '../../onnx/data-types.js';
import type { NodeContext, ShapeRule } from '../context.js';
import { tensorOf, type Dim } from '../types.js';
import { channelsFirst, channelsLast, transposedWindowDims, windowOutputDims } from './window.js';

function spatialInput(ctx: NodeContext): readonly Dim[] | undefined {
  const x = ctx.shape(0);
  if (x !== undefined && x.length < 3) ctx.fail(`X has rank ${x.length}; pooling needs N x C x spatial dims`);
  return x;
}

function requiredKernel(ctx: NodeContext): number[] {
  return ctx.ints('kernel_shape') ?? ctx.fail('kernel_shape is required');
}

/** Runs NCHW shape logic on an NHWC input when channels_last is set (ONNX Runtime's quantized pools). */
function inLayout(ctx: NodeContext, x: readonly Dim[], shapeOf: (x: readonly Dim[]) => Dim[]): Dim[] {
  return ctx.int('channels_last', 0) === 0 ? shapeOf(x) : channelsLast(shapeOf(channelsFirst(x)));
}

/** MaxPool, AveragePool, LpPool: Y of the window output size; MaxPool's Indices alike, int64. */
function windowPool(withIndices: boolean): ShapeRule {
  return (ctx) => {
    const x = spatialInput(ctx);
    const shape = x && inLayout(ctx, x, (nchw) => [nchw[0]!, nchw[1]!, ...windowOutputDims(ctx, nchw.slice(2), requiredKernel(ctx), true)]);
    const y = tensorOf(ctx.dtype(0), shape);
    return withIndices ? [y, tensorOf(DataType.INT64, shape)] : [y];
  };
}

/** Global pools keep N and C and reduce every spatial axis to 1. */
const globalPool: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (x !== undefined && x.length < 2) return ctx.fail(`X has rank ${x.length}; global pooling needs N x C`);
  return [tensorOf(ctx.dtype(0), x && inLayout(ctx, x, (nchw) => nchw.map((d, i) => (i < 2 ? d : 1))))];
};

/** Output of ROI pools: (num_rois, C, height, width). */
function roiOutput(ctx: NodeContext, rois: Dim, height: number, width: number): readonly Dim[] | undefined {
  const x = ctx.shape(0);
  if (x !== undefined && x.length !== 4) ctx.fail(`X has rank ${x.length}; N x C x H x W expected`);
  return [rois, x?.[1] ?? null, height, width];
}

const maxRoiPool: ShapeRule = (ctx) => {
  const pooled = ctx.ints('pooled_shape') ?? ctx.fail('pooled_shape is required');
  if (pooled.length !== 2 || pooled.some((p) => p <= 0)) return ctx.fail(`pooled_shape must be two positive sizes, got [${pooled.join(', ')}]`);
  return [tensorOf(ctx.dtype(0), roiOutput(ctx, ctx.shape(1)?.[0] ?? null, pooled[0]!, pooled[1]!))];
};

const roiAlign: ShapeRule = (ctx) => {
  const rois = ctx.shape(1)?.[0] ?? ctx.shape(2)?.[0] ?? null;
  return [tensorOf(ctx.dtype(0), roiOutput(ctx, rois, ctx.int('output_height', 1), ctx.int('output_width', 1)))];
};

/** MaxUnpool: the output_shape input when given (its contents, or its length for the rank), else the inverse of the pool's window. */
const maxUnpool: ShapeRule = (ctx) => {
  const x = spatialInput(ctx);
  const dtype = ctx.dtype(0);
  if (ctx.has(2)) {
    const given = ctx.values(2);
    if (given !== undefined) return [tensorOf(dtype, given)];
    const rank = ctx.shape(2)?.[0] ?? x?.length;
    return [tensorOf(dtype, typeof rank === 'number' ? new Array<Dim>(rank).fill(null) : undefined)];
  }
  if (x === undefined) return [tensorOf(dtype)];
  return [tensorOf(dtype, [x[0]!, x[1]!, ...transposedWindowDims(ctx, x.slice(2), requiredKernel(ctx))])];
};

export const rules: Record<string, ShapeRule> = {
  MaxPool: windowPool(true),
  AveragePool: windowPool(false),
  LpPool: windowPool(false),
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  GlobalLpPool: globalPool,
  MaxRoiPool: maxRoiPool,
  RoiAlign: roiAlign,
  MaxUnpool: maxUnpool,
  // X, x_scale, x_zero_point, y_scale, y_zero_point; NHWC when channels_last is set.
  'com.microsoft:QLinearAveragePool': windowPool(false),
  'com.microsoft:QLinearGlobalAveragePool': globalPool,
};
