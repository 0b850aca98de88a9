/** Image decoding: the picture's size is in the encoded bytes, known only at run time. */
import { DataType } from '../../onnx/data-types.js';
import type { ShapeRule } from '../context.js';
import { tensorOf } from '../types.js';
import { freshDim } from './merge.js';

/** ImageDecoder: uint8 [height, width, channels], one channel for Grayscale and three otherwise. */
const imageDecoder: ShapeRule = (ctx) => {
  const channels = ctx.string('pixel_format', 'RGB') === 'Grayscale' ? 1 : 3;
  return [tensorOf(DataType.UINT8, [freshDim(ctx, 'height'), freshDim(ctx, 'width'), channels])];
};

export const rules: Record<string, ShapeRule> = {
  ImageDecoder: imageDecoder,
};
