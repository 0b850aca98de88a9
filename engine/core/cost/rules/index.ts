/** The cost rules of every op Whittle counts, keyed by op type (`domain:Op` outside the default domain). */
import type { CostRule } from '../context.js';
import { rules as attention } from './attention.js';
import { rules as controlFlow } from './control-flow.js';
import { rules as conv } from './conv.js';
import { rules as einsum } from './einsum.js';
import { rules as elementwise } from './elementwise.js';
import { rules as matmul } from './matmul.js';
import { rules as movement } from './movement.js';
import { rules as normalization } from './normalization.js';
import { rules as pooling } from './pooling.js';
import { rules as recurrent } from './recurrent.js';
import { rules as reduce } from './reduce.js';
import { rules as resize } from './resize.js';

const RULES = new Map<string, CostRule>(
  Object.entries({ ...elementwise, ...movement, ...conv, ...matmul, ...einsum, ...attention, ...recurrent, ...normalization, ...pooling, ...reduce, ...resize, ...controlFlow }),
);

/** The rule for an op, or undefined when Whittle has none. `domain` is '' for the default domain. */
export function costRuleFor(domain: string, opType: string): CostRule | undefined {
  return RULES.get(domain === '' ? opType : `${domain}:${opType}`);
}

/** Op types with a cost rule, sorted: what docs/cost-model.md must list. */
export function costedOps(): string[] {
  return [...RULES.keys()].sort();
}
