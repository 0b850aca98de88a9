/**
 * ResNet-50 (torchvision's v1.5: stride on the 3×3 of each bottleneck) as PyTorch exports it
 * without folding: Conv (no bias) → BatchNormalization → Relu, residual Add, MaxPool,
 * GlobalAveragePool, Flatten, Gemm. fp32 weights, ~25.6 M parameters, ~102 MB. Input
 * `input` [N, 3, 224, 224] with a symbolic batch.
 */
import { attr, DataType, GraphBuilder, valueInfo } from './builder.js';
import type { ModelProto } from '../../engine/core/onnx/index.js';
import { convBn } from './layers.js';

export function resnet50(): ModelProto {
  const b = new GraphBuilder(50);
  let x = convBn(b, '', 'conv1', 'input', 3, 64, 7, 2, 'bn1');
  x = b.one('/relu', 'Relu', [x]);
  x = b.one('/maxpool', 'MaxPool', [x], [attr.int('ceil_mode', 0), attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [2, 2])]);
  let cin = 64;
  const stages: [number, number][] = [
    [3, 64],
    [4, 128],
    [6, 256],
    [3, 512],
  ];
  stages.forEach(([blocks, width], s) => {
    for (let i = 0; i < blocks; i++) {
      const name = `layer${s + 1}.${i}`;
      const scope = `/layer${s + 1}/${name}`;
      const stride = i === 0 && s > 0 ? 2 : 1;
      const cout = width * 4;
      let y = convBn(b, scope, `${name}.conv1`, x, cin, width, 1, 1, `${name}.bn1`);
      y = b.one(`${scope}/relu`, 'Relu', [y]);
      y = convBn(b, scope, `${name}.conv2`, y, width, width, 3, stride, `${name}.bn2`);
      y = b.one(`${scope}/relu`, 'Relu', [y]);
      y = convBn(b, scope, `${name}.conv3`, y, width, cout, 1, 1, `${name}.bn3`);
      const shortcut = i === 0 ? convBn(b, `${scope}/downsample`, `${name}.downsample.0`, x, cin, cout, 1, stride, `${name}.downsample.1`) : x;
      x = b.one(`${scope}/relu`, 'Relu', [b.one(scope, 'Add', [y, shortcut])]);
      cin = cout;
    }
  });
  x = b.one('/avgpool', 'GlobalAveragePool', [x]);
  x = b.one('', 'Flatten', [x], [attr.int('axis', 1)]);
  const fcW = b.weight('fc.weight', [1000, 2048], Math.sqrt(6 / 2048));
  const fcB = b.weight('fc.bias', [1000], 0.01);
  b.one('/fc', 'Gemm', [x, fcW, fcB], [attr.float('alpha', 1), attr.float('beta', 1), attr.int('transB', 1)], 'output');
  return b.model('main_graph', [valueInfo('input', DataType.FLOAT, ['N', 3, 224, 224])], [valueInfo('output', DataType.FLOAT, ['N', 1000])], 17);
}
