/**
 * Output sizes of sliding-window ops (convolutions and pools) and of their inverses
 * (ConvTranspose, MaxUnpool): one place for auto_pad, pads, strides, dilations and ceil_mode,
 * on numbers or symbolic dims.
 */
import type { NodeContext } from '../context.js';
import { addDims, ceilDivDims, floorDivDims, mulDims, sameDim } from '../dims.js';
import type { Dim } from '../types.js';

const AUTO_PADS = ['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'] as const;
type AutoPad = (typeof AUTO_PADS)[number];

/** The window attributes of a node, validated against its number of spatial axes. */
interface WindowAttributes {
  readonly autoPad: AutoPad;
  readonly strides: readonly number[];
  readonly dilations: readonly number[];
  /** Begin pads of every axis, then end pads; undefined when the attribute is absent. */
  readonly pads?: readonly number[];
  readonly ceilMode: boolean;
}

function perAxis(ctx: NodeContext, name: string, count: number, fallback: number, min: number): number[] {
  const v = ctx.ints(name);
  if (v === undefined) return new Array<number>(count).fill(fallback);
  if (v.length !== count) return ctx.fail(`${name} has ${v.length} values; ${count} expected`);
  if (v.some((x) => x < min)) return ctx.fail(`${name} must be at least ${min}, got [${v.join(', ')}]`);
  return v;
}

/** Reads auto_pad, strides, dilations, pads and ceil_mode for `spatialRank` spatial axes. */
function windowAttributes(ctx: NodeContext, spatialRank: number): WindowAttributes {
  // Runtimes read an empty auto_pad as NOTSET.
  const autoPad = ctx.string('auto_pad', 'NOTSET') || 'NOTSET';
  if (!(AUTO_PADS as readonly string[]).includes(autoPad)) return ctx.fail(`unknown auto_pad "${autoPad}"`);
  return {
    autoPad: autoPad as AutoPad,
    strides: perAxis(ctx, 'strides', spatialRank, 1, 1),
    dilations: perAxis(ctx, 'dilations', spatialRank, 1, 1),
    pads: ctx.hasAttribute('pads') ? perAxis(ctx, 'pads', 2 * spatialRank, 0, 0) : undefined,
    ceilMode: ctx.int('ceil_mode', 0) !== 0,
  };
}

/** Window count along one axis with explicit pads: floor or ceil of (in + pads − effective kernel) / stride, plus 1. */
function explicitPadSize(ctx: NodeContext, input: Dim, kernel: number, stride: number, begin: number, end: number, ceil: boolean): Dim {
  const reach = begin + end - kernel;
  if (typeof input === 'number') {
    if (input + reach < 0) return ctx.fail(`the window spans ${kernel} but the padded input only ${input + begin + end}`);
    let size = Math.floor((input + reach + (ceil ? stride - 1 : 0)) / stride) + 1;
    // A last window that would start in the end padding is dropped (ONNX, ONNX Runtime and PyTorch agree).
    if (ceil && (size - 1) * stride >= input + begin) size--;
    return size;
  }
  if (!ceil) return floorDivDims(addDims(input, reach + stride), stride);
  // With a symbolic size, whether the last window starts in the end padding is only certain
  // (never) when the end padding plus one stride fits inside the kernel.
  return end + stride <= kernel ? ceilDivDims(addDims(input, reach + stride), stride) : null;
}

/**
 * Output spatial dims of a convolution or pool: input spatial dims and kernel sizes in, one
 * output dim per axis. Where specifications and runtimes disagree (pads given together with
 * auto_pad, VALID with ceil_mode), the dim is known only when every reading gives the same size.
 * ONNX Runtime pads SAME pools for the undilated kernel, so a dilated SAME pool stays unknown.
 */
export function windowOutputDims(ctx: NodeContext, input: readonly Dim[], kernel: readonly Dim[], pool: boolean): Dim[] {
  const n = input.length;
  if (kernel.length !== n) return ctx.fail(`kernel has ${kernel.length} spatial dims; the input has ${n}`);
  const a = windowAttributes(ctx, n);
  return input.map((d, i) => {
    const k = kernel[i]!;
    if (typeof k === 'number' && k <= 0) return ctx.fail(`kernel size must be positive, got ${k}`);
    if (d === null || typeof k !== 'number') return null;
    const effective = (k - 1) * a.dilations[i]! + 1;
    const s = a.strides[i]!;
    const readings: Dim[] = [];
    if (a.autoPad === 'SAME_UPPER' || a.autoPad === 'SAME_LOWER') readings.push(pool && a.dilations[i] !== 1 ? null : ceilDivDims(d, s));
    if (a.autoPad === 'VALID') {
      readings.push(explicitPadSize(ctx, d, effective, s, 0, 0, false));
      if (a.ceilMode) readings.push(explicitPadSize(ctx, d, effective, s, 0, 0, true));
    }
    if (a.autoPad === 'NOTSET' || a.pads !== undefined) {
      readings.push(explicitPadSize(ctx, d, effective, s, a.pads?.[i] ?? 0, a.pads?.[i + n] ?? 0, a.ceilMode));
    }
    return readings.every((r) => sameDim(r, readings[0]!)) ? readings[0]! : null;
  });
}

/**
 * Output spatial dims of a transposed window (ConvTranspose, MaxUnpool):
 * stride·(in − 1) + output_padding + effective kernel − pads. With SAME auto_pad the ONNX text
 * says in·stride; ONNX's own inference and runtimes agree with that only when output_padding is
 * 0 and the effective kernel is at least the stride, so other cases stay unknown.
 */
export function transposedWindowDims(ctx: NodeContext, input: readonly Dim[], kernel: readonly Dim[]): Dim[] {
  const n = input.length;
  if (kernel.length !== n) return ctx.fail(`kernel has ${kernel.length} spatial dims; the input has ${n}`);
  const a = windowAttributes(ctx, n);
  const outputPadding = perAxis(ctx, 'output_padding', n, 0, 0);
  return input.map((d, i) => {
    const k = kernel[i]!;
    if (d === null || typeof k !== 'number') return null;
    const effective = (k - 1) * a.dilations[i]! + 1;
    const s = a.strides[i]!;
    if (a.autoPad === 'SAME_UPPER' || a.autoPad === 'SAME_LOWER') {
      return outputPadding[i] === 0 && effective >= s ? mulDims(d, s) : null;
    }
    const pads = a.autoPad === 'VALID' ? 0 : (a.pads?.[i] ?? 0) + (a.pads?.[i + n] ?? 0);
    const size = addDims(mulDims(d, s), outputPadding[i]! + effective - pads - s);
    if (typeof size === 'number' && size <= 0) return ctx.fail(`output size ${size} at spatial axis ${i} is not positive`);
    return size;
  });
}

/** [N, spatial…, C] → [N, C, spatial…]: runs channels-first shape logic on a channels-last tensor. */
export function channelsFirst(shape: readonly Dim[]): Dim[] {
  return [shape[0]!, shape[shape.length - 1]!, ...shape.slice(1, -1)];
}

/** [N, C, spatial…] → [N, spatial…, C], the inverse of channelsFirst. */
export function channelsLast(shape: readonly Dim[]): Dim[] {
  return [shape[0]!, ...shape.slice(2), shape[1]!];
}
