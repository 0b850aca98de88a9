/**
 * Helpers shared by the tensor-manipulation rules: arguments that moved from attributes to
 * inputs across opsets, axis lists, and rearranging small known contents (shape arithmetic).
 */
import { MAX_KNOWN_ELEMENTS } from '../constants.js';
import type { NodeContext } from '../context.js';
import { normalizeAxis } from '../dims.js';
import { isStatic, tensorOf, type Dim, type TensorType } from '../types.js';
import { stridesOf } from './values.js';

/**
 * An integer list that older opsets give as attribute `name` and newer ones as input `index`
 * (Slice 10, Reshape 5, Squeeze 13, ReduceSum 13, Pad 11…). Whichever form the node uses wins,
 * so a model whose opset import disagrees with its nodes is still read as written. Undefined
 * when neither is given; null when the input is given but its contents are not known (an input
 * of no elements is known to be empty).
 */
export function listArgument(ctx: NodeContext, name: string, index: number): number[] | null | undefined {
  if (ctx.has(index)) return ctx.numbers(index) ?? (listLength(ctx, index) === 0 ? [] : null);
  return ctx.ints(name);
}

/** Number of elements of a 1-D list input (its length), when known. */
export function listLength(ctx: NodeContext, index: number): number | undefined {
  const shape = ctx.shape(index);
  if (shape === undefined) return undefined;
  if (shape.length === 0) return 1;
  return shape.length === 1 && typeof shape[0] === 'number' ? shape[0] : undefined;
}

/** Normalizes axes against `rank`; fails on an axis out of range or given twice. */
export function normalizeAxes(ctx: NodeContext, axes: readonly number[], rank: number): number[] {
  const out = axes.map((a) => normalizeAxis(a, rank) ?? ctx.fail(`axis ${a} is out of range for rank ${rank}`));
  if (new Set(out).size !== out.length) ctx.fail(`axes [${axes.join(', ')}] repeat an axis`);
  return out;
}

/** One axis attribute normalized against `rank`. */
export function axisAttribute(ctx: NodeContext, name: string, fallback: number, rank: number): number {
  const axis = ctx.int(name, fallback);
  return normalizeAxis(axis, rank) ?? ctx.fail(`${name} ${axis} is out of range for rank ${rank}`);
}

/** The element count of a static shape, when it is small enough to hold its contents. */
export function smallCount(shape: readonly Dim[]): number | undefined {
  if (!isStatic(shape)) return undefined;
  const count = shape.reduce((a, b) => a * b, 1);
  return count <= MAX_KNOWN_ELEMENTS ? count : undefined;
}

/** Calls `visit` with the coordinates of every element of a static shape, in row-major order. */
export function forEachCoordinate(shape: readonly number[], visit: (coords: readonly number[], flat: number) => void): void {
  const count = shape.reduce((a, b) => a * b, 1);
  const coords = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < count; flat++) {
    visit(coords, flat);
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      if (++coords[axis]! < shape[axis]!) break;
      coords[axis] = 0;
    }
  }
}

/**
 * Contents of an output of `outShape` whose element at each coordinate is the input's element at
 * `from(coords)`: transposes, slices, tiles, gathers. Undefined unless the input's contents and
 * both shapes are known and the output is small.
 */
export function rearrange(input: TensorType, outShape: readonly Dim[], from: (coords: readonly number[]) => readonly number[]): Dim[] | undefined {
  const value = input.value;
  const count = smallCount(outShape);
  if (value === undefined || count === undefined || !isStatic(input.shape)) return undefined;
  const strides = stridesOf(input.shape);
  const out = new Array<Dim>(count);
  forEachCoordinate(outShape as readonly number[], (coords, flat) => {
    const source = from(coords);
    let at = 0;
    for (let i = 0; i < source.length; i++) at += source[i]! * strides[i]!;
    out[flat] = value[at] ?? null;
  });
  return out;
}

/** Output like input 0: same element type and shape, contents dropped (CumSum, Trilu, Scatter…). */
export function likeInput(ctx: NodeContext): TensorType | undefined {
  const x = ctx.tensor(0);
  return x === undefined ? undefined : tensorOf(x.dtype, x.shape);
}
