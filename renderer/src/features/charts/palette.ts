import type { ComputeDtype } from '../../../../engine/core/hardware/device.js';

/** Series colours chosen to read on both the light and the dark theme. */
export const CHART_COLORS = {
  predicted: '#3b82f6',
  measured: '#f97316',
  selected: '#e11d48',
  bandwidth: '#8b95a5',
  ceiling: { fp32: '#64748b', fp16: '#14b8a6', int8: '#a855f7' } satisfies Record<ComputeDtype, string>,
  mark: { p50: '#22c55e', p90: '#f59e0b', p99: '#ef4444' },
} as const;
