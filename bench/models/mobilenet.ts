/**
 * MobileNetV2 (torchvision's) as PyTorch exports it without folding: Conv (no bias) →
 * BatchNormalization → Clip(0, 6), inverted residual blocks (1×1 expansion, 3×3 depthwise,
 * 1×1 projection, residual Add at stride 1 when the width is kept), a 1×1 Conv to 1280,
 * GlobalAveragePool, Flatten, Gemm. Depthwise convolutions make BatchNormalization folding
 * matter more here than in ResNets: they are memory-bound. Input `input` [N, 3, size, size].
 */
import { attr, DataType, GraphBuilder, valueInfo } from './builder.js';
import type { ModelProto } from '../../engine/core/onnx/index.js';
import { convBn } from './layers.js';

export interface MobileNetV2Options {
  /** Width multiplier: channels scaled and rounded to multiples of 8, as torchvision does. */
  readonly width: number;
  readonly inputSize: number;
  readonly classes: number;
  readonly seed: number;
}

/** torchvision's mobilenet_v2(): width 1.0 at 224×224, ~3.5 M parameters. */
export const MOBILENET_V2: MobileNetV2Options = { width: 1, inputSize: 224, classes: 1000, seed: 2 };

/** Expansion t, channels c, repeats n, first stride s of each stage. */
const STAGES: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** torchvision's _make_divisible: nearest multiple of 8, never more than 10% below. */
function divisible(v: number): number {
  const r = Math.max(8, Math.floor(v + 4) - (Math.floor(v + 4) % 8));
  return r < 0.9 * v ? r + 8 : r;
}

function relu6(b: GraphBuilder, scope: string, x: string): string {
  return b.one(scope, 'Clip', [x, b.constFloat(scope, 0), b.constFloat(scope, 6)]);
}

/** Conv + BN + ReLU6 as torchvision's Conv2dNormActivation at `features.${index}`. */
function convBnRelu6(b: GraphBuilder, index: string, x: string, cin: number, cout: number, k: number, stride: number, group = 1): string {
  const scope = `/features/features.${index}`;
  const y = convBn(b, `${scope}/features.${index}.0`, `features.${index}.0`, x, cin, cout, k, stride, `features.${index}.1`, group);
  return relu6(b, `${scope}/features.${index}.2`, y);
}

function invertedResidual(b: GraphBuilder, index: number, x: string, cin: number, cout: number, stride: number, expand: number): string {
  const hidden = Math.round(cin * expand);
  const at = `${index}.conv`;
  let y = x;
  let layer = 0;
  if (expand !== 1) y = convBnRelu6(b, `${at}.${layer++}`, y, cin, hidden, 1, 1);
  y = convBnRelu6(b, `${at}.${layer++}`, y, hidden, hidden, 3, stride, hidden);
  const scope = `/features/features.${index}/conv`;
  y = convBn(b, scope, `features.${at}.${layer}`, y, hidden, cout, 1, 1, `features.${at}.${layer + 1}`);
  return stride === 1 && cin === cout ? b.one(`/features/features.${index}`, 'Add', [x, y]) : y;
}

/** MobileNetV2 with unfolded BatchNormalization; `MOBILENET_V2` by default. */
export function mobilenetV2(options: MobileNetV2Options = MOBILENET_V2): ModelProto {
  const b = new GraphBuilder(options.seed);
  let cin = divisible(32 * options.width);
  let x = convBnRelu6(b, '0', 'input', 3, cin, 3, 2);
  let index = 1;
  for (const [t, c, n, s] of STAGES) {
    const cout = divisible(c * options.width);
    for (let i = 0; i < n; i++) {
      x = invertedResidual(b, index++, x, cin, cout, i === 0 ? s : 1, t);
      cin = cout;
    }
  }
  const last = divisible(1280 * Math.max(1, options.width));
  x = convBnRelu6(b, String(index), x, cin, last, 1, 1);
  x = b.one('/gap', 'GlobalAveragePool', [x]);
  x = b.one('', 'Flatten', [x], [attr.int('axis', 1)]);
  const w = b.weight('classifier.1.weight', [options.classes, last], Math.sqrt(6 / last));
  const bias = b.weight('classifier.1.bias', [options.classes], 0.01);
  b.one('/classifier/classifier.1', 'Gemm', [x, w, bias], [attr.float('alpha', 1), attr.float('beta', 1), attr.int('transB', 1)], 'output');
  const size = options.inputSize;
  return b.model('main_graph', [valueInfo('input', DataType.FLOAT, ['N', 3, size, size])], [valueInfo('output', DataType.FLOAT, ['N', options.classes])], 17);
}
