/** Summary statistics of repeated measurements (latencies, rates), in the samples' own unit. */
export interface SampleSummary {
  readonly mean: number;
  /** Percentiles by linear interpolation between the closest ranks (NumPy's default). */
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  /** Sample standard deviation (n − 1); 0 for a single sample. */
  readonly stdev: number;
}

/** The `p`-th percentile (0–100) of ascending `sorted` samples, interpolating between ranks. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (rank - below);
}

/** Median of samples in any order. */
export function median(samples: readonly number[]): number {
  return percentile([...samples].sort((a, b) => a - b), 50);
}

/** Mean, percentiles, extremes and spread of at least one sample. */
export function summarize(samples: readonly number[]): SampleSummary {
  if (samples.length === 0) throw new RangeError('summary of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((sum, x) => sum + x, 0) / samples.length;
  const squares = samples.reduce((sum, x) => sum + (x - mean) ** 2, 0);
  return {
    mean,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    stdev: samples.length > 1 ? Math.sqrt(squares / (samples.length - 1)) : 0,
  };
}

/** Coefficient of variation: stdev / mean (0 when the mean is 0). */
export function coefficientOfVariation(summary: SampleSummary): number {
  return summary.mean === 0 ? 0 : summary.stdev / summary.mean;
}
