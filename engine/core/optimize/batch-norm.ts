import { NodeAttributes } from '../graph/attributes.js';
import type { NodeProto } from '../onnx/types.js';
import type { GraphConstants } from './constants.js';

/** BatchNormalization in inference as y = scale·x + shift per channel (float64), or undefined when a parameter is not a readable float32 constant. */
export function batchNormAffine(bn: NodeProto, constants: GraphConstants): { scale: Float64Array; shift: Float64Array } | undefined {
  const [gamma, beta, mean, variance] = bn.input.slice(1, 5).map((name) => constants.float32(name));
  if (gamma === undefined || beta === undefined || mean === undefined || variance === undefined) return undefined;
  const n = gamma.length;
  if (beta.length !== n || mean.length !== n || variance.length !== n) return undefined;
  const epsilon = new NodeAttributes(bn).float('epsilon', 1e-5);
  const scale = new Float64Array(n);
  const shift = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    scale[c] = gamma[c]! / Math.sqrt(variance[c]! + epsilon);
    shift[c] = beta[c]! - mean[c]! * scale[c]!;
  }
  return { scale, shift };
}
