/**
 * Where a weight tensor keeps its output channels, so a per-output-channel affine map that
 * follows a layer can be folded into the layer:
 * conv — Conv weights [Cout, Cin/group, k…] (also a Gemm's B with transB=1, [N, K]);
 * conv-transpose — ConvTranspose weights [Cin, Cout/group, k…]: output channel g·Cout/group + j
 * lives at axis 1 index j of the input channels of group g;
 * gemm — a Gemm's B with transB=0, [K, N].
 */
export type WeightLayout = 'conv' | 'conv-transpose' | 'gemm';

type Values = Float32Array | Float64Array;

/** A layer's weights and bias after folding. */
export interface ScaledWeights {
  readonly weights: Float32Array;
  /** One value per output channel. */
  readonly bias: Float32Array;
}

/** Output channels of weights of this layout and shape. */
export function outputChannels(dims: readonly number[], layout: WeightLayout, group = 1): number {
  if (layout === 'conv') return dims[0] ?? 0;
  if (layout === 'gemm') return dims[1] ?? 0;
  return (dims[1] ?? 0) * group;
}

/** The output channel of each element of the weights, in storage order. */
function channelOf(dims: readonly number[], layout: WeightLayout, group: number): (index: number) => number {
  const size = dims.reduce((a, b) => a * b, 1);
  if (layout === 'gemm') {
    const n = dims[1] ?? 1;
    return (i) => i % n;
  }
  if (layout === 'conv') {
    const block = size / (dims[0] || 1);
    return (i) => Math.floor(i / block);
  }
  const [cin = 1, perGroup = 1] = dims;
  const kernel = size / (cin * perGroup || 1);
  const inPerGroup = cin / group;
  return (i) => {
    const row = Math.floor(i / kernel);
    const c = Math.floor(row / perGroup);
    const j = row % perGroup;
    return Math.floor(c / inPerGroup) * perGroup + j;
  };
}

/**
 * Folds y' = scale·y + shift (per output channel) into a layer computing y = W∗x + b: returns
 * W' = W·scale (along the output channels) and b' = b·scale + shift (b = 0 when absent).
 * Computed in float64, stored as float32. Throws when the lengths do not fit the shape (a caller's bug).
 */
export function scaleShiftOutputChannels(
  weights: Float32Array,
  dims: readonly number[],
  bias: Values | undefined,
  scale: Values,
  shift: Values | undefined,
  layout: WeightLayout,
  group = 1,
): ScaledWeights {
  const channels = outputChannels(dims, layout, group);
  const size = dims.reduce((a, b) => a * b, 1);
  const fits = weights.length === size && scale.length === channels && (shift?.length ?? channels) === channels && (bias?.length ?? channels) === channels;
  if (!fits || (layout === 'conv-transpose' && (dims[0] ?? 0) % group !== 0)) {
    throw new RangeError(`weights ${dims.join('×')} (${layout}, group ${group}) do not fit ${scale.length} scales, ${shift?.length ?? '-'} shifts, ${bias?.length ?? '-'} biases`);
  }
  const channel = channelOf(dims, layout, group);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = weights[i]! * scale[channel(i)]!;
  const b = new Float32Array(channels);
  for (let c = 0; c < channels; c++) b[c] = (bias?.[c] ?? 0) * scale[c]! + (shift?.[c] ?? 0);
  return { weights: out, bias: b };
}
