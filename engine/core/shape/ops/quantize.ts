/** Linear quantization: QuantizeLinear, DequantizeLinear (per tensor, per axis, blocked), DynamicQuantizeLinear. */
import { DataType } from '../../onnx/data-types.js';
import type { NodeContext, ShapeRule } from '../context.js';
import { broadcastShapes, ceilDivDims, normalizeAxis } from '../dims.js';
import { tensorOf, type Dim } from '../types.js';
import { likeInput } from './normalization.js';

/**
 * Checks the scale's shape against X: a scalar (per tensor), a 1-D tensor of X's `axis` dim (per
 * axis), or X's shape with ceil(dim / block_size) at `axis` (blocked).
 */
function checkScale(ctx: NodeContext, x: readonly Dim[] | undefined, scale: readonly Dim[] | undefined): void {
  if (x === undefined || scale === undefined || scale.length === 0 || (scale.length === 1 && scale[0] === 1)) return;
  const axis = normalizeAxis(ctx.int('axis', 1), x.length);
  if (axis === undefined) return ctx.fail(`axis ${ctx.int('axis', 1)} is out of range for rank ${x.length}`);
  const block = ctx.int('block_size', 0);
  const expected = block > 0 ? x.map((d, i) => (i === axis ? ceilDivDims(d, block) : d)) : [x[axis]!];
  const mismatch = scale.length !== expected.length || scale.some((d, i) => typeof d === 'number' && typeof expected[i] === 'number' && d !== expected[i]);
  if (mismatch) ctx.fail(`scale of shape [${scale.join(', ')}] does not fit X at axis ${axis}${block > 0 ? ` in blocks of ${block}` : ''}`);
}

/** QuantizeLinear: y like x, of the zero point's type, else output_dtype, else uint8. */
const quantizeLinear: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  checkScale(ctx, x, ctx.shape(1));
  const requested = ctx.int('output_dtype', 0);
  const dtype = ctx.has(2) ? ctx.dtype(2) || requested : requested || DataType.UINT8;
  if (ctx.has(2) && requested !== 0 && ctx.dtype(2) !== 0 && requested !== ctx.dtype(2)) {
    return ctx.fail(`output_dtype ${requested} differs from the zero point's type ${ctx.dtype(2)}`);
  }
  return [tensorOf(dtype, x)];
};

/**
 * DequantizeLinear: y like x, of output_dtype when set, else of the scale's type where the
 * schema ties them (ONNX opset 19+, ONNX Runtime's contrib op), else float.
 */
function dequantizeLinear(scaleTyped: (ctx: NodeContext) => boolean): ShapeRule {
  return (ctx) => {
    const x = ctx.shape(0);
    checkScale(ctx, x, ctx.shape(1));
    const dtype = ctx.int('output_dtype', 0) || (scaleTyped(ctx) ? ctx.dtype(1) : DataType.FLOAT);
    return [tensorOf(dtype, x)];
  };
}

/** ONNX Runtime's QLinearAdd and QLinearMul: A (input 0) and B (input 3) broadcast, of A's type. */
const qlinearBinary: ShapeRule = (ctx) => {
  const a = ctx.shape(0);
  const b = ctx.shape(3);
  if (a === undefined || b === undefined) return [tensorOf(ctx.dtype(0))];
  const shape = broadcastShapes(a, b);
  if (typeof shape === 'string') return ctx.fail(shape);
  return [tensorOf(ctx.dtype(0), shape)];
};

/** DynamicQuantizeLinear: y (uint8, like x), y_scale (float scalar), y_zero_point (uint8 scalar). */
const dynamicQuantizeLinear: ShapeRule = (ctx) => [tensorOf(DataType.UINT8, ctx.shape(0)), tensorOf(DataType.FLOAT, []), tensorOf(DataType.UINT8, [])];

export const rules: Record<string, ShapeRule> = {
  QuantizeLinear: quantizeLinear,
  DequantizeLinear: dequantizeLinear((ctx) => ctx.opset >= 19),
  DynamicQuantizeLinear: dynamicQuantizeLinear,
  'com.microsoft:QuantizeLinear': quantizeLinear,
  'com.microsoft:DequantizeLinear': dequantizeLinear(() => true),
  'com.microsoft:QLinearAdd': qlinearBinary,
  'com.microsoft:QLinearMul': qlinearBinary,
  'com.microsoft:QLinearLeakyRelu': likeInput,
  'com.microsoft:QLinearSigmoid': likeInput,
};
