import type { JobProgress } from '../../../engine/protocol/index.js';

/** 0–100, for a progress bar: the job's fraction, clamped and rounded. */
export function percent(progress: JobProgress): number {
  return Math.round(Math.min(1, Math.max(0, progress.fraction)) * 100);
}
