import { errorResponse, type JobProgress, type RequestMessage, type ResponseMessage } from '../../protocol/index.js';
import type { EngineSupervisor, RunningJob } from './supervisor.js';

/**
 * One caller of the supervisor (a WebSocket, a window) with its own request ids: a cancel names
 * one of this caller's requests, so no caller can cancel another's.
 */
export class SupervisorCaller {
  readonly #jobs = new Map<number, RunningJob>();

  constructor(private readonly supervisor: EngineSupervisor) {}

  request(message: RequestMessage, onProgress?: (progress: JobProgress) => void): Promise<ResponseMessage> {
    if (this.#jobs.has(message.id)) {
      return Promise.resolve(errorResponse(message.id, { code: 'bad-request', message: `Request id ${message.id} is already used by a request that has not been answered.` }));
    }
    const job = this.supervisor.run(message, onProgress);
    this.#jobs.set(message.id, job);
    void job.response.then(() => this.#jobs.delete(message.id));
    return job.response;
  }

  /** Cancels this caller's request `id`, if it is still running. */
  cancel(id: number): void {
    this.#jobs.get(id)?.cancel();
  }

  /** The caller went away: cancel everything it started. */
  cancelAll(): void {
    for (const job of this.#jobs.values()) job.cancel();
  }
}
