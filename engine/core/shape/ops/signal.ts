/** Signal processing: DFT (opset 17 and 20), STFT, window generators, MelWeightMatrix. */
import { DataType } from '../../onnx/data-types.js';
import type { NodeContext, ShapeRule } from '../context.js';
import { addDims, floorDivDims, mulDims, subDims } from '../dims.js';
import { tensorOf, type Dim } from '../types.js';

/** A scalar input's known value (maybe symbolic); null when given but not known. */
function scalar(ctx: NodeContext, i: number): Dim {
  return ctx.values(i)?.[0] ?? null;
}

/** Bins of a one-sided (real-input) spectrum of `n` points: floor(n/2) + 1. */
function onesidedBins(n: Dim): Dim {
  return addDims(floorDivDims(n, 2), 1);
}

/**
 * DFT: the input's shape with the transformed axis resized and the last (real/imaginary) axis
 * 1 or 2. Opset 20 moved `axis` (default -2) from an attribute (default 1) to an input.
 * onesided with inverse is the inverse real transform (IRFFT): its output is real.
 */
const dft: ShapeRule = (ctx) => {
  const x = ctx.tensor(0);
  if (x?.shape === undefined) return [x === undefined ? undefined : tensorOf(x.dtype)];
  const rank = x.shape.length;
  if (rank < 2) return ctx.fail(`DFT input needs rank 2 or more (signal and complex axes); it has ${rank}`);
  const onesided = ctx.int('onesided', 0) !== 0;
  const inverse = ctx.int('inverse', 0) !== 0;
  const last = onesided && inverse ? 1 : 2;
  const given = ctx.opset >= 20 ? (ctx.has(2) ? ctx.numbers(2)?.[0] : -2) : ctx.int('axis', 1);
  if (given === undefined) return [tensorOf(x.dtype, [...x.shape.slice(0, -1).map((d) => (onesided || ctx.has(1) ? null : d)), last])];
  if (given < -rank || given === -1 || given >= rank - 1) return ctx.fail(`DFT axis ${given} is invalid for rank ${rank}`);
  const axis = given < 0 ? given + rank : given;
  const n = x.shape[axis]!;
  let size: Dim = n;
  if (ctx.has(1)) size = onesided && !inverse ? onesidedBins(scalar(ctx, 1)) : scalar(ctx, 1);
  else if (onesided) size = inverse ? mulDims(2, subDims(n, 1)) : onesidedBins(n);
  return [tensorOf(x.dtype, x.shape.map((d, i) => (i === axis ? size : i === rank - 1 ? last : d)))];
};

/**
 * STFT: [batch, frames, bins, 2] with frames = floor((signal - frame_length) / step) + 1. The
 * frame length is the frame_length input, else the window's length.
 */
const stft: ShapeRule = (ctx) => {
  const signal = ctx.tensor(0);
  if (signal === undefined) return [undefined];
  if (signal.shape !== undefined && signal.shape.length !== 3) return ctx.fail(`STFT signal must be [batch, length, 1 or 2]; it has rank ${signal.shape.length}`);
  const frame: Dim = ctx.has(3) ? scalar(ctx, 3) : ctx.has(2) ? (ctx.shape(2)?.[0] ?? null) : ctx.fail('STFT needs a window or a frame_length');
  const step = scalar(ctx, 1);
  const frames = signal.shape === undefined ? null : addDims(floorDivDims(subDims(signal.shape[1]!, frame), step), 1);
  const bins = ctx.int('onesided', 1) !== 0 ? onesidedBins(frame) : frame;
  return [tensorOf(signal.dtype, [signal.shape?.[0] ?? null, frames, bins, 2])];
};

/** Hann, Hamming and Blackman windows: [size] of output_datatype. */
const window: ShapeRule = (ctx) => [tensorOf(ctx.int('output_datatype', DataType.FLOAT), [scalar(ctx, 0)])];

/** [floor(dft_length/2) + 1, num_mel_bins]. */
const melWeightMatrix: ShapeRule = (ctx) => [tensorOf(ctx.int('output_datatype', DataType.FLOAT), [onesidedBins(scalar(ctx, 1)), scalar(ctx, 0)])];

export const rules: Record<string, ShapeRule> = {
  DFT: dft,
  STFT: stft,
  HannWindow: window,
  HammingWindow: window,
  BlackmanWindow: window,
  MelWeightMatrix: melWeightMatrix,
};
