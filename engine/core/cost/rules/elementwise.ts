/** Element-wise ops: |Y| × the op's weight (docs/cost-model.md, "Element-wise weights"). */
import type { CostContext, CostRule } from '../context.js';
import { ELEMENTWISE_WEIGHTS, GELU_TANH, powWeight } from '../weights.js';
import { elementWork, perElement } from '../work.js';

/** Ops that take any number of operands: one operation per output element for each operand after the first. */
const VARIADIC = new Set(['Sum', 'Max', 'Min', 'Mean']);

function weightOf(ctx: CostContext, op: string): number {
  if (op === 'Pow') return powWeight(ctx.numbers(1));
  if (op === 'Gelu' && ctx.string('approximate', 'none') === 'tanh') return GELU_TANH;
  return ELEMENTWISE_WEIGHTS[op]!;
}

function elementwise(op: string): CostRule {
  return (ctx) => {
    const y = ctx.outShape(0);
    const count = y.reduce((a, b) => a * b, 1);
    if (!VARIADIC.has(op)) return elementWork([perElement('|Y|', y, count, weightOf(ctx, op), op)]);
    const operands = ctx.node.input.filter((name) => name !== '').length;
    const w = weightOf(ctx, op);
    const terms = [perElement('|Y|', y, count, w * (operands - 1), `${op}: ${operands - 1} × ${w} for ${operands} operands`)];
    // The mean is the sum times 1/n.
    if (op === 'Mean') terms.push(perElement('|Y|', y, count, 1, '× 1/n'));
    return elementWork(terms);
  };
}

export const rules: Record<string, CostRule> = Object.fromEntries(Object.keys(ELEMENTWISE_WEIGHTS).map((op) => [op, elementwise(op)]));
