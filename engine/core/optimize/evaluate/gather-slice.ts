/** Kernels that pick or rearrange elements: Gather, Slice, Split, Transpose. */
import { EvalRefusal, elementCount, normalizeAxis, numbersOf, stridesOf, type Args, type Kernel, type Value } from './tensor.js';

/**
 * A strided view of `x` copied out: output element (c0, c1, …) reads input offset
 * base + Σ c_k·steps[k]. Slices, splits and transposes are all this.
 */
function strided(args: Args, x: Value, outDims: readonly number[], base: number, steps: readonly number[]): Value {
  const out = args.make(x.dtype, outDims);
  const rank = outDims.length;
  const coords = new Array<number>(rank).fill(0);
  let at = base;
  for (let i = 0; i < out.data.length; i++) {
    out.data[i] = x.data[at]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      at += steps[axis]!;
      if (++coords[axis]! < outDims[axis]!) break;
      at -= steps[axis]! * coords[axis]!;
      coords[axis] = 0;
    }
  }
  return out;
}

/** Gather: along `axis`, the slices at `indices` (negative ones count from the end). */
const gather: Kernel = (args) => {
  const [x, indices] = [args.input(0), args.input(1)];
  const axis = normalizeAxis(args.int('axis', 0), x.dims.length);
  const size = x.dims[axis]!;
  const picks = numbersOf(indices).map((k) => {
    if (k < -size || k >= size) throw new EvalRefusal(`Gather index ${k} is out of range for size ${size}`);
    return k < 0 ? k + size : k;
  });
  const out = args.make(x.dtype, [...x.dims.slice(0, axis), ...indices.dims, ...x.dims.slice(axis + 1)]);
  const inner = elementCount(x.dims.slice(axis + 1));
  const outer = elementCount(x.dims.slice(0, axis));
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const k of picks) {
      const from = (o * size + k) * inner;
      out.data.set(x.data.subarray(from, from + inner) as never, at);
      at += inner;
    }
  }
  return [out];
};

/** Where one axis of a slice starts, its step, and how many elements it takes (ONNX clamping rules). */
function sliceAxis(dim: number, start: number, end: number, step: number): { start: number; count: number } {
  if (step === 0) throw new EvalRefusal('Slice step is 0');
  if (dim === 0) return { start: 0, count: 0 };
  const s = start < 0 ? start + dim : start;
  const e = end < 0 ? end + dim : end;
  if (step > 0) {
    const from = Math.min(Math.max(s, 0), dim);
    const to = Math.min(Math.max(e, 0), dim);
    return { start: from, count: Math.max(0, Math.ceil((to - from) / step)) };
  }
  const from = Math.min(Math.max(s, 0), dim - 1);
  const to = Math.min(Math.max(e, -1), dim - 1);
  return { start: from, count: Math.max(0, Math.ceil((from - to) / -step)) };
}

/** Slice: starts, ends, axes and steps as inputs (opset 10 on) or attributes (before). */
const slice: Kernel = (args) => {
  const x = args.input(0);
  const rank = x.dims.length;
  const starts = args.list('starts', 1) ?? [];
  const ends = args.list('ends', 2) ?? [];
  const axes = (args.list('axes', 3) ?? starts.map((_, i) => i)).map((a) => normalizeAxis(a, rank));
  const steps = args.has(4) ? numbersOf(args.input(4)) : axes.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length || new Set(axes).size !== axes.length) {
    throw new EvalRefusal('Slice arguments do not match');
  }
  const strides = stridesOf(x.dims);
  const outDims = [...x.dims];
  const elementSteps = [...strides];
  let base = 0;
  axes.forEach((axis, k) => {
    const { start, count } = sliceAxis(x.dims[axis]!, starts[k]!, ends[k]!, steps[k]!);
    outDims[axis] = count;
    elementSteps[axis] = strides[axis]! * steps[k]!;
    base += start * strides[axis]!;
  });
  return [strided(args, x, outDims, base, elementSteps)];
};

/** Split: sizes from the `split` input (opset 13) or attribute, else equal parts (the last smaller with num_outputs, opset 18). */
const split: Kernel = (args) => {
  const x = args.input(0);
  const axis = normalizeAxis(args.int('axis', 0), x.dims.length);
  const dim = x.dims[axis]!;
  const parts = args.int('num_outputs') ?? args.node.output.length;
  const chunk = Math.ceil(dim / parts);
  const sizes = args.list('split', 1) ?? Array.from({ length: parts }, (_, i) => Math.min(chunk, dim - i * chunk));
  const even = args.hasAttribute('num_outputs') || dim % parts === 0 || args.list('split', 1) !== undefined;
  if (!even || sizes.length !== args.node.output.length || sizes.some((s) => s < 0) || sizes.reduce((a, b) => a + b, 0) !== dim) {
    throw new EvalRefusal(`cannot split ${dim} into [${sizes.join(', ')}]`);
  }
  const strides = stridesOf(x.dims);
  let offset = 0;
  return sizes.map((size) => {
    const outDims = x.dims.map((d, i) => (i === axis ? size : d));
    const part = strided(args, x, outDims, offset * strides[axis]!, strides);
    offset += size;
    return part;
  });
};

/** Transpose: axes permuted by `perm`, reversed when it is absent. */
const transpose: Kernel = (args) => {
  const x = args.input(0);
  const rank = x.dims.length;
  const perm = args.ints('perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (perm.length !== rank || new Set(perm).size !== rank || perm.some((p) => p < 0 || p >= rank)) throw new EvalRefusal(`invalid perm [${perm.join(', ')}]`);
  const strides = stridesOf(x.dims);
  return [strided(args, x, perm.map((p) => x.dims[p]!), 0, perm.map((p) => strides[p]!))];
};

export const kernels: Readonly<Record<string, Kernel>> = {
  Gather: gather,
  Slice: slice,
  Split: split,
  Transpose: transpose,
};
