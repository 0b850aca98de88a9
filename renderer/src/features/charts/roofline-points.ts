import type { NodeAnalysis } from '../../../../engine/core/analysis/types.js';
import type { ComputeDtype, DeviceProfile } from '../../../../engine/core/hardware/device.js';
import type { MeasuredNode } from '../../../../engine/protocol/index.js';

/** One node on the roofline: intensity in FLOP/B, achieved rate in GFLOP/s (GOP/s for int8). */
export interface RooflineDot {
  readonly name: string;
  readonly opType: string;
  readonly intensity: number;
  readonly gflops: number;
  readonly ms: number;
  /** Of the model's predicted (or measured) time, 0–1. */
  readonly share: number;
}

export interface Ceiling {
  readonly dtype: ComputeDtype;
  readonly gflops: number;
  /** Intensity where the bandwidth line meets this ceiling, FLOP/B. */
  readonly ridge: number;
}

/** engine/core's COMPUTE_DTYPES, which the renderer may import only as a type; a test keeps the two equal. */
export const DTYPES: readonly ComputeDtype[] = ['fp32', 'fp16', 'int8'];

export type AnalyzedNode = Pick<NodeAnalysis, 'name' | 'opType' | 'flops' | 'intensity' | 'predictedMs' | 'share' | 'computeDtype'>;

/** The device's flat compute roofs, one per element type it has a peak for. */
export function ceilings(device: DeviceProfile): Ceiling[] {
  const bandwidth = device.bandwidthBytesPerSec.value;
  return DTYPES.flatMap((dtype) => {
    const peak = device.peakOpsPerSec[dtype]?.value;
    return peak === undefined || !(peak > 0) || !(bandwidth > 0) ? [] : [{ dtype, gflops: peak / 1e9, ridge: peak / bandwidth }];
  });
}

/** Where the analysis puts each node: its intensity and the rate it would reach if it ran in its predicted time. */
export function predictedDots(nodes: readonly AnalyzedNode[]): RooflineDot[] {
  return nodes.flatMap((n) => {
    if (n.intensity === null || !(n.intensity > 0) || !(n.flops > 0) || n.predictedMs === null || !(n.predictedMs > 0)) return [];
    return [{ name: n.name, opType: n.opType, intensity: n.intensity, gflops: n.flops / (n.predictedMs / 1000) / 1e9, ms: n.predictedMs, share: n.share }];
  });
}

/** Where each node ran: its measured rate at the analysis' intensity (a log axis cannot show zero). */
export function measuredDots(measured: readonly MeasuredNode[], nodes: readonly AnalyzedNode[]): RooflineDot[] {
  const intensity = new Map(nodes.map((n) => [n.name, n.intensity]));
  return measured.flatMap((m) => {
    const x = intensity.get(m.name);
    if (x === undefined || x === null || !(x > 0) || m.gflops === null || !(m.gflops > 0)) return [];
    return [{ name: m.name, opType: m.opType, intensity: x, gflops: m.gflops, ms: m.ms, share: m.share }];
  });
}

/** Symbol diameter in pixels: area grows with the share of time, so big dots are where the time goes. */
export function dotSize(share: number): number {
  return 5 + 35 * Math.sqrt(Math.min(1, Math.max(0, share)));
}

/** Powers of ten around the values, with some room on both sides. */
export function decadeRange(values: readonly number[]): readonly [number, number] {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return [0.1, 1000];
  const lo = 10 ** Math.floor(Math.log10(Math.min(...positive) / 1.5));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...positive) * 1.5));
  return [lo, hi];
}

/** Counted nodes with no prediction because the device has no peak for their element type (fp32 on an int8 NPU). */
export function withoutFigure(nodes: readonly AnalyzedNode[], device: DeviceProfile): { readonly count: number; readonly dtypes: readonly ComputeDtype[] } {
  const missing = nodes.filter((n) => n.flops > 0 && device.peakOpsPerSec[n.computeDtype] === undefined);
  return { count: missing.length, dtypes: DTYPES.filter((d) => missing.some((n) => n.computeDtype === d)) };
}
