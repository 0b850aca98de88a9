import {
  cancel,
  errorResponse,
  type EventMessage,
  type JobProgress,
  type ProgressMessage,
  type ProtocolError,
  type RequestMessage,
  type ResponseMessage,
} from '../../protocol/index.js';
import { describeExit, PING, type HostExit, type HostProcess, type SpawnHost } from './host-process.js';

export interface SupervisorOptions {
  /** How long a cancelled job may take to stop before its host is killed. */
  readonly cancelGraceMs?: number;
  /** How often the host is pinged. */
  readonly heartbeatMs?: number;
  /**
   * A host silent for this long is hung, and is killed. Generous, because onnxruntime loads and
   * optimizes a model synchronously on the host's event loop, and a large model takes a while.
   */
  readonly hangAfterMs?: number;
  /** A host that dies sooner than this after starting is not restarted: it would only die again. */
  readonly minLifetimeMs?: number;
  /**
   * How long a host may stay silent before its first message (loading its code and onnxruntime's
   * native library can take long on a busy machine) before it counts as hung; at least hangAfterMs.
   */
  readonly startupMs?: number;
}

const DEFAULTS: Required<SupervisorOptions> = { cancelGraceMs: 3000, heartbeatMs: 2000, hangAfterMs: 60_000, minLifetimeMs: 5000, startupMs: 60_000 };

/** A request on its way through the supervisor. */
export interface RunningJob {
  /** The response, under the caller's id. Never rejects: failures are error responses. */
  readonly response: Promise<ResponseMessage>;
  /** Asks the host to stop the job; kills the host if the job has not ended after the grace period. */
  cancel(): void;
}

interface PendingJob {
  readonly request: RequestMessage;
  readonly onProgress: (progress: JobProgress) => void;
  readonly done: (response: ResponseMessage) => void;
  cancelTimer?: ReturnType<typeof setTimeout>;
}

interface Host {
  readonly process: HostProcess;
  readonly startedAt: number;
  lastHeardAt: number;
  /** False until the host's first message: a host still starting gets `startupMs` to speak. */
  started: boolean;
  /** By the id the host sees, which is the supervisor's own: callers' ids may collide. */
  readonly jobs: Map<number, PendingJob>;
}

const RESTARTED = 'A fresh engine has been started; try again.';

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * Runs the engine host child process for Electron's main process and for `whittle serve`:
 * relays requests, progress, responses and events, cancels jobs, and replaces a host that
 * crashed, ran out of memory or hung, failing its jobs with a readable `engine-crashed` error.
 *
 * A hung host is found by a heartbeat rather than per-request deadlines: a benchmark may rightly
 * run for minutes, but a host whose event loop answers no ping cannot report progress or hear a
 * cancel. A job stuck in onnxruntime's own threads (event loop still alive) is ended by cancelling
 * it: after the grace period the host is killed.
 */
export class EngineSupervisor {
  #host: Host | undefined;
  #notRunning = 'The engine has not been started.';
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #nextId = 1;
  readonly #eventListeners = new Set<(message: EventMessage) => void>();
  readonly #options: Required<SupervisorOptions>;

  constructor(
    private readonly spawn: SpawnHost,
    options: SupervisorOptions = {},
  ) {
    this.#options = { ...DEFAULTS, ...options };
  }

  start(): void {
    const process = this.spawn();
    const host: Host = { process, startedAt: Date.now(), lastHeardAt: Date.now(), started: false, jobs: new Map() };
    this.#host = host;
    process.onMessage((message) => this.#receive(host, message));
    process.onExit((exit) => this.#exited(host, exit));
    this.#heartbeat ??= setInterval(() => this.#beat(), this.#options.heartbeatMs);
  }

  /** Kills the host for good; waiting jobs fail as `disconnected`. */
  stop(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    const host = this.#host;
    if (host !== undefined) this.#replace(host, { kill: true, restart: false, notRunning: 'The engine has been stopped.' }, () => ({ code: 'disconnected', message: 'The engine has been stopped.' }));
  }

  /** Calls `listener` with every event the host sends; returns a function that stops it. */
  onEvent(listener: (message: EventMessage) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /** Sends a checked request to the host; the response comes back under the request's own id. */
  run(request: RequestMessage, onProgress: (progress: JobProgress) => void = () => undefined): RunningJob {
    const host = this.#host;
    if (host === undefined) return { response: Promise.resolve(errorResponse(request.id, { code: 'engine-crashed', message: this.#notRunning })), cancel: () => undefined };
    const hostId = this.#nextId++;
    const response = new Promise<ResponseMessage>((done) => host.jobs.set(hostId, { request, onProgress, done }));
    host.process.postMessage({ ...request, id: hostId });
    return { response, cancel: () => this.#cancel(host, hostId) };
  }

  #cancel(host: Host, hostId: number): void {
    const job = host.jobs.get(hostId);
    if (job === undefined || job.cancelTimer !== undefined) return;
    host.process.postMessage(cancel(hostId));
    const grace = this.#options.cancelGraceMs;
    job.cancelTimer = setTimeout(() => {
      this.#replace(host, { kill: true, restart: true }, (other) =>
        other === job
          ? { code: 'cancelled', message: `${job.request.method} did not stop within ${seconds(grace)} of being cancelled, so the engine was stopped. A fresh engine has been started.` }
          : { code: 'engine-crashed', message: `The engine was restarted because ${job.request.method} did not stop when cancelled, and ${other.request.method} was lost with it. ${RESTARTED}` },
      );
    }, grace);
  }

  #receive(host: Host, message: unknown): void {
    host.lastHeardAt = Date.now();
    host.started = true;
    const { type, id } = (message ?? {}) as { type?: unknown; id?: unknown };
    if (type === 'event') {
      for (const listener of this.#eventListeners) listener(message as EventMessage);
      return;
    }
    const job = typeof id === 'number' ? host.jobs.get(id) : undefined;
    if (job === undefined) return;
    if (type === 'progress') job.onProgress((message as ProgressMessage).progress);
    else if (type === 'response') {
      host.jobs.delete(id as number);
      clearTimeout(job.cancelTimer);
      job.done({ ...(message as ResponseMessage), id: job.request.id });
    }
  }

  #beat(): void {
    const host = this.#host;
    if (host === undefined) return;
    const silentMs = Date.now() - host.lastHeardAt;
    const allowedMs = host.started ? this.#options.hangAfterMs : Math.max(this.#options.hangAfterMs, this.#options.startupMs);
    if (silentMs < allowedMs) return host.process.postMessage(PING);
    this.#replace(host, { kill: true, restart: true }, (job) => ({
      code: 'engine-crashed',
      message: `The engine stopped responding for ${seconds(silentMs)} while running ${job.request.method}, so it was stopped. ${RESTARTED}`,
    }));
  }

  #exited(host: Host, exit: HostExit): void {
    const what = `The engine ${describeExit(exit)}`;
    const restart = Date.now() - host.startedAt >= this.#options.minLifetimeMs;
    const notRunning = `The engine is not running: it ${describeExit(exit)} right after starting, so it was not restarted. Start Whittle again from a terminal to see why.`;
    this.#replace(host, { kill: false, restart, notRunning }, (job) => ({
      code: 'engine-crashed',
      message: `${what} while running ${job.request.method}. ${restart ? RESTARTED : notRunning}`,
    }));
  }

  /** Ends `host` (if it is still the current one), fails its jobs, and starts a fresh one if asked. */
  #replace(host: Host, how: { kill: boolean; restart: boolean; notRunning?: string }, failure: (job: PendingJob) => ProtocolError): void {
    if (this.#host !== host) return;
    this.#host = undefined;
    if (how.kill) host.process.kill();
    for (const job of host.jobs.values()) {
      clearTimeout(job.cancelTimer);
      job.done(errorResponse(job.request.id, failure(job)));
    }
    host.jobs.clear();
    if (how.restart) this.start();
    else if (how.notRunning !== undefined) this.#notRunning = how.notRunning;
  }
}
