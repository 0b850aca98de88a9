import type { NodeProto } from '../onnx/types.js';
import { isStatic, tensorBytes } from '../shape/types.js';
import { CostContext, Uncountable } from './context.js';
import { product } from './format.js';
import { costRuleFor } from './rules/index.js';
import type { CostInput, NodeCost } from './types.js';
import { DEFAULT_DOMAINS } from '../graph/node-label.js';

/** Ops ONNX Runtime leaves in place even when every input is constant: QDQ pairs it fuses later, random ones, control flow. */
const NEVER_FOLDED = new Set(['QuantizeLinear', 'DequantizeLinear', 'RandomNormalLike', 'RandomUniformLike', 'Bernoulli', 'Multinomial', 'If', 'Loop', 'Scan']);

/** '' for the default domain (written '' or 'ai.onnx'), else the domain. */
export function domainOf(node: NodeProto): string {
  return DEFAULT_DOMAINS.has(node.domain) ? '' : node.domain;
}

/**
 * True when the runtime evaluates the node once, when the session loads: a default-domain op
 * whose every given input is constant (ONNX Runtime's constant folding). Its outputs are then
 * constants too.
 */
export function isFolded(node: NodeProto, isConstant: (inputIndex: number) => boolean): boolean {
  if (domainOf(node) !== '' || NEVER_FOLDED.has(node.opType)) return false;
  const given = node.input.flatMap((name, i) => (name === '' ? [] : [i]));
  return given.length > 0 && given.every(isConstant);
}

/** True when shape inference knows every output's contents: shape arithmetic on a few numbers. */
function contentsKnown(input: CostInput): boolean {
  const given = input.node.output.flatMap((name, i) => (name === '' ? [] : [input.outputs[i]]));
  return given.length > 0 && given.every((t) => t?.kind === 'tensor' && t.value !== undefined && t.value.every((d) => typeof d === 'number'));
}

/** A constant input by name, with its elements and bytes. */
export interface ConstantRead {
  readonly name: string;
  readonly elements: number;
  readonly bytes: number;
}

/** The node's constant inputs whose size is known. */
export function constantReads(input: CostInput): ConstantRead[] {
  return input.node.input.flatMap((name, i) => {
    const t = input.inputs[i];
    if (name === '' || !input.isConstant(i) || t?.kind !== 'tensor' || !isStatic(t.shape)) return [];
    const bytes = tensorBytes(t);
    return bytes === undefined ? [] : [{ name, elements: product(t.shape), bytes }];
  });
}

function zero(formula: string): NodeCost {
  return { counted: true, macs: 0, flops: 0, params: 0, weightBytes: 0, readBytes: 0, writeBytes: 0, formula };
}

/**
 * The cost of one node, run once. Never throws for an op it cannot price: the node comes back
 * uncounted with the reason (no rule, a shape that is not known as numbers). Nodes the runtime
 * folds at load and shape arithmetic cost 0 and say so.
 */
export function costOfNode(input: CostInput): NodeCost {
  const { node } = input;
  if (isFolded(node, input.isConstant)) return zero('0: every input is constant, so the runtime folds it once when the session loads');
  if (node.input.some((name) => name !== '') && contentsKnown(input)) return zero('0: shape arithmetic whose results are known before running');
  const domain = domainOf(node);
  const rule = costRuleFor(domain, node.opType);
  const reads = constantReads(input);
  const weights = { params: reads.reduce((a, r) => a + r.elements, 0), weightBytes: reads.reduce((a, r) => a + r.bytes, 0) };
  const uncounted = (reason: string): NodeCost => ({ counted: false, uncountedReason: reason, macs: 0, flops: 0, ...weights, readBytes: 0, writeBytes: 0, formula: `uncounted: ${reason}` });
  if (rule === undefined) return uncounted(`no cost rule for ${domain === '' ? '' : `${domain}.`}${node.opType}`);
  try {
    const ctx = new CostContext(input);
    const work = rule(ctx);
    return {
      counted: true,
      macs: work.macs ?? 0,
      flops: work.flops,
      params: work.params ?? weights.params,
      weightBytes: work.weightBytes ?? weights.weightBytes,
      readBytes: work.readBytes ?? ctx.allInputBytes(),
      writeBytes: work.writeBytes ?? ctx.allOutputBytes(),
      formula: work.formula,
      ...(work.bodies === undefined ? {} : { bodies: work.bodies }),
    };
  } catch (err) {
    if (err instanceof Uncountable) return uncounted(err.message);
    throw err;
  }
}
