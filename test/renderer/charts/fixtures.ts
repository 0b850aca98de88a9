import type { OpTypeTotals } from '../../../engine/core/analysis/types.js';
import type { DeviceProfile } from '../../../engine/core/hardware/device.js';
import type { MeasuredNode } from '../../../engine/protocol/index.js';
import type { AnalyzedNode } from '../../../renderer/src/features/charts/roofline-points.js';

/** 100 GFLOP/s and 50 GB/s: the ridge is at 2 FLOP/B. */
export const DEVICE: DeviceProfile = {
  id: 'toy',
  name: 'Toy CPU',
  kind: 'cpu',
  peakOpsPerSec: { fp32: { value: 100e9, source: 'datasheet' } },
  bandwidthBytesPerSec: { value: 50e9, source: 'datasheet' },
};

export function node(name: string, flops: number, intensity: number | null, predictedMs: number | null, share: number): AnalyzedNode {
  return { name, opType: name.startsWith('conv') ? 'Conv' : 'Relu', flops, intensity, predictedMs, share, computeDtype: 'fp32' };
}

export function measured(name: string, gflops: number | null, ms: number, share: number): MeasuredNode {
  return { name, opType: 'Conv', ms, share, kernel: name, gflops, gbps: null, predictedMs: null };
}

export function opType(name: string, predictedMs: number, macs: number, bytes: number): OpTypeTotals {
  return { opType: name, count: 1, uncounted: 0, macs, flops: 2 * macs, params: 0, readBytes: bytes, writeBytes: 0, predictedMs, share: 0 };
}
