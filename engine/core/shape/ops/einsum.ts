/** Einsum: parses the equation (explicit or implicit output, ellipsis) and maps labels to dims. */
import type { NodeContext, ShapeRule } from '../context.js';
import { broadcastShapes } from '../dims.js';
import { tensorOf, type Dim } from '../types.js';

const ELLIPSIS = '...';

/** One term of the equation: its labels in order, ELLIPSIS standing for the broadcast dims. */
type Term = string[];

function parseTerm(ctx: NodeContext, text: string): Term {
  const term: Term = [];
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith(ELLIPSIS, i)) {
      if (term.includes(ELLIPSIS)) return ctx.fail(`term "${text}" has more than one ellipsis`);
      term.push(ELLIPSIS);
      i += ELLIPSIS.length - 1;
    } else if (/^[A-Za-z]$/.test(text[i]!)) {
      term.push(text[i]!);
    } else {
      return ctx.fail(`equation term "${text}" has "${text[i]}"; only letters and "..." are allowed`);
    }
  }
  return term;
}

/** Unifies a label's dims across inputs the way broadcasting does (1 stretches). */
function unify(ctx: NodeContext, label: string, known: Dim | undefined, next: Dim): Dim {
  if (known === undefined) return next;
  const b = broadcastShapes([known], [next]);
  if (typeof b === 'string') return ctx.fail(`label "${label}" is ${known} in one input and ${next} in another`);
  return b[0]!;
}

const einsum: ShapeRule = (ctx) => {
  const dtype = ctx.dtype(0);
  const equation = ctx.string('equation') ?? ctx.fail('equation is required');
  const [lhs, rhs, extra] = equation.replace(/ /g, '').split('->');
  if (extra !== undefined) return ctx.fail(`equation "${equation}" has more than one "->"`);
  const terms = lhs!.split(',').map((t) => parseTerm(ctx, t));
  if (terms.length !== ctx.inputCount) return ctx.fail(`equation has ${terms.length} input terms for ${ctx.inputCount} inputs`);
  const shapes = terms.map((_, i) => ctx.shape(i));
  if (shapes.some((s) => s === undefined)) return [tensorOf(dtype)];

  const dims = new Map<string, Dim>();
  const counts = new Map<string, number>();
  let ellipsis: readonly Dim[] = [];
  terms.forEach((term, i) => {
    const shape = shapes[i]!;
    const labels = term.filter((l) => l !== ELLIPSIS).length;
    const spread = shape.length - labels;
    if (term.includes(ELLIPSIS) ? spread < 0 : spread !== 0) ctx.fail(`input ${i} has rank ${shape.length}; its term "${term.join('')}" needs ${labels}`);
    let axis = 0;
    for (const label of term) {
      if (label === ELLIPSIS) {
        const b = broadcastShapes(ellipsis, shape.slice(axis, axis + spread));
        if (typeof b === 'string') ctx.fail(`dims under "...": ${b}`);
        ellipsis = b as readonly Dim[];
        axis += spread;
        continue;
      }
      dims.set(label, unify(ctx, label, dims.get(label), shape[axis++]!));
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
  });

  const hasEllipsis = terms.some((t) => t.includes(ELLIPSIS));
  const output: Term =
    rhs !== undefined
      ? parseTerm(ctx, rhs)
      : [...(hasEllipsis ? [ELLIPSIS] : []), ...[...counts.keys()].filter((l) => counts.get(l) === 1).sort()];
  const shape: Dim[] = [];
  for (const label of output) {
    if (label === ELLIPSIS) shape.push(...ellipsis);
    else if (!dims.has(label)) return ctx.fail(`output label "${label}" is in no input`);
    else if (output.indexOf(label) !== output.lastIndexOf(label)) return ctx.fail(`output label "${label}" appears twice`);
    else shape.push(dims.get(label)!);
  }
  return [tensorOf(dtype, shape)];
};

export const rules: Record<string, ShapeRule> = { Einsum: einsum };
