/**
 * ReduceSum, ReduceProd, ReduceMax, ReduceMin, accumulating in the element type in row-major
 * order. Integers come out exact; float sums may differ from onnxruntime's in the last bits,
 * which sums in another order.
 */
import { multiply } from './elementwise.js';
import { EvalRefusal, isBig, normalizeAxis, stridesOf, type Kernel } from './tensor.js';

interface Reduction {
  readonly number: (a: number, b: number, dtype: number) => number;
  readonly big: (a: bigint, b: bigint) => bigint;
  /** The result over no elements; undefined when there is none (max, min). */
  readonly empty?: number;
}

function reduce(op: Reduction): Kernel {
  return (args) => {
    const x = args.input(0);
    const rank = x.dims.length;
    const listed = args.list('axes', 1) ?? [];
    if (listed.length === 0 && args.int('noop_with_empty_axes', 0) === 1) return [x];
    const axes = listed.length === 0 ? x.dims.map((_, i) => i) : listed.map((a) => normalizeAxis(a, rank));
    const keep = args.int('keepdims', 1) === 1;
    const reducedDims = x.dims.map((d, i) => (axes.includes(i) ? 1 : d));
    const out = args.make(x.dtype, keep ? reducedDims : x.dims.filter((_, i) => !axes.includes(i)));
    const big = isBig(x.dtype);
    const seen = new Uint8Array(out.data.length);
    const outStrides = stridesOf(reducedDims);
    const inStrides = stridesOf(x.dims);
    const combine = (big ? op.big : op.number) as (a: unknown, b: unknown, dtype: number) => unknown;
    const data = out.data as unknown as unknown[];
    for (let i = 0; i < x.data.length; i++) {
      let target = 0;
      for (let axis = 0; axis < rank; axis++) {
        if (!axes.includes(axis)) target += (Math.floor(i / inStrides[axis]!) % x.dims[axis]!) * outStrides[axis]!;
      }
      data[target] = seen[target] ? combine(data[target], x.data[i], x.dtype) : x.data[i];
      seen[target] = 1;
    }
    if (seen.includes(0)) {
      if (op.empty === undefined) throw new EvalRefusal(`${args.node.opType} over no elements`);
      for (let i = 0; i < data.length; i++) if (!seen[i]) data[i] = big ? BigInt(op.empty) : op.empty;
    }
    return [out];
  };
}

export const kernels: Readonly<Record<string, Kernel>> = {
  ReduceSum: reduce({ number: (a, b) => a + b, big: (a, b) => a + b, empty: 0 }),
  ReduceProd: reduce({ number: multiply, big: (a, b) => a * b, empty: 1 }),
  ReduceMax: reduce({ number: (a, b) => Math.max(a, b), big: (a, b) => (a > b ? a : b) }),
  ReduceMin: reduce({ number: (a, b) => Math.min(a, b), big: (a, b) => (a < b ? a : b) }),
};
