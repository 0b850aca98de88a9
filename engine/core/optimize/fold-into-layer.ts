import type { ModelProto, NodeProto } from '../onnx/types.js';
import { affineLayer, scaleShiftLayer, type AffineLayer } from './affine-layer.js';
import { loneReader, takeOverOutput } from './rewire.js';
import { rewriteInRounds, type Round } from './rounds.js';
import type { PassId, PassResult } from './types.js';

/** A per-output-channel y' = scale·y + shift that a node following a layer computes (no scale: 1), and what to log. */
export interface Absorbed {
  readonly scale?: Float64Array;
  readonly shift?: Float64Array;
  /** Constants the follower read (dropped when nothing else reads them). */
  readonly reads: readonly string[];
  readonly detail: string;
}

/** The map `reader`, the lone reader of the layer's output, computes; undefined when it is not one this pass folds. */
export type Follower = (layer: AffineLayer, reader: NodeProto, round: Round) => Absorbed | undefined;

/**
 * Folds, into each Conv, ConvTranspose or Gemm, the per-channel affine map that alone reads its
 * output; in rounds, so a chain (Mul then Add) folds in one run. The layer takes over the
 * follower's output name, so graph outputs keep theirs.
 */
export function foldIntoLayers(model: ModelProto, pass: PassId, follower: Follower): PassResult {
  return rewriteInRounds(model, pass, (round) => {
    const { graph, view, constants, opset, log } = round;
    for (const node of graph.node) {
      const reader = loneReader(view, node.output[0] ?? '');
      if (reader === undefined) continue;
      const layer = affineLayer(node, constants, opset);
      const absorbed = layer && follower(layer, reader, round);
      if (layer === undefined || absorbed === undefined) continue;
      round.release([...scaleShiftLayer(graph, constants, layer, absorbed.scale, absorbed.shift, round.taken), ...absorbed.reads]);
      takeOverOutput(graph, node, reader);
      round.remove(reader);
      log.add('folded', [node, reader], node, absorbed.detail);
    }
  });
}
