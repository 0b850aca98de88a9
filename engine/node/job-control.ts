import type { JobProgress } from '../protocol/index.js';

/** What a job gets from whoever runs it: a signal that cancels it and where it reports progress. */
export interface JobControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: JobProgress) => void;
}
