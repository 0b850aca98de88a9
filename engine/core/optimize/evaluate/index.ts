/**
 * A small evaluator of standard ONNX ops over known tensors, for constant folding. It knows
 * shape arithmetic and simple element-wise math; any other op (and any case a kernel refuses) is
 * simply not evaluated.
 */
import { NodeAttributes } from '../../graph/attributes.js';
import { DEFAULT_DOMAINS } from '../../graph/node-label.js';
import type { NodeProto } from '../../onnx/types.js';
import { kernels as cast } from './cast.js';
import { kernels as elementwise } from './elementwise.js';
import { kernels as gatherSlice } from './gather-slice.js';
import { kernels as reduce } from './reduce.js';
import { kernels as shapeOps, shapeValue, sizeValue } from './shape-ops.js';
import { Args, EvalRefusal, type Kernel, type Value } from './tensor.js';

export { tensorOfValue, valueOfTensor, type Value } from './tensor.js';

const KERNELS: ReadonlyMap<string, Kernel> = new Map(Object.entries({ ...elementwise, ...cast, ...shapeOps, ...gatherSlice, ...reduce }));

/** True when the op is one the evaluator computes (given known inputs), Shape and Size included. */
export function isEvaluable(node: NodeProto): boolean {
  return DEFAULT_DOMAINS.has(node.domain) && (KERNELS.has(node.opType) || node.opType === 'Shape' || node.opType === 'Size');
}

/** Ops whose output depends only on the input's dims, not its contents. */
export function readsOnlyDims(node: NodeProto): boolean {
  return DEFAULT_DOMAINS.has(node.domain) && (node.opType === 'Shape' || node.opType === 'Size');
}

/** The output of a Shape or Size node whose input has these dims. */
export function evaluateDims(node: NodeProto, dims: readonly number[]): Value {
  if (node.opType === 'Size') return sizeValue(dims);
  const attributes = new NodeAttributes(node);
  return shapeValue(dims, attributes.int('start', 0), attributes.int('end', dims.length));
}

/**
 * The outputs of a node whose inputs are all known (undefined for absent optional inputs), one per
 * node output; undefined when the evaluator does not know the op, refuses the case, or a result
 * would have more than `maxElements` elements.
 */
export function evaluateNode(node: NodeProto, opset: number, inputs: readonly (Value | undefined)[], maxElements: number): Value[] | undefined {
  const kernel = DEFAULT_DOMAINS.has(node.domain) ? KERNELS.get(node.opType) : undefined;
  if (kernel === undefined) return undefined;
  try {
    const outputs = kernel(new Args(node, opset, inputs, maxElements)).slice(0, node.output.length);
    // Kernels that pass an input through (Identity) make nothing new, so the cap is checked here too.
    return outputs.length === node.output.length && outputs.every((v) => v.data.length <= maxElements) ? outputs : undefined;
  } catch (err) {
    if (err instanceof EvalRefusal) return undefined;
    throw err;
  }
}
