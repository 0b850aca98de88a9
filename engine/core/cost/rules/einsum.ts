/**
 * Einsum, where the cost is decidable. Two operands: evaluated directly, one multiply-accumulate
 * per combination of index values, so MACs = ∏ of every distinct index size. One operand: one
 * add per input combination when an index is summed away, else pure data movement. Three or
 * more: the cost depends on the contraction order a runtime picks, so it is uncounted.
 */
import type { CostContext, CostRule } from '../context.js';
import { product } from '../format.js';
import { elementWork, macWork, movementWork } from '../work.js';

const ELLIPSIS = '...';

function parseTerm(ctx: CostContext, text: string): string[] {
  const labels: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith(ELLIPSIS, i)) {
      labels.push(ELLIPSIS);
      i += ELLIPSIS.length - 1;
    } else if (/^[A-Za-z]$/.test(text[i]!)) {
      labels.push(text[i]!);
    } else {
      return ctx.fail(`equation term "${text}" has "${text[i]}"`);
    }
  }
  return labels;
}

/** Right-aligned broadcast of two dim lists (a 1 stretches). */
function broadcast(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => Math.max(a[a.length - n + i] ?? 1, b[b.length - n + i] ?? 1));
}

const einsum: CostRule = (ctx) => {
  const equation = ctx.string('equation', '').replace(/\s/g, '');
  const [lhs = '', rhs] = equation.split('->');
  const terms = lhs.split(',').map((t) => parseTerm(ctx, t));
  if (terms.length !== ctx.inputCount) return ctx.fail(`equation "${equation}" has ${terms.length} operands for ${ctx.inputCount} inputs`);
  if (terms.length > 2) return ctx.fail(`Einsum of ${terms.length} operands: its cost depends on the contraction order the runtime picks`);

  const sizes = new Map<string, number>();
  const uses = new Map<string, number>();
  let ellipsis: number[] = [];
  terms.forEach((term, i) => {
    const shape = ctx.shape(i);
    const spread = shape.length - term.filter((l) => l !== ELLIPSIS).length;
    let axis = 0;
    for (const label of term) {
      if (label === ELLIPSIS) {
        ellipsis = broadcast(ellipsis, shape.slice(axis, axis + spread));
        axis += spread;
      } else {
        sizes.set(label, Math.max(sizes.get(label) ?? 1, shape[axis++]!));
        uses.set(label, (uses.get(label) ?? 0) + 1);
      }
    }
  });
  // Implicit output: the labels used once, in alphabetical order.
  const output = rhs !== undefined ? parseTerm(ctx, rhs) : [...uses.keys()].filter((l) => uses.get(l) === 1);
  const every = [...sizes.entries()].map(([label, size]) => `${label} ${size}`);
  if (ellipsis.length > 0) every.push(`… ${ellipsis.join('·')}`);
  const combinations = product([...sizes.values()]) * product(ellipsis);
  const text = `∏ of every index (${every.join(', ')})`;
  if (terms.length === 2) return macWork(combinations, text);
  const summed = [...sizes.keys()].some((l) => !output.includes(l));
  if (!summed) return movementWork(`"${equation}" only rearranges`, ctx.allInputBytes(), ctx.allOutputBytes());
  return elementWork([{ text: `${text} × 1 (add)`, flops: combinations }]);
};

export const rules: Record<string, CostRule> = { Einsum: einsum };
