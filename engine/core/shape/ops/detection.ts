/** Object detection post-processing whose output size depends on the data. */
import { DataType } from '../../onnx/data-types.js';
import type { ShapeRule } from '../context.js';
import { tensorOf } from '../types.js';
import { freshDim } from './merge.js';

/** NonMaxSuppression: [selected, 3] (batch, class, box) indices; how many survive is known only at run time. */
const nonMaxSuppression: ShapeRule = (ctx) => [tensorOf(DataType.INT64, [freshDim(ctx, 'selected'), 3])];

export const rules: Record<string, ShapeRule> = {
  NonMaxSuppression: nonMaxSuppression,
};
