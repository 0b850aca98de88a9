/**
 * What the weight inspector shows of a tensor (and pruning and quantization read later):
 * summary statistics and a histogram of its elements, computed where the elements are.
 */

export interface WeightStats {
  readonly count: number;
  /** NaN and infinities; left out of every other figure. */
  readonly nonFinite: number;
  /** null when there is no finite element. */
  readonly min: number | null;
  readonly max: number | null;
  readonly mean: number | null;
  /** Population standard deviation. */
  readonly std: number | null;
  readonly zeros: number;
  /** Share of elements exactly zero, 0–1. */
  readonly sparsity: number;
}

/** Summary statistics of a tensor's elements. */
export function weightStats(values: ArrayLike<number>): WeightStats {
  let finite = 0, zeros = 0, min = Infinity, max = -Infinity, sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === 0) zeros++;
    if (!Number.isFinite(v)) continue;
    finite++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / finite;
  // A second pass over the deviations: exact where a one-pass sum of squares would cancel.
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) squares += (v - mean) ** 2;
  }
  const none = finite === 0;
  return {
    count: values.length,
    nonFinite: values.length - finite,
    min: none ? null : min,
    max: none ? null : max,
    mean: none ? null : mean,
    std: none ? null : Math.sqrt(squares / finite),
    zeros,
    sparsity: values.length === 0 ? 0 : zeros / values.length,
  };
}

export interface Histogram {
  /** `bins + 1` edges from min to max; bin i holds [edges[i], edges[i + 1]), the last one its max too. */
  readonly edges: readonly number[];
  readonly counts: readonly number[];
}

/**
 * Counts of the finite elements in `bins` equal-width bins between their min and max. A constant
 * tensor gives one bin holding every element.
 */
export function histogram(values: ArrayLike<number>, bins: number, min: number, max: number): Histogram {
  if (!(max > min)) {
    let n = 0;
    for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) n++;
    return { edges: [min, max], counts: [n] };
  }
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - min) / width))]!++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width)), counts };
}

export interface TensorSummary {
  readonly dtype: string;
  readonly dims: readonly number[];
  readonly stats: WeightStats;
  /** null when no element is finite. */
  readonly histogram: Histogram | null;
}

const MAX_BINS = 40;

/** Statistics and a histogram of a tensor's elements (as numbers: see `numericValues`). */
export function summarizeTensor(dtype: string, dims: readonly number[], values: ArrayLike<number>): TensorSummary {
  const stats = weightStats(values);
  const finite = stats.count - stats.nonFinite;
  const bins = Math.min(MAX_BINS, Math.max(1, Math.ceil(Math.sqrt(finite))));
  return {
    dtype,
    dims,
    stats,
    histogram: stats.min === null || stats.max === null ? null : histogram(values, bins, stats.min, stats.max),
  };
}
