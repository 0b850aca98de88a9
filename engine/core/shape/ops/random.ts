/** Random generators: shape from an attribute or from the input, element type from `dtype`. */
import { DataType } from '../../onnx/data-types.js';
import type { ShapeRule } from '../context.js';
import { tensorOf } from '../types.js';

/** RandomNormal, RandomUniform: the `shape` attribute, float unless `dtype` says otherwise. */
const fromAttribute: ShapeRule = (ctx) => {
  const shape = ctx.ints('shape') ?? ctx.fail(`${ctx.node.opType} needs a shape`);
  return [tensorOf(ctx.int('dtype', DataType.FLOAT), shape)];
};

/** RandomNormalLike, RandomUniformLike, Bernoulli: the input's shape, its dtype unless `dtype` is set. */
const likeInput: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  const dtype = ctx.int('dtype') ?? x?.dtype ?? 0;
  return [dtype === 0 && x === undefined ? undefined : tensorOf(dtype, x?.shape)];
};

/** Multinomial: [batch, sample_size] of `dtype` (int32 by default). */
const multinomial: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (x !== undefined && x.length !== 2) return ctx.fail(`Multinomial input must be [batch, classes]; it has rank ${x.length}`);
  return [tensorOf(ctx.int('dtype', DataType.INT32), [x?.[0] ?? null, ctx.int('sample_size', 1)])];
};

export const rules: Record<string, ShapeRule> = {
  RandomNormal: fromAttribute,
  RandomUniform: fromAttribute,
  RandomNormalLike: likeInput,
  RandomUniformLike: likeInput,
  Bernoulli: likeInput,
  Multinomial: multinomial,
};
