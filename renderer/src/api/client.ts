import {
  WorkbenchError,
  cancel,
  checkResult,
  checkServerMessage,
  decodeFrame,
  request,
  type EventMessage,
  type JobProgress,
  type MethodName,
  type Params,
  type Result,
  type WorkbenchBridge,
} from '../../../engine/protocol/index.js';

declare global {
  interface Window {
    /** Set by Electron's preload; absent in a browser tab. */
    readonly whittle?: WorkbenchBridge;
  }
}

export interface CallOptions {
  /** Aborting it cancels the request; the call then rejects with a `cancelled` {@link WorkbenchError}. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: JobProgress) => void;
}

/** The one way the UI talks to the workbench, wherever it runs. Failures reject with a {@link WorkbenchError}. */
export interface WorkbenchClient {
  call<M extends MethodName>(method: M, params: Params<M>, options?: CallOptions): Promise<Result<M>>;
  onEvent(listener: (message: EventMessage) => void): () => void;
}

/** Moves unchecked messages; the client checks everything that comes back. */
interface Transport {
  /** Resolves with the response to request `id`. */
  request(id: number, method: MethodName, params: unknown): Promise<unknown>;
  cancel(id: number): void;
  /** Every other message: events, progress. */
  listen(listener: (message: unknown) => void): void;
}

let client: WorkbenchClient | undefined;

/** The client for this page: through Electron's preload when present, else over a WebSocket to `whittle serve`. */
export function workbench(): WorkbenchClient {
  client ??= createClient(window.whittle ? bridgeTransport(window.whittle) : socketTransport());
  return client;
}

function createClient(transport: Transport): WorkbenchClient {
  const listeners = new Set<(message: EventMessage) => void>();
  const progressListeners = new Map<number, (progress: JobProgress) => void>();
  let nextId = 1;
  transport.listen((raw) => {
    try {
      const message = checkServerMessage(raw);
      if (message.type === 'event') for (const listener of listeners) listener(message);
      else if (message.type === 'progress') progressListeners.get(message.id)?.(message.progress);
    } catch (err) {
      console.error(err);
    }
  });
  return {
    async call(method, params, { signal, onProgress } = {}) {
      if (signal?.aborted) throw new WorkbenchError('cancelled', 'Cancelled.');
      const id = nextId++;
      const stop = () => transport.cancel(id);
      if (onProgress) progressListeners.set(id, onProgress);
      signal?.addEventListener('abort', stop, { once: true });
      try {
        const message = checkServerMessage(await transport.request(id, method, params));
        if (message.type !== 'response') throw new WorkbenchError('internal', `The workbench answered ${method} with a ${message.type} message.`);
        if ('error' in message) throw new WorkbenchError(message.error.code, message.error.message);
        return checkResult(method, message.result);
      } finally {
        progressListeners.delete(id);
        signal?.removeEventListener('abort', stop);
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function bridgeTransport(bridge: WorkbenchBridge): Transport {
  return { request: (id, method, params) => bridge[method](params, id), cancel: (id) => bridge.cancel(id), listen: (listener) => bridge.onEvent(listener) };
}

const NO_TOKEN = 'This page was opened without its access token. Open the full address that whittle serve printed; it ends in ?token=….';
const REFUSED = 'Could not connect to Whittle. Its address changes each time whittle serve starts: open the address it printed last, or start it again.';
const LOST = 'The connection to Whittle was lost. Start whittle serve again and open the address it prints.';

function socketTransport(): Transport {
  const token = new URLSearchParams(location.search).get('token');
  if (token === null || token === '') {
    return { request: () => Promise.reject(new WorkbenchError('disconnected', NO_TOKEN)), cancel: () => undefined, listen: () => undefined };
  }
  return webSocketTransport(new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token)}`));
}

/** Text frames are JSON; binary frames carry typed arrays (engine/protocol/binary-frame.ts). */
function parseFrame(data: unknown): unknown {
  return data instanceof ArrayBuffer ? decodeFrame(new Uint8Array(data)) : JSON.parse(String(data));
}

function webSocketTransport(socket: WebSocket): Transport {
  socket.binaryType = 'arraybuffer';
  const pending = new Map<number, { resolve: (message: unknown) => void; reject: (err: WorkbenchError) => void }>();
  const listeners = new Set<(message: unknown) => void>();
  let failure: WorkbenchError | undefined;
  let opened = false;
  const open = new Promise<void>((resolve) => socket.addEventListener('open', () => resolve()));

  socket.addEventListener('open', () => (opened = true));
  socket.addEventListener('close', () => {
    failure = new WorkbenchError('disconnected', opened ? LOST : REFUSED);
    for (const { reject } of pending.values()) reject(failure);
    pending.clear();
  });
  socket.addEventListener('message', (e) => {
    let message: unknown;
    try {
      message = parseFrame(e.data);
    } catch (err) {
      return console.error('The workbench sent a message that could not be read:', err);
    }
    const { type, id } = (message ?? {}) as { type?: unknown; id?: unknown };
    const waiting = type === 'response' && typeof id === 'number' ? pending.get(id) : undefined;
    if (waiting) {
      pending.delete(id as number);
      waiting.resolve(message);
    } else for (const listener of listeners) listener(message);
  });

  return {
    request: (id, method, params) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        pending.set(id, { resolve, reject });
        void open.then(() => socket.send(JSON.stringify(request(id, method, params as Params<typeof method>))));
      }),
    cancel: (id) => {
      if (pending.has(id)) void open.then(() => socket.send(JSON.stringify(cancel(id))));
    },
    listen: (listener) => listeners.add(listener),
  };
}
