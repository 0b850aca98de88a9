/**
 * The roofline model (Williams, Waterman, Patterson, CACM 2009): work with arithmetic intensity I
 * (operations per byte of memory traffic) can run no faster than min(peak, I × bandwidth).
 * Operations are FLOPs for float element types and integer ops for int8; bytes are the traffic
 * the caller counts (the cost model counts compulsory reads and writes).
 */
import type { ComputeDtype, DeviceProfile, Figure } from './device.js';

/** Work to place on a roofline: operations and bytes moved. */
export interface Work {
  readonly ops: number;
  readonly bytes: number;
}

export interface RooflinePlacement {
  /** Operations per byte; null when no bytes move (intensity is unbounded). */
  readonly intensity: number | null;
  readonly attainableOpsPerSec: number;
  /** `compute` at or above the ridge point (and for work that moves no bytes), else `memory`. */
  readonly bound: 'compute' | 'memory';
  /** max(ops ÷ peak, bytes ÷ bandwidth) in milliseconds: the roofline's lower bound on run time. */
  readonly predictedMs: number;
  /** The element type whose peak was used: the one asked for, or fp32 when the device has no figure for it. */
  readonly dtypeUsed: ComputeDtype;
}

/**
 * The peak for `dtype`, or the fp32 peak when the device has no figure for `dtype`; undefined
 * when it has neither (an int8-only NPU asked about fp16, say).
 */
export function peakFor(device: DeviceProfile, dtype: ComputeDtype): { figure: Figure; dtypeUsed: ComputeDtype } | undefined {
  const own = device.peakOpsPerSec[dtype];
  if (own !== undefined) return { figure: own, dtypeUsed: dtype };
  const fp32 = device.peakOpsPerSec.fp32;
  return fp32 === undefined ? undefined : { figure: fp32, dtypeUsed: 'fp32' };
}

function requirePeak(device: DeviceProfile, dtype: ComputeDtype): { figure: Figure; dtypeUsed: ComputeDtype } {
  const peak = peakFor(device, dtype);
  if (peak === undefined) {
    const known = Object.keys(device.peakOpsPerSec).join(', ') || 'none';
    throw new RangeError(`${device.name} has no ${dtype} or fp32 peak figure (known: ${known}); choose a device or element type it supports`);
  }
  return peak;
}

function requireAmount(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a finite number ≥ 0, not ${value}`);
}

/**
 * Ridge point in operations per byte: peak ÷ bandwidth. Work with a higher intensity is
 * compute-bound on this device, lower is memory-bound. Uses the fp32 peak when the device has
 * none for `dtype`; throws a RangeError when it has neither.
 */
export function ridgePoint(device: DeviceProfile, dtype: ComputeDtype): number {
  return requirePeak(device, dtype).figure.value / device.bandwidthBytesPerSec.value;
}

/**
 * min(peak, intensity × bandwidth) in operations per second, for an intensity in operations per
 * byte (Infinity for work that moves no bytes). Same fallback to fp32 as {@link ridgePoint}.
 */
export function attainableOpsPerSec(device: DeviceProfile, dtype: ComputeDtype, intensity: number): number {
  if (Number.isNaN(intensity) || intensity < 0) throw new RangeError(`intensity must be ≥ 0, not ${intensity}`);
  return Math.min(requirePeak(device, dtype).figure.value, intensity * device.bandwidthBytesPerSec.value);
}

/**
 * Places work on the device's roofline. Handles the edges without dividing by zero: work that
 * moves no bytes is compute-bound (time = ops ÷ peak); work with no operations is pure data
 * movement, memory-bound (time = bytes ÷ bandwidth); no work at all takes 0 ms. Throws a
 * RangeError for negative or non-finite amounts.
 */
export function placeOnRoofline(work: Work, device: DeviceProfile, dtype: ComputeDtype): RooflinePlacement {
  requireAmount(work.ops, 'ops');
  requireAmount(work.bytes, 'bytes');
  const { figure, dtypeUsed } = requirePeak(device, dtype);
  const peak = figure.value;
  const bandwidth = device.bandwidthBytesPerSec.value;
  const intensity = work.bytes === 0 ? null : work.ops / work.bytes;
  const { ms, bound } = rooflineTime(work.ops, work.bytes, peak, bandwidth);
  return { intensity, attainableOpsPerSec: intensity === null ? peak : Math.min(peak, intensity * bandwidth), bound, predictedMs: ms, dtypeUsed };
}

/**
 * The roofline's time for checked amounts: max(ops ÷ peak, bytes ÷ bandwidth) in milliseconds,
 * compute-bound on a tie (so work that moves nothing is compute-bound). No validation: for loops
 * over work already placed once.
 */
export function rooflineTime(ops: number, bytes: number, peakOpsPerSec: number, bandwidthBytesPerSec: number): { ms: number; bound: 'compute' | 'memory' } {
  const computeSeconds = ops / peakOpsPerSec;
  const memorySeconds = bytes / bandwidthBytesPerSec;
  return computeSeconds >= memorySeconds ? { ms: computeSeconds * 1000, bound: 'compute' } : { ms: memorySeconds * 1000, bound: 'memory' };
}
