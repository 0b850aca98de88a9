/** Linear algebra: MatMul and its integer and quantized forms, Gemm, Det. */
import { DataType } from '../../onnx/data-types.js';
import type { NodeContext, ShapeRule } from '../context.js';
import { broadcastShapes } from '../dims.js';
import { tensorOf, type Dim } from '../types.js';

function checkSame(ctx: NodeContext, a: Dim, b: Dim, what: string): void {
  if (typeof a === 'number' && typeof b === 'number' && a !== b) ctx.fail(`${what}: ${a} against ${b}`);
}

/**
 * NumPy matmul shapes: a 1-D A gets a leading 1 and a 1-D B a trailing 1, both removed from the
 * result; the batch dims broadcast.
 */
export function matmulShape(ctx: NodeContext, a: readonly Dim[], b: readonly Dim[]): Dim[] {
  if (a.length === 0 || b.length === 0) return ctx.fail('MatMul does not take scalars');
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  checkSame(ctx, a2[a2.length - 1]!, b2[b2.length - 2]!, 'inner dims differ');
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2));
  if (typeof batch === 'string') return ctx.fail(`batch dims: ${batch}`);
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]!);
  if (b.length > 1) out.push(b2[b2.length - 1]!);
  return out;
}

/** A matmul of inputs `a` and `b`, of the element type `dtype` gives. */
function matmul(a: number, b: number, dtype: (ctx: NodeContext) => number): ShapeRule {
  return (ctx) => {
    const sa = ctx.shape(a);
    const sb = ctx.shape(b);
    return [tensorOf(dtype(ctx), sa === undefined || sb === undefined ? undefined : matmulShape(ctx, sa, sb))];
  };
}

/** Input positions of Gemm's A, B and C, and where the output's element type comes from. */
interface GemmInputs {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly dtype: (ctx: NodeContext) => number;
}

/** Gemm: (M, K)·(K, N) after the transA/transB flags; C must broadcast to (M, N). */
function gemm({ a: ai, b: bi, c: ci, dtype }: GemmInputs): ShapeRule {
  return (ctx) => {
    const a = ctx.shape(ai);
    const b = ctx.shape(bi);
    for (const [name, s] of [['A', a], ['B', b]] as const) {
      if (s !== undefined && s.length !== 2) return ctx.fail(`${name} has rank ${s.length}; Gemm takes matrices`);
    }
    const transA = ctx.int('transA', 0) !== 0;
    const transB = ctx.int('transB', 0) !== 0;
    const m = a?.[transA ? 1 : 0] ?? null;
    const n = b?.[transB ? 0 : 1] ?? null;
    checkSame(ctx, a?.[transA ? 0 : 1] ?? null, b?.[transB ? 1 : 0] ?? null, 'inner dims differ');
    const c = ctx.shape(ci);
    if (c !== undefined) {
      const both = broadcastShapes([m, n], c);
      if (typeof both === 'string' || both.length > 2) return ctx.fail(`C of shape [${c.join(', ')}] does not broadcast to (M, N)`);
    }
    return [tensorOf(dtype(ctx), [m, n])];
  };
}

/**
 * An operand of ONNX Runtime's FusedMatMul as the product sees it: transBatch moves the leading
 * dim to just before the last, then trans swaps the last two. Vectors are left as they are.
 */
function fusedOperand(s: readonly Dim[], trans: boolean, transBatch: boolean): readonly Dim[] {
  if (s.length < 2) return s;
  const moved = transBatch ? [...s.slice(1, -1), s[0]!, s[s.length - 1]!] : s;
  return trans ? [...moved.slice(0, -2), moved[moved.length - 1]!, moved[moved.length - 2]!] : moved;
}

const fusedMatMul: ShapeRule = (ctx) => {
  const a = ctx.shape(0);
  const b = ctx.shape(1);
  if (a === undefined || b === undefined) return [tensorOf(ctx.dtype(0))];
  const flag = (name: string): boolean => ctx.int(name, 0) !== 0;
  const shape = matmulShape(ctx, fusedOperand(a, flag('transA'), flag('transBatchA')), fusedOperand(b, flag('transB'), flag('transBatchB')));
  return [tensorOf(ctx.dtype(0), shape)];
};

/** MatMulNBits: A (…, K) times a packed (K, N) weight given by the K and N attributes: (…, N). */
const matMulNBits: ShapeRule = (ctx) => {
  const a = ctx.shape(0);
  const n = ctx.int('N') ?? ctx.fail('N is required');
  if (a === undefined) return [tensorOf(ctx.dtype(0))];
  if (a.length === 0) return ctx.fail('A is a scalar');
  checkSame(ctx, a[a.length - 1]!, ctx.int('K') ?? null, 'A\'s last dim differs from K');
  return [tensorOf(ctx.dtype(0), [...a.slice(0, -1), n])];
};

/** Det: the leading batch dims of a (…, M, M) input. */
const det: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (x === undefined) return [tensorOf(ctx.dtype(0))];
  if (x.length < 2) return ctx.fail(`X has rank ${x.length}; Det takes square matrices`);
  checkSame(ctx, x[x.length - 2]!, x[x.length - 1]!, 'matrices are not square');
  return [tensorOf(ctx.dtype(0), x.slice(0, -2))];
};

export const rules: Record<string, ShapeRule> = {
  MatMul: matmul(0, 1, (ctx) => ctx.dtype(0)),
  MatMulInteger: matmul(0, 1, () => DataType.INT32),
  // QLinearMatMul(a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point): y is y_zero_point's type.
  QLinearMatMul: matmul(0, 3, (ctx) => ctx.dtype(7)),
  Gemm: gemm({ a: 0, b: 1, c: 2, dtype: (ctx) => ctx.dtype(0) }),
  Det: det,
  // ONNX Runtime contrib ops.
  'com.microsoft:FusedGemm': gemm({ a: 0, b: 1, c: 2, dtype: (ctx) => ctx.dtype(0) }),
  // QGemm(A, a_scale, a_zero_point, B, b_scale, b_zero_point, C, y_scale, y_zero_point): float unless y_zero_point is given.
  'com.microsoft:QGemm': gemm({ a: 0, b: 3, c: 6, dtype: (ctx) => (ctx.has(8) ? ctx.dtype(8) : DataType.FLOAT) }),
  'com.microsoft:FusedMatMul': fusedMatMul,
  // MatMulIntegerToFloat(A, B, a_scale, …): Y is a_scale's type.
  'com.microsoft:MatMulIntegerToFloat': matmul(0, 1, (ctx) => ctx.dtype(2)),
  'com.microsoft:DynamicQuantizeMatMul': matmul(0, 1, (ctx) => ctx.dtype(0)),
  'com.microsoft:MatMulNBits': matMulNBits,
};
