import { isStandardOp } from '../graph/node-label.js';
import { foldIntoLayers, type Follower } from './fold-into-layer.js';
import { channelExtent } from './per-channel.js';
import type { Pass } from './types.js';

/**
 * A Mul or Add of the layer's output and a float32 constant that varies only along the channels
 * (one value per channel, or one for all): a per-channel scale or shift.
 */
const scaleOrShift: Follower = (layer, reader, { constants, log }) => {
  const mul = isStandardOp(reader, 'Mul');
  if (!mul && !isStandardOp(reader, 'Add')) return undefined;
  const value = layer.node.output[0];
  const [a = '', b = ''] = reader.input;
  const other = a === value ? b : a;
  const values = constants.float32(other);
  const extent = channelExtent(constants.dims(other) ?? [], layer.outputRank);
  if (reader.input.length !== 2 || values === undefined || (extent !== 1 && extent !== layer.channels)) return undefined;
  const perChannel = Float64Array.from({ length: layer.channels }, (_, c) => values[extent === 1 ? 0 : c]!);
  const what = extent === 1 ? 'one constant' : 'a constant per channel';
  return {
    scale: mul ? perChannel : undefined,
    shift: mul ? undefined : perChannel,
    reads: [other],
    detail: mul
      ? `${log.label(reader)} multiplied the output of ${log.label(layer.node)} by ${what}; the scale now sits in its weights and bias.`
      : `${log.label(reader)} added ${what} to the output of ${log.label(layer.node)}; the shift now sits in its bias.`,
  };
};

/** Folds a Mul or Add by a per-channel constant into the Conv, ConvTranspose or Gemm whose output it alone reads. */
export const foldScaleBiasPass: Pass = {
  id: 'fold-scale-bias',
  title: 'Fold per-channel Mul and Add',
  summary:
    'Folds a Mul or Add by a float32 constant that varies only along the channels (shaped [1,C,1,1], [C,1,1], [C] on a Gemm, or one value) into the Conv, ConvTranspose or Gemm whose output it alone reads; a constant that spreads over the batch or spatial axes is left alone.',
  run: (model) => foldIntoLayers(model, 'fold-scale-bias', scaleOrShift),
};
