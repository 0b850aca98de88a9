/** The shape rules of every op Whittle infers, keyed by op type (`domain:Op` outside the default domain). */
import type { ShapeRule } from '../context.js';
import { rules as elementwise } from './elementwise.js';
import { rules as tensorOps } from './tensor-ops.js';
import { rules as shapeOps } from './shape-ops.js';
import { rules as reduce } from './reduce.js';
import { rules as indexing } from './indexing.js';
import { rules as resize } from './resize.js';
import { rules as nn } from './nn.js';
import { rules as conv } from './conv.js';
import { rules as pooling } from './pooling.js';
import { rules as normalization } from './normalization.js';
import { rules as linalg } from './linalg.js';
import { rules as einsum } from './einsum.js';
import { rules as recurrent } from './recurrent.js';
import { rules as quantize } from './quantize.js';
import { rules as controlFlow } from './control-flow.js';
import { rules as sequence } from './sequence.js';
import { rules as signal } from './signal.js';
import { rules as random } from './random.js';
import { rules as loss } from './loss.js';
import { rules as training } from './training.js';
import { rules as detection } from './detection.js';
import { rules as text } from './text.js';
import { rules as image } from './image.js';

const RULES = new Map<string, ShapeRule>(Object.entries({ ...elementwise, ...tensorOps, ...shapeOps, ...reduce, ...indexing, ...resize, ...nn, ...conv, ...pooling, ...normalization, ...linalg, ...einsum, ...recurrent, ...quantize, ...controlFlow, ...sequence, ...signal, ...random, ...loss, ...training, ...detection, ...text, ...image }));

/** The rule for an op, or undefined when Whittle has none. `domain` is '' for the default domain. */
export function ruleFor(domain: string, opType: string): ShapeRule | undefined {
  return RULES.get(domain === '' ? opType : `${domain}:${opType}`);
}

/** Op types with a rule, for reports of what is covered. */
export function coveredOps(): string[] {
  return [...RULES.keys()].sort();
}
