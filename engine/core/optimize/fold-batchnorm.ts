import { NodeAttributes } from '../graph/attributes.js';
import type { GraphView } from '../graph/graph-view.js';
import { isStandardOp } from '../graph/node-label.js';
import type { NodeProto } from '../onnx/types.js';
import { batchNormAffine } from './batch-norm.js';
import { foldIntoLayers, type Follower } from './fold-into-layer.js';
import type { Pass } from './types.js';

/** True when the node computes with its running statistics: not in training mode, its statistics outputs absent or unread. */
function isInference(bn: NodeProto, view: GraphView): boolean {
  const attrs = new NodeAttributes(bn);
  if (attrs.int('training_mode', 0) !== 0 || attrs.int('spatial', 1) !== 1) return false;
  return bn.output.slice(1).every((o) => o === '' || (view.consumersOf(o).length === 0 && !view.graph.output.some((g) => g.name === o)));
}

const batchNorm: Follower = (layer, bn, { view, constants, log }) => {
  if (!isStandardOp(bn, 'BatchNormalization') || bn.input[0] !== layer.node.output[0] || !isInference(bn, view)) return undefined;
  const names = bn.input.slice(1, 5);
  const affine = names.length === 4 ? batchNormAffine(bn, constants) : undefined;
  if (affine === undefined || affine.scale.length !== layer.channels) return undefined;
  const epsilon = new NodeAttributes(bn).float('epsilon', 1e-5);
  return {
    ...affine,
    reads: names,
    detail: `${log.label(bn)} folded into ${log.label(layer.node)}: its per-channel scale γ/√(σ²+ε) and shift β − μ·γ/√(σ²+ε) (ε = ${Number(epsilon.toPrecision(3))}) now sit in the weights and bias of the ${layer.channels} output channels.`,
  };
};

/** Folds inference BatchNormalization into the Conv, ConvTranspose or Gemm whose output it alone reads. */
export const foldBatchNormPass: Pass = {
  id: 'fold-batchnorm',
  title: 'Fold BatchNormalization',
  summary:
    'Folds a BatchNormalization that alone reads a Conv, ConvTranspose or Gemm output into that layer’s weights and bias (float32 constants only; not in training mode, and not when the layer’s output has other readers).',
  run: (model) => foldIntoLayers(model, 'fold-batchnorm', batchNorm),
};
