import {
  WorkbenchError,
  checkResult,
  checkServerMessage,
  request,
  type EventMessage,
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

/** The one way the UI talks to the workbench, wherever it runs. Failures reject with a {@link WorkbenchError}. */
export interface WorkbenchClient {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  onEvent(listener: (message: EventMessage) => void): () => void;
}

/** Moves unchecked messages; the client checks everything that comes back. */
interface Transport {
  request(method: MethodName, params: unknown): Promise<unknown>;
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
  transport.listen((raw) => {
    try {
      const message = checkServerMessage(raw);
      if (message.type === 'event') for (const listener of listeners) listener(message);
    } catch (err) {
      console.error(err);
    }
  });
  return {
    async call(method, params) {
      const message = checkServerMessage(await transport.request(method, params));
      if (message.type !== 'response') throw new WorkbenchError('internal', `The workbench answered ${method} with an event.`);
      if ('error' in message) throw new WorkbenchError(message.error.code, message.error.message);
      return checkResult(method, message.result);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function bridgeTransport(bridge: WorkbenchBridge): Transport {
  return { request: (method, params) => bridge[method](params), listen: (listener) => bridge.onEvent(listener) };
}

const NO_TOKEN = 'This page was opened without its access token. Open the full address that whittle serve printed; it ends in ?token=….';
const REFUSED = 'Could not connect to Whittle. Its address changes each time whittle serve starts: open the address it printed last, or start it again.';
const LOST = 'The connection to Whittle was lost. Start whittle serve again and open the address it prints.';

function socketTransport(): Transport {
  const token = new URLSearchParams(location.search).get('token');
  if (token === null || token === '') {
    return { request: () => Promise.reject(new WorkbenchError('disconnected', NO_TOKEN)), listen: () => undefined };
  }
  const socket = new WebSocket(`ws://${location.host}/api?token=${encodeURIComponent(token)}`);
  const pending = new Map<number, { resolve: (message: unknown) => void; reject: (err: WorkbenchError) => void }>();
  const listeners = new Set<(message: unknown) => void>();
  let failure: WorkbenchError | undefined;
  let opened = false;
  let nextId = 1;
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
      message = JSON.parse(String(e.data));
    } catch {
      return console.error('The workbench sent a message that is not JSON.');
    }
    const { type, id } = (message ?? {}) as { type?: unknown; id?: unknown };
    const waiting = type === 'response' && typeof id === 'number' ? pending.get(id) : undefined;
    if (waiting) {
      pending.delete(id as number);
      waiting.resolve(message);
    } else for (const listener of listeners) listener(message);
  });

  return {
    request: (method, params) =>
      new Promise((resolve, reject) => {
        if (failure) return reject(failure);
        const id = nextId++;
        pending.set(id, { resolve, reject });
        void open.then(() => socket.send(JSON.stringify(request(id, method, params as Params<typeof method>))));
      }),
    listen: (listener) => listeners.add(listener),
  };
}
