/**
 * Pooling: per output element, one operation per window element (a compare for max, an add for
 * average, a power and an add for Lp) and the finishing division or root. Global pools' window
 * is the whole spatial extent. Padding taps are counted as if present: an upper bound.
 */
import type { CostContext, CostRule } from '../context.js';
import { dimsText, product } from '../format.js';
import { ELEMENTWISE_WEIGHTS, REQUANTIZE, UNIT } from '../weights.js';
import { elementWork, perElement, type Term } from '../work.js';

const { add, cmp, div, sqrt } = UNIT;
const POW = ELEMENTWISE_WEIGHTS.Pow!;

/** Work per window element and per output element. */
interface Reduction {
  readonly perTap: number;
  readonly perOutput: number;
  readonly what: string;
}

const MAX: Reduction = { perTap: cmp, perOutput: 0, what: 'max' };
const AVERAGE: Reduction = { perTap: add, perOutput: div, what: 'sum, ÷ n' };

function lp(ctx: CostContext): Reduction {
  const p = ctx.int('p', 2);
  if (p === 1) return { perTap: cmp + add, perOutput: 0, what: 'L1: |x| summed' };
  if (p === 2) return { perTap: UNIT.mul + add, perOutput: sqrt, what: 'L2: x² summed, √' };
  return { perTap: POW + add, perOutput: POW, what: `L${p}: |x|^p summed, ^(1/p)` };
}

function pool(window: (ctx: CostContext) => number[], reduction: (ctx: CostContext) => Reduction, extra: (y: number[], count: number) => Term[] = () => []): CostRule {
  return (ctx) => {
    const kernel = window(ctx);
    const y = ctx.outShape(0);
    const count = product(y);
    const r = reduction(ctx);
    const perOutput = product(kernel) * r.perTap + r.perOutput;
    return elementWork([perElement('|Y|', y, count, perOutput, `window ${dimsText(kernel)}: ${r.what}`), ...extra(y, count)]);
  };
}

const local = (ctx: CostContext): number[] => ctx.ints('kernel_shape') ?? ctx.fail('kernel_shape is required');
const global = (ctx: CostContext): number[] => ctx.shape(0).slice(2);
const requantize = (y: number[], count: number): Term[] => [perElement('|Y|', y, count, REQUANTIZE, 'requantize')];

export const rules: Record<string, CostRule> = {
  MaxPool: pool(local, () => MAX),
  AveragePool: pool(local, () => AVERAGE),
  LpPool: pool(local, lp),
  GlobalMaxPool: pool(global, () => MAX),
  GlobalAveragePool: pool(global, () => AVERAGE),
  GlobalLpPool: pool(global, lp),
  'com.microsoft:QLinearAveragePool': pool(local, () => AVERAGE, requantize),
  'com.microsoft:QLinearGlobalAveragePool': pool(global, () => AVERAGE, requantize),
};
