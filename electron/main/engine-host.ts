import { utilityProcess, type UtilityProcess } from 'electron';
import { errorResponse, type RequestMessage, type ResponseMessage } from '../../engine/protocol/index.js';

/** A host that dies sooner than this after starting is not restarted: it would only die again. */
const MIN_LIFETIME_MS = 5000;

/**
 * The engine host child process, seen from the main process: requests go in, responses and events
 * come out. If the host dies (a native fault, out of memory), waiting requests fail with a
 * readable error and a fresh host is started.
 */
export class EngineHost {
  #child: UtilityProcess | undefined;
  #startedAt = 0;
  readonly #pending = new Map<number, { id: number; done: (response: ResponseMessage) => void }>();
  #nextId = 1;

  constructor(
    private readonly entry: string,
    private readonly args: readonly string[],
    private readonly onEvent: (message: unknown) => void,
  ) {}

  start(): void {
    this.#startedAt = Date.now();
    const child = utilityProcess.fork(this.entry, [...this.args], { serviceName: 'Whittle engine', stdio: 'inherit' });
    child.on('message', (message: unknown) => this.#receive(message));
    child.on('exit', (code) => {
      if (this.#child !== child) return;
      const restart = Date.now() - this.#startedAt >= MIN_LIFETIME_MS;
      const message = `The engine stopped unexpectedly (exit code ${code})${restart ? ' and has been restarted. Try again.' : '.'}`;
      for (const { id, done } of this.#pending.values()) done(errorResponse(id, { code: 'internal', message }));
      this.#pending.clear();
      this.#child = undefined;
      if (restart) this.start();
    });
    this.#child = child;
  }

  stop(): void {
    const child = this.#child;
    this.#child = undefined;
    child?.kill();
  }

  /** Sends a checked request; the host answers under its own id, mapped back to the caller's. */
  request(message: RequestMessage): Promise<ResponseMessage> {
    const child = this.#child;
    if (child === undefined) {
      const text = 'The engine is not running: it stopped right after starting. Restart Whittle from a terminal to see why.';
      return Promise.resolve(errorResponse(message.id, { code: 'internal', message: text }));
    }
    const hostId = this.#nextId++;
    return new Promise((done) => {
      this.#pending.set(hostId, { id: message.id, done });
      child.postMessage({ ...message, id: hostId });
    });
  }

  #receive(message: unknown): void {
    const { type, id } = (message ?? {}) as { type?: unknown; id?: unknown };
    const waiting = type === 'response' && typeof id === 'number' ? this.#pending.get(id) : undefined;
    if (waiting === undefined) return this.onEvent(message);
    this.#pending.delete(id as number);
    waiting.done({ ...(message as ResponseMessage), id: waiting.id });
  }
}
