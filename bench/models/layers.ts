/**
 * Layers as PyTorch exports them unfolded, for the generated CNNs: Conv (no bias) followed by
 * BatchNormalization with seeded, non-degenerate running statistics.
 */
import { attr, type GraphBuilder } from './builder.js';

/** BatchNormalization over `channels`, its parameters named `${prefix}.weight`, `.bias`, `.running_mean`, `.running_var`. */
export function batchNorm(b: GraphBuilder, scope: string, prefix: string, x: string, channels: number): string {
  const gamma = b.weight(`${prefix}.weight`, [channels], 0.1, 0.4);
  const beta = b.weight(`${prefix}.bias`, [channels], 0.05);
  const mean = b.weight(`${prefix}.running_mean`, [channels], 0.05);
  const variance = b.weight(`${prefix}.running_var`, [channels], 0.25, 1);
  return b.one(`${scope}/${prefix.split('.').pop()}`, 'BatchNormalization', [x, gamma, beta, mean, variance], [attr.float('epsilon', 1e-5), attr.float('momentum', 0.9)]);
}

/**
 * A k×k convolution without bias (padded to keep the size at stride 1, weights uniform with
 * He-like scale) followed by BatchNormalization `bnPrefix`.
 */
export function convBn(b: GraphBuilder, scope: string, prefix: string, x: string, cin: number, cout: number, k: number, stride: number, bnPrefix: string, group = 1): string {
  const fanIn = (cin / group) * k * k;
  const w = b.weight(`${prefix}.weight`, [cout, cin / group, k, k], Math.sqrt(6 / fanIn));
  const pad = (k - 1) >> 1;
  const y = b.one(`${scope}/${prefix.split('.').pop()}`, 'Conv', [x, w], [
    attr.ints('dilations', [1, 1]),
    attr.int('group', group),
    attr.ints('kernel_shape', [k, k]),
    attr.ints('pads', [pad, pad, pad, pad]),
    attr.ints('strides', [stride, stride]),
  ]);
  return batchNorm(b, scope, bnPrefix, y, cout);
}
