/**
 * Reductions and scans: work per input element (the accumulate) plus work per output element
 * (the finishing division, root or log).
 */
import type { CostRule } from '../context.js';
import { fmt, product } from '../format.js';
import { UNIT } from '../weights.js';
import { elementWork, perElement, type Term } from '../work.js';

const { add, mul, cmp, div, sqrt, exp, log } = UNIT;

/** Work per output element after the accumulation. */
interface Finish {
  readonly flops: number;
  readonly what: string;
}

function reduce(perInput: number, what: string, finish?: Finish): CostRule {
  return (ctx) => {
    const x = ctx.shape(0);
    const terms: Term[] = [perElement('|X|', x, product(x), perInput, what)];
    if (finish !== undefined) {
      const y = ctx.outShape(0);
      terms.push(perElement('|Y|', y, product(y), finish.flops, finish.what));
    }
    return elementWork(terms);
  };
}

/** TopK keeps a heap of K per row: ⌈log₂(K + 1)⌉ comparisons per input element. */
const topK: CostRule = (ctx) => {
  const k = ctx.opset < 10 ? ctx.int('k', 0) : (ctx.numbers(1)?.[0] ?? ctx.fail('K is not known before running'));
  const x = ctx.shape(0);
  const perInput = Math.max(1, Math.ceil(Math.log2(k + 1)));
  return elementWork([perElement('|X|', x, product(x), perInput, `heap of K ${fmt(k)}`)]);
};

function scan(weight: number, what: string): CostRule {
  return (ctx) => {
    const x = ctx.shape(0);
    return elementWork([perElement('|X|', x, product(x), weight, what)]);
  };
}

export const rules: Record<string, CostRule> = {
  ReduceSum: reduce(add, 'sum'),
  ReduceProd: reduce(mul, 'product'),
  ReduceMax: reduce(cmp, 'max'),
  ReduceMin: reduce(cmp, 'min'),
  ReduceMean: reduce(add, 'sum', { flops: div, what: '÷ n' }),
  ReduceSumSquare: reduce(mul + add, 'x² summed'),
  ReduceL1: reduce(cmp + add, '|x| summed'),
  ReduceL2: reduce(mul + add, 'x² summed', { flops: sqrt, what: '√' }),
  ReduceLogSum: reduce(add, 'sum', { flops: log, what: 'log' }),
  // The stable form: e^(x − max) summed, then log + max.
  ReduceLogSumExp: reduce(cmp + add + exp + add, 'max, e^(x − max) summed', { flops: log + add, what: 'log + max' }),
  ArgMax: reduce(cmp, 'compare'),
  ArgMin: reduce(cmp, 'compare'),
  TopK: topK,
  CumSum: scan(add, 'running sum'),
  CumProd: scan(mul, 'running product'),
};
