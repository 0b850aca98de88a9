import { NodeAttributes } from '../graph/attributes.js';
import { isStandardOp } from '../graph/node-label.js';
import { uniqueName } from '../graph/rewrite.js';
import { DataType } from '../onnx/data-types.js';
import type { GraphProto, NodeProto } from '../onnx/types.js';
import { floatTensor, type GraphConstants } from './constants.js';
import { outputChannels, scaleShiftOutputChannels, type WeightLayout } from './conv-weights.js';
import { channelExtent } from './per-channel.js';

/**
 * A Conv, ConvTranspose or Gemm whose weights and bias are readable float32 constants: a layer
 * that can absorb a per-output-channel y' = scale·y + shift that follows it.
 */
export interface AffineLayer {
  readonly node: NodeProto;
  readonly dims: readonly number[];
  readonly layout: WeightLayout;
  readonly group: number;
  readonly channels: number;
  /** Rank of the layer's output; its axis 1 holds the channels. */
  readonly outputRank: number;
}

function isFloat32(constants: GraphConstants, name: string): boolean {
  return constants.tensor(name)?.dataType === DataType.FLOAT && constants.isReadable(name);
}

function convLayer(node: NodeProto, constants: GraphConstants): AffineLayer | undefined {
  const [, w = '', b = ''] = node.input;
  const dims = constants.dims(w);
  if (!isFloat32(constants, w) || dims === undefined || dims.length < 3) return undefined;
  const layout = node.opType === 'Conv' ? 'conv' : 'conv-transpose';
  const group = new NodeAttributes(node).int('group', 1);
  if (group < 1 || (layout === 'conv-transpose' && dims[0]! % group !== 0)) return undefined;
  const channels = outputChannels(dims, layout, group);
  if (b !== '' && (!isFloat32(constants, b) || constants.dims(b)?.join() !== String(channels))) return undefined;
  return { node, dims, layout, group, channels, outputRank: dims.length };
}

function gemmLayer(node: NodeProto, constants: GraphConstants): AffineLayer | undefined {
  const [, w = '', c = ''] = node.input;
  const dims = constants.dims(w);
  if (!isFloat32(constants, w) || dims?.length !== 2) return undefined;
  const layout = new NodeAttributes(node).int('transB', 0) === 0 ? 'gemm' : 'conv';
  const channels = outputChannels(dims, layout);
  // C must be one value per output column (or one for all), so that it stays a bias after scaling.
  const extent = c === '' ? 1 : channelExtent(constants.dims(c) ?? [0, 0], 2);
  if (c !== '' && (!isFloat32(constants, c) || (extent !== 1 && extent !== channels))) return undefined;
  return { node, dims, layout, group: 1, channels, outputRank: 2 };
}

/**
 * The node as an affine layer, or undefined when it is not one whose weights can be edited:
 * weights or bias not float32 constants, a bias that is not per output channel, a Gemm before
 * opset 7 (its C needed the broadcast attribute).
 */
export function affineLayer(node: NodeProto, constants: GraphConstants, opset: number): AffineLayer | undefined {
  if (isStandardOp(node, 'Conv') || isStandardOp(node, 'ConvTranspose')) return convLayer(node, constants);
  if (isStandardOp(node, 'Gemm') && opset >= 7) return gemmLayer(node, constants);
  return undefined;
}

/** The layer's bias per output channel in float64 (a Gemm's beta·C spread over the columns), or undefined when it has none. */
function biasOf(layer: AffineLayer, constants: GraphConstants): Float64Array | undefined {
  const name = layer.node.input[2] ?? '';
  const values = name === '' ? undefined : constants.float32(name);
  if (values === undefined) return undefined;
  const beta = isStandardOp(layer.node, 'Gemm') ? new NodeAttributes(layer.node).float('beta', 1) : 1;
  return Float64Array.from({ length: layer.channels }, (_, c) => beta * values[values.length === 1 ? 0 : c]!);
}

const folded = (name: string): string => `${name.replace(/_folded(_\d+)?$/, '')}_folded`;

/**
 * Makes the layer compute scale·y + shift per output channel (scale undefined: 1): new weight and
 * bias initializers take the old ones' places (the old tensors are left as they are; shared ones
 * keep serving their other readers). Returns the names the layer no longer reads.
 */
export function scaleShiftLayer(
  graph: GraphProto,
  constants: GraphConstants,
  layer: AffineLayer,
  scale: Float64Array | undefined,
  shift: Float64Array | undefined,
  taken: Set<string>,
): string[] {
  const { node } = layer;
  const [x = '', w = '', b = ''] = node.input;
  const result = scaleShiftOutputChannels(constants.float32(w)!, layer.dims, biasOf(layer, constants), scale ?? new Float64Array(layer.channels).fill(1), shift, layer.layout, layer.group);
  const bName = uniqueName(taken, b === '' ? `${folded(w)}_bias` : folded(b));
  graph.initializer.push(floatTensor([layer.channels], result.bias, bName));
  // A shift alone leaves the weights as they are.
  const wName = scale === undefined ? w : uniqueName(taken, folded(w));
  if (scale !== undefined) graph.initializer.push(floatTensor(layer.dims, result.weights, wName));
  node.input = [x, wName, bName];
  // The bias now holds beta·C.
  if (isStandardOp(node, 'Gemm')) node.attribute = node.attribute.filter((a) => a.name !== 'beta');
  return [w, b].filter((n) => n !== '' && n !== wName);
}
