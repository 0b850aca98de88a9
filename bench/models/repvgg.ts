/**
 * RepVGG in its training-time form, as the official code exports it before `switch_to_deploy`:
 * each block sums a 3×3 Conv + BatchNormalization, a 1×1 Conv + BatchNormalization and, where
 * the block keeps its size and width, a BatchNormalization of the input (two Adds), then Relu;
 * the first block of each stage has stride 2. GlobalAveragePool, Flatten, Gemm. Input
 * `input` [N, 3, size, size] with a symbolic batch.
 */
import { attr, DataType, GraphBuilder, valueInfo } from './builder.js';
import type { ModelProto } from '../../engine/core/onnx/index.js';
import { batchNorm, convBn } from './layers.js';

export interface RepVggOptions {
  /** Output channels of each stage. */
  readonly widths: readonly number[];
  /** Blocks in each stage. */
  readonly depths: readonly number[];
  readonly inputSize: number;
  readonly classes: number;
  readonly seed: number;
}

/** RepVGG-A0 (a = 0.75, b = 2.5): widths min(64, 64a), 64a, 128a, 256a, 512b; depths 1, 2, 4, 14, 1; ~9.1 M parameters in training form. */
export const REPVGG_A0: RepVggOptions = { widths: [48, 48, 96, 192, 1280], depths: [1, 2, 4, 14, 1], inputSize: 224, classes: 1000, seed: 7 };

function block(b: GraphBuilder, name: string, x: string, cin: number, cout: number, stride: number): string {
  const scope = `/${name.split('.')[0]}/${name}`;
  const dense = convBn(b, `${scope}/rbr_dense`, `${name}.rbr_dense.conv`, x, cin, cout, 3, stride, `${name}.rbr_dense.bn`);
  const pointwise = convBn(b, `${scope}/rbr_1x1`, `${name}.rbr_1x1.conv`, x, cin, cout, 1, stride, `${name}.rbr_1x1.bn`);
  let sum = b.one(scope, 'Add', [dense, pointwise]);
  if (stride === 1 && cin === cout) sum = b.one(scope, 'Add', [sum, batchNorm(b, scope, `${name}.rbr_identity`, x, cin)]);
  return b.one(`${scope}/nonlinearity`, 'Relu', [sum]);
}

/** A RepVGG network in training form; `REPVGG_A0` by default. */
export function repvgg(options: RepVggOptions = REPVGG_A0): ModelProto {
  const b = new GraphBuilder(options.seed);
  let x = 'input';
  let cin = 3;
  options.widths.forEach((width, s) => {
    for (let i = 0; i < options.depths[s]!; i++) {
      x = block(b, `stage${s}.${i}`, x, cin, width, i === 0 ? 2 : 1);
      cin = width;
    }
  });
  x = b.one('/gap', 'GlobalAveragePool', [x]);
  x = b.one('', 'Flatten', [x], [attr.int('axis', 1)]);
  const w = b.weight('linear.weight', [options.classes, cin], Math.sqrt(6 / cin));
  const bias = b.weight('linear.bias', [options.classes], 0.01);
  b.one('/linear', 'Gemm', [x, w, bias], [attr.float('alpha', 1), attr.float('beta', 1), attr.int('transB', 1)], 'output');
  const size = options.inputSize;
  return b.model('main_graph', [valueInfo('input', DataType.FLOAT, ['N', 3, size, size])], [valueInfo('output', DataType.FLOAT, ['N', options.classes])], 17);
}
