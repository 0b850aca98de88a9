/** Hand-built RepVGG-style blocks with seeded weights and BatchNormalization statistics, for the re-parameterization tests. */
import { Rng } from '../../../bench/models/builder.js';
import { DataType, type AttributeProto, type ModelProto, type NodeProto, type TensorProto } from '../../../engine/core/onnx/index.js';
import { attr, graph, leBytes, model, node, tensor, valueInfo } from '../../support/build.js';
import { ort } from '../../support/ort.js';

const F = DataType.FLOAT;

export interface BlockOptions {
  readonly channels?: number;
  readonly group?: number;
  readonly stride?: number;
  /** The identity branch: BatchNormalization of x, x itself, or none. */
  readonly identity?: 'bn' | 'plain' | 'none';
  /** Convolutions with a bias and no BatchNormalization, as after BN folding. */
  readonly folded?: boolean;
  /** Kernel sizes of the parallel convolutions, each padded (k − 1) / 2. */
  readonly kernels?: readonly number[];
  /** Sum every branch with one Sum node instead of a chain of Adds. */
  readonly sum?: boolean;
  /** Overrides of the 3×3 convolution's attributes. */
  readonly pads3x3?: number[];
  /** Dilations of every convolution, padded to keep the size. */
  readonly dilation?: number;
  /** What the 1×1 convolution reads (default x). */
  readonly source1x1?: string;
  /** Makes the 1×1 branch's output a graph output too. */
  readonly exposeBranch?: boolean;
  readonly trainingModeBn?: boolean;
}

const SIZE = 8;

/** A block on x [1, C, 8, 8] (and an unused-by-default input `other`), followed by Relu into y. */
export function repvggBlock(options: BlockOptions = {}): ModelProto {
  const { channels: c = 4, group = 1, stride = 1, identity = 'bn', folded = false, kernels = [3, 1] } = options;
  const rng = new Rng(c * 131 + group * 17 + stride + kernels.length);
  const init: TensorProto[] = [];
  const nodes: NodeProto[] = [];
  const weight = (name: string, dims: number[], scale: number, offset = 0): string => {
    const values = rng.fill(new Float32Array(dims.reduce((a, b) => a * b, 1)), scale, offset);
    init.push(tensor({ name, dataType: F, dims, rawData: leBytes(values) }));
    return name;
  };
  const bn = (name: string, x: string): string => {
    const params = [weight(`${name}_gamma`, [c], 0.5, 1), weight(`${name}_beta`, [c], 0.2), weight(`${name}_mean`, [c], 0.2), weight(`${name}_var`, [c], 0.5, 1)];
    const attrs: AttributeProto[] = [attr.float('epsilon', 1e-3), ...(options.trainingModeBn ? [attr.int('training_mode', 1)] : [])];
    nodes.push(node('BatchNormalization', [x, ...params], [`${name}_out`], attrs, { name }));
    return `${name}_out`;
  };
  const terms = kernels.map((k, i) => {
    const id = kernels.indexOf(k) === i ? `${k}` : `${k}_${i}`;
    const name = `conv${id}`;
    const { dilation = 1 } = options;
    const pad = (dilation * (k - 1)) / 2;
    const attrs = [attr.int('group', group), attr.ints('strides', [stride, stride]), attr.ints('pads', k === 3 && options.pads3x3 ? options.pads3x3 : [pad, pad, pad, pad])];
    if (dilation !== 1) attrs.push(attr.ints('dilations', [dilation, dilation]));
    const inputs = [k === 1 ? (options.source1x1 ?? 'x') : 'x', weight(`w${id}`, [c, c / group, k, k], Math.sqrt(3 / ((c / group) * k * k)))];
    if (folded) inputs.push(weight(`b${id}`, [c], 0.3));
    nodes.push(node('Conv', inputs, [`${name}_out`], attrs, { name }));
    return folded ? `${name}_out` : bn(`bn${id}`, `${name}_out`);
  });
  if (identity === 'bn') terms.push(bn('bnid', 'x'));
  if (identity === 'plain') terms.push('x');
  let sum = terms[0]!;
  if (options.sum) {
    nodes.push(node('Sum', terms, ['s'], [], { name: 'sum' }));
    sum = 's';
  } else {
    terms.slice(1).forEach((t, i) => {
      nodes.push(node('Add', [sum, t], [`s${i + 1}`], [], { name: `add${i + 1}` }));
      sum = `s${i + 1}`;
    });
  }
  nodes.push(node('Relu', [sum], ['y'], [], { name: 'relu' }));
  const out = SIZE / stride;
  const outputs = [valueInfo('y', F, [1, c, out, out]), ...(options.exposeBranch ? [valueInfo(folded ? 'conv1_out' : 'bn1_out', F)] : [])];
  return model(graph({ node: nodes, initializer: init, input: [valueInfo('x', F, [1, c, SIZE, SIZE]), valueInfo('other', F, [1, c, SIZE, SIZE])], output: outputs }));
}

/** Seeded feeds for every graph input of float32 type with static dims. */
export function feedsFor(m: ModelProto, seed = 99): Record<string, ort.Tensor> {
  const rng = new Rng(seed);
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of m.graph!.input) {
    const dims = (input.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue === undefined ? 1 : Number(d.dimValue)));
    feeds[input.name] = new ort.Tensor('float32', rng.fill(new Float32Array(dims.reduce((a, b) => a * b, 1)), 1), dims);
  }
  return feeds;
}
