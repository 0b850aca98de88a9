import type { JobProgress } from '../engine/protocol/index.js';

/**
 * Runs a job with its progress on one rewritten stderr line when stderr is a terminal (never in
 * pipes or logs), and clears that line when the job ends, however it ends.
 */
export async function withTerminalProgress<T>(job: (onProgress: ((p: JobProgress) => void) | undefined) => Promise<T>): Promise<T> {
  if (process.stderr.isTTY !== true) return job(undefined);
  try {
    return await job((p) => process.stderr.write(`\r\x1b[K${Math.round(p.fraction * 100)}% ${p.message}`));
  } finally {
    process.stderr.write('\r\x1b[K');
  }
}
