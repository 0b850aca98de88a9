import type { MergedConvShape, ParallelBranch } from '../memory/parallel-branches.js';
import type { NodeProto } from '../onnx/types.js';
import type { GraphConstants } from './constants.js';
import { batchNormAffine } from './batch-norm.js';
import { scaleShiftOutputChannels } from './conv-weights.js';

/** A convolution's weights [Cout, Cin/group, kh, kw] and per-output-channel bias. */
export interface ConvWeights {
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

interface Kernel {
  readonly weights: Float32Array;
  readonly dims: readonly number[];
  readonly bias: Float32Array | undefined;
}

/** The identity of a grouped convolution: output channel c copies input channel c, which is channel c mod Cin/group of its group. */
function unitKernel(shape: MergedConvShape): Kernel {
  const { outChannels: cout, inChannelsPerGroup: cin } = shape;
  const weights = new Float32Array(cout * cin);
  for (let c = 0; c < cout; c++) weights[c * cin + (c % cin)] = 1;
  return { weights, dims: [cout, cin, 1, 1], bias: undefined };
}

function convKernel(conv: NodeProto, shape: MergedConvShape, constants: GraphConstants): Kernel | undefined {
  const [, w = '', b = ''] = conv.input;
  const weights = constants.float32(w);
  const dims = constants.dims(w);
  const bias = b === '' ? undefined : constants.float32(b);
  if (weights === undefined || dims === undefined || (b !== '' && bias?.length !== shape.outChannels)) return undefined;
  return { weights, dims, bias };
}

/** The branch as one kernel with its bias, its BatchNormalization folded in. */
function branchKernel(branch: ParallelBranch, shape: MergedConvShape, constants: GraphConstants): Kernel | undefined {
  const kernel = branch.conv === undefined ? unitKernel(shape) : convKernel(branch.conv, shape, constants);
  if (kernel === undefined || branch.bn === undefined) return kernel;
  const affine = batchNormAffine(branch.bn, constants);
  if (affine === undefined || affine.scale.length !== shape.outChannels) return undefined;
  const folded = scaleShiftOutputChannels(kernel.weights, kernel.dims, kernel.bias, affine.scale, affine.shift, 'conv', shape.group);
  return { weights: folded.weights, dims: kernel.dims, bias: folded.bias };
}

/** Adds a kernel into the merged one at its centre: kernels that share a centre differ in size by an even number on each axis. */
function addCentred(into: Float64Array, shape: MergedConvShape, kernel: Kernel): void {
  const [kh = 1, kw = 1] = kernel.dims.slice(2);
  const [KH = 1, KW = 1] = shape.kernel;
  const top = (KH - kh) / 2;
  const left = (KW - kw) / 2;
  const filters = shape.outChannels * shape.inChannelsPerGroup;
  for (let f = 0; f < filters; f++) {
    for (let y = 0; y < kh; y++) {
      for (let x = 0; x < kw; x++) into[(f * KH + y + top) * KW + x + left]! += kernel.weights[(f * kh + y) * kw + x]!;
    }
  }
}

/**
 * The weights and bias of the one convolution equal to the sum of the branches: each branch's
 * BatchNormalization folded into its kernel (an identity being a centred unit kernel), kernels
 * zero-padded to the merged size around their centre and added, biases added. Sums in float64.
 * Undefined when some weight or parameter is not a readable float32 constant of the expected size.
 */
export function mergeBranchWeights(branches: readonly ParallelBranch[], shape: MergedConvShape, constants: GraphConstants): ConvWeights | undefined {
  const [KH = 1, KW = 1] = shape.kernel;
  const weights = new Float64Array(shape.outChannels * shape.inChannelsPerGroup * KH * KW);
  const bias = new Float64Array(shape.outChannels);
  for (const branch of branches) {
    const kernel = branchKernel(branch, shape, constants);
    const [cout, cin, kh = 1, kw = 1] = kernel?.dims ?? [];
    if (kernel === undefined || cout !== shape.outChannels || cin !== shape.inChannelsPerGroup || kernel.weights.length !== cout * cin * kh * kw) return undefined;
    addCentred(weights, shape, kernel);
    kernel.bias?.forEach((v, c) => (bias[c]! += v));
  }
  return { weights: Float32Array.from(weights), bias: Float32Array.from(bias) };
}
