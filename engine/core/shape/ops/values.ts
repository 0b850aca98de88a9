/**
 * Element-wise evaluation of small known tensors (shape arithmetic). Works on contents that may
 * hold symbolic dims; an operation that cannot be done symbolically yields null for that element.
 */
import { DataType } from '../../onnx/data-types.js';
import { isStatic, type Dim } from '../types.js';

const INTEGER_TYPES = new Set<number>([DataType.INT8, DataType.UINT8, DataType.INT16, DataType.UINT16, DataType.INT32, DataType.UINT32, DataType.INT64, DataType.UINT64]);

export function isIntegerType(dtype: number): boolean {
  return INTEGER_TYPES.has(dtype);
}

/** Row-major strides of a static shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/**
 * Applies `fn` element by element over operands broadcast to `outShape`. Returns undefined when a
 * shape is not static or a content is missing.
 */
export function broadcastEval(
  operands: readonly { readonly shape?: readonly Dim[]; readonly value?: readonly Dim[] }[],
  outShape: readonly Dim[],
  fn: (...args: Dim[]) => Dim,
): Dim[] | undefined {
  if (!isStatic(outShape)) return undefined;
  for (const o of operands) if (o.value === undefined || !isStatic(o.shape)) return undefined;
  const count = outShape.reduce((a, b) => a * b, 1);
  const rank = outShape.length;
  const maps = operands.map((o) => {
    const shape = o.shape as readonly number[];
    const strides = stridesOf(shape);
    // Stride 0 on broadcast axes, aligned to the right.
    return outShape.map((_, axis) => {
      const j = axis - (rank - shape.length);
      return j < 0 || shape[j] === 1 ? 0 : strides[j]!;
    });
  });
  const outStrides = stridesOf(outShape);
  const out = new Array<Dim>(count);
  const args = new Array<Dim>(operands.length);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < operands.length; k++) {
      let at = 0;
      let rest = i;
      for (let axis = 0; axis < rank; axis++) {
        const coord = Math.floor(rest / outStrides[axis]!);
        rest -= coord * outStrides[axis]!;
        at += coord * maps[k]![axis]!;
      }
      args[k] = operands[k]!.value![at]!;
    }
    out[i] = fn(...args);
  }
  return out;
}

/** A numeric-only operation lifted to dims: symbolic or unknown operands give null. */
export function numeric(fn: (...xs: number[]) => number): (...args: Dim[]) => Dim {
  return (...args) => (args.every((a) => typeof a === 'number') ? fn(...(args as number[])) : null);
}

/** Converts a number to what a tensor of `dtype` holds (integers truncate, bool is 0/1). */
export function castNumber(v: number, dtype: number): number {
  if (dtype === DataType.BOOL) return v !== 0 ? 1 : 0;
  if (INTEGER_TYPES.has(dtype)) return Math.trunc(v);
  if (dtype === DataType.FLOAT) return Math.fround(v);
  return v;
}
