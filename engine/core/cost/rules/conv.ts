/**
 * Convolutions. MACs = |Y| × C_in/group × ∏kernel: strides and dilations act through |Y|,
 * groups through W's second dim (C_in/group). ConvTranspose scatters each input element:
 * |X| × C_out/group × ∏kernel.
 */
import type { CostContext, CostRule } from '../context.js';
import { dimsText, product } from '../format.js';
import { REQUANTIZE, activationWeight } from '../weights.js';
import { macWork, perElement, type Term } from '../work.js';

/** Input positions of W and the bias, and the element-wise work beyond the bias. */
interface ConvLayout {
  readonly w: number;
  readonly bias?: number;
  readonly extra?: (ctx: CostContext, y: readonly number[], count: number) => Term[];
}

function weightShape(ctx: CostContext, layout: ConvLayout): number[] {
  const w = ctx.shape(layout.w);
  if (w.length < 3) return ctx.fail(`W has rank ${w.length}; a convolution needs out x in x kernel dims`);
  return w;
}

function groupText(ctx: CostContext): string {
  const group = ctx.int('group', 1);
  return group === 1 ? '' : ` (group ${group})`;
}

function biasTerms(ctx: CostContext, layout: ConvLayout, y: readonly number[], count: number): Term[] {
  const terms = layout.bias !== undefined && ctx.has(layout.bias) ? [perElement('|Y|', y, count, 1, 'bias')] : [];
  return [...terms, ...(layout.extra?.(ctx, y, count) ?? [])];
}

function conv(layout: ConvLayout): CostRule {
  return (ctx) => {
    const w = weightShape(ctx, layout);
    const y = ctx.outShape(0);
    const count = product(y);
    const kernel = w.slice(2);
    const macs = count * w[1]! * product(kernel);
    return macWork(macs, `|Y| ${dimsText(y)} × C_in/g ${w[1]}${groupText(ctx)} × k ${dimsText(kernel)}`, biasTerms(ctx, layout, y, count));
  };
}

const convTranspose: CostRule = (ctx) => {
  const layout = { w: 1, bias: 2 };
  const w = weightShape(ctx, layout);
  const x = ctx.shape(0);
  const y = ctx.outShape(0);
  const kernel = w.slice(2);
  const macs = product(x) * w[1]! * product(kernel);
  return macWork(macs, `|X| ${dimsText(x)} × C_out/g ${w[1]}${groupText(ctx)} × k ${dimsText(kernel)}`, biasTerms(ctx, layout, y, product(y)));
};

/** ONNX Runtime's FusedConv: Conv, then an optional sum input Z, then the activation. */
function fusedTerms(ctx: CostContext, y: readonly number[], count: number): Term[] {
  const terms = ctx.has(3) ? [perElement('|Y|', y, count, 1, 'add Z')] : [];
  const activation = ctx.string('activation', '');
  if (activation === '') return terms;
  const weight = activationWeight(activation) ?? ctx.fail(`activation "${activation}" has no cost weight`);
  return [...terms, perElement('|Y|', y, count, weight, activation)];
}

export const rules: Record<string, CostRule> = {
  Conv: conv({ w: 1, bias: 2 }),
  // Zero points are subtracted inside the integer kernel: no extra work counted.
  ConvInteger: conv({ w: 1 }),
  // QLinearConv(x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B).
  QLinearConv: conv({ w: 3, bias: 8, extra: (_ctx, y, count) => [perElement('|Y|', y, count, REQUANTIZE, 'requantize')] }),
  ConvTranspose: convTranspose,
  'com.microsoft:FusedConv': conv({ w: 1, bias: 2, extra: fusedTerms }),
};
