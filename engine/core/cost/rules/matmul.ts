/**
 * Matrix products. MatMul: MACs = |Y| × K (batch dims broadcast, 1-D operands promoted, so |Y|
 * already counts every product). Gemm: M × N × K, plus α, β and the C add as element-wise work.
 */
import type { CostContext, CostRule } from '../context.js';
import { dimsText, product } from '../format.js';
import { ELEMENTWISE_WEIGHTS, REQUANTIZE, UNIT, activationWeight } from '../weights.js';
import { macWork, perElement, type Term } from '../work.js';

type Extra = (ctx: CostContext, y: readonly number[], count: number) => Term[];

/** Y = A·B with K read from A's last dim after `operand` rearranges A. */
function matmul(a: number, extra: Extra = () => [], operand: (ctx: CostContext, s: number[]) => number[] = (_ctx, s) => s): CostRule {
  return (ctx) => {
    const shapeA = operand(ctx, ctx.shape(a));
    if (shapeA.length === 0) return ctx.fail('A is a scalar');
    const k = shapeA[shapeA.length - 1]!;
    const y = ctx.outShape(0);
    const count = product(y);
    return macWork(count * k, `|Y| ${dimsText(y)} × K ${k}`, extra(ctx, y, count));
  };
}

const requantize: Extra = (_ctx, y, count) => [perElement('|Y|', y, count, REQUANTIZE, 'requantize')];

function optional(ctx: CostContext, input: number, term: Term): Term[] {
  return ctx.has(input) ? [term] : [];
}

/**
 * FusedMatMul's A as the product sees it: transBatchA moves the leading dim to just before the
 * last, then transA swaps the last two.
 */
function fusedOperand(ctx: CostContext, s: number[]): number[] {
  if (s.length < 2) return s;
  const moved = ctx.int('transBatchA', 0) !== 0 ? [...s.slice(1, -1), s[0]!, s[s.length - 1]!] : s;
  return ctx.int('transA', 0) !== 0 ? [...moved.slice(0, -2), moved[moved.length - 1]!, moved[moved.length - 2]!] : moved;
}

const fusedAlpha: Extra = (ctx, y, count) => (ctx.float('alpha', 1) === 1 ? [] : [perElement('|Y|', y, count, UNIT.mul, 'α')]);

/** MatMulNBits dequantizes every packed weight once (K × N), then multiplies in float. */
const nbitsDequantize: Extra = (ctx) => {
  const k = ctx.int('K', 0);
  const n = ctx.int('N', 0);
  return [perElement('W', [k, n], k * n, UNIT.add + UNIT.mul, 'dequantize')];
};

/** DynamicQuantizeMatMul quantizes A (min/max, then quantize), multiplies in int8 and scales back. */
const dynamicQuantize: Extra = (ctx, y, count) => {
  const a = ctx.shape(0);
  return [
    perElement('|A|', a, product(a), ELEMENTWISE_WEIGHTS.DynamicQuantizeLinear!, 'quantize A'),
    perElement('|Y|', y, count, UNIT.mul, 'scale'),
    ...optional(ctx, 4, perElement('|Y|', y, count, UNIT.add, 'bias')),
  ];
};

/** Input positions of Gemm's A, B and C, and the element-wise work after the product. */
interface GemmLayout {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly extra?: Extra;
}

function gemm({ a, b, c, extra = () => [] }: GemmLayout): CostRule {
  return (ctx) => {
    const sa = ctx.shape(a);
    const sb = ctx.shape(b);
    if (sa.length !== 2 || sb.length !== 2) return ctx.fail(`A and B must be matrices; they have ranks ${sa.length} and ${sb.length}`);
    const transA = ctx.int('transA', 0) !== 0;
    const transB = ctx.int('transB', 0) !== 0;
    const m = sa[transA ? 1 : 0]!;
    const k = sa[transA ? 0 : 1]!;
    const n = sb[transB ? 0 : 1]!;
    const y = [m, n];
    const count = m * n;
    const terms: Term[] = [];
    if (ctx.float('alpha', 1) !== 1) terms.push(perElement('|Y|', y, count, UNIT.mul, 'α'));
    if (ctx.has(c)) {
      if (ctx.float('beta', 1) !== 1) terms.push(perElement('|Y|', y, count, UNIT.mul, 'β'));
      terms.push(perElement('|Y|', y, count, UNIT.add, 'C add'));
    }
    const flags = [transA ? 'transA' : '', transB ? 'transB' : ''].filter((f) => f !== '').join(', ');
    return macWork(m * n * k, `M ${m} × N ${n} × K ${k}${flags === '' ? '' : ` (${flags})`}`, [...terms, ...extra(ctx, y, count)]);
  };
}

const fusedActivation: Extra = (ctx, y, count) => {
  const activation = ctx.string('activation', '');
  if (activation === '') return [];
  return [perElement('|Y|', y, count, activationWeight(activation) ?? ctx.fail(`activation "${activation}" has no cost weight`), activation)];
};

/** QGemm requantizes when it has an output scale (input 7), else scales the int32 result to float. */
const qgemmOutput: Extra = (ctx, y, count) => [ctx.has(7) ? perElement('|Y|', y, count, REQUANTIZE, 'requantize') : perElement('|Y|', y, count, UNIT.mul, 'scale')];

export const rules: Record<string, CostRule> = {
  MatMul: matmul(0),
  // Zero points are subtracted inside the integer kernel: no extra work counted.
  MatMulInteger: matmul(0),
  // QLinearMatMul(a, a_scale, a_zero_point, b, b_scale, b_zero_point, y_scale, y_zero_point).
  QLinearMatMul: matmul(0, requantize),
  Gemm: gemm({ a: 0, b: 1, c: 2 }),
  'com.microsoft:FusedGemm': gemm({ a: 0, b: 1, c: 2, extra: fusedActivation }),
  // QGemm(A, a_scale, a_zero_point, B, b_scale, b_zero_point, C, y_scale, y_zero_point).
  'com.microsoft:QGemm': gemm({ a: 0, b: 3, c: 6, extra: qgemmOutput }),
  'com.microsoft:FusedMatMul': matmul(0, fusedAlpha, fusedOperand),
  // MatMulIntegerToFloat(A, B, a_scale, b_scale, a_zero_point, b_zero_point, bias).
  'com.microsoft:MatMulIntegerToFloat': matmul(0, (ctx, y, count) => [perElement('|Y|', y, count, UNIT.mul, 'scale'), ...optional(ctx, 6, perElement('|Y|', y, count, UNIT.add, 'bias'))]),
  'com.microsoft:DynamicQuantizeMatMul': matmul(0, dynamicQuantize),
  'com.microsoft:MatMulNBits': matmul(0, nbitsDequantize),
};
