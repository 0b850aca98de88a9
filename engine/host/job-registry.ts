import { answer, type WorkbenchService } from '../node/workbench-service.js';
import { progress, requestId, type JobProgress } from '../protocol/index.js';
import { isPing, PONG } from './supervisor/host-process.js';

/** Progress is sent at most this often per job (plus every change of stage): a tiny model runs thousands of times a second. */
const PROGRESS_INTERVAL_MS = 50;

/**
 * The host's running requests: each runs with its own AbortSignal and progress reporter; a
 * `cancel` message aborts the signal, and the job answers `cancelled` once it has stopped.
 */
export class JobRegistry {
  readonly #running = new Map<number, AbortController>();

  constructor(
    private readonly service: WorkbenchService,
    private readonly send: (message: unknown) => void,
  ) {}

  receive(message: unknown): void {
    const type = (message as { type?: unknown } | null)?.type;
    if (isPing(message)) return this.send(PONG);
    const id = requestId(message);
    if (type === 'cancel') {
      if (id !== null) this.#running.get(id)?.abort();
      return;
    }
    void this.#run(id, message);
  }

  async #run(id: number | null, message: unknown): Promise<void> {
    const controller = new AbortController();
    if (id !== null) this.#running.set(id, controller);
    const reply = await answer(this.service, message, { signal: controller.signal, onProgress: id === null ? undefined : this.#reporter(id, controller.signal) });
    if (id !== null) this.#running.delete(id);
    if (reply) this.send(reply);
  }

  #reporter(id: number, signal: AbortSignal): (value: JobProgress) => void {
    let lastStage: string | undefined;
    let lastSentAt = 0;
    return (value) => {
      const now = Date.now();
      if (signal.aborted || (value.stage === lastStage && now - lastSentAt < PROGRESS_INTERVAL_MS && value.fraction < 1)) return;
      lastStage = value.stage;
      lastSentAt = now;
      this.send(progress(id, value));
    };
  }
}
