/** Normalizations: batch, instance, layer, group, RMS, mean-variance, local response. */
import { DataType } from '../../onnx/data-types.js';
import type { ShapeRule } from '../context.js';
import { normalizeAxis } from '../dims.js';
import { tensorOf, type TensorType } from '../types.js';

/** Y like input 0 (shape and dtype), contents dropped. */
export const likeInput: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  return [x === undefined ? undefined : tensorOf(x.dtype, x.shape)];
};

/**
 * BatchNormalization: Y like X. Opset 14+ has running_mean and running_var (training mode);
 * opsets before 14 have mean, var, saved_mean and saved_var. Each statistic is shaped like the
 * input mean (odd outputs) or input var (even outputs) it comes from.
 */
const batchNormalization: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  // Opset 9 dropped `spatial`: the statistics are per channel, (C), C being 1 for a 1-D X.
  const perChannel = ctx.opset >= 9 && x !== undefined ? [x.length > 1 ? x[1]! : 1] : undefined;
  const outputs = [...likeInput(ctx)];
  for (let i = 1; i < ctx.node.output.length; i++) {
    const source = ctx.tensor(i % 2 === 1 ? 3 : 4);
    outputs.push(tensorOf(source?.dtype ?? ctx.dtype(0), source?.shape ?? perChannel));
  }
  return outputs;
};

/** LayerNormalization: Y like X; Mean and InvStdDev keep the axes before `axis` and are 1 from it on, of stash_type. */
const layerNormalization: ShapeRule = (ctx) => {
  const [y] = likeInput(ctx);
  const x = ctx.shape(0);
  let stats: TensorType = tensorOf(ctx.int('stash_type', DataType.FLOAT));
  if (x !== undefined) {
    const axis = normalizeAxis(ctx.int('axis', -1), x.length);
    if (axis === undefined) return ctx.fail(`axis ${ctx.int('axis', -1)} is out of range for rank ${x.length}`);
    stats = tensorOf(stats.dtype, x.map((d, i) => (i < axis ? d : 1)));
  }
  return [y, stats, stats];
};

/** ONNX Runtime's Skip(Simplified)LayerNormalization: the output and the input+skip(+bias) sum are shaped like the input. */
const skipNormalization: ShapeRule = (ctx) => {
  const [y] = likeInput(ctx);
  return [y, undefined, undefined, y];
};

export const rules: Record<string, ShapeRule> = {
  BatchNormalization: batchNormalization,
  InstanceNormalization: likeInput,
  LayerNormalization: layerNormalization,
  GroupNormalization: likeInput,
  RMSNormalization: likeInput,
  MeanVarianceNormalization: likeInput,
  LRN: likeInput,
  // ONNX Runtime registers this RMS normalization in the default domain: Y, inv_std_var.
  SimplifiedLayerNormalization: layerNormalization,
  // output, mean, inv_std_var, input_skip_bias_sum: the statistics' shapes are left unknown.
  'com.microsoft:SkipLayerNormalization': skipNormalization,
  'com.microsoft:SkipSimplifiedLayerNormalization': skipNormalization,
};
