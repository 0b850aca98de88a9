import { basename } from 'node:path';
import { summarizeModel } from '../core/graph/index.js';
import { ModelFormatError } from '../core/onnx/errors.js';
import {
  WorkbenchError,
  checkRequest,
  errorResponse,
  event,
  requestId,
  response,
  type EventMessage,
  type MethodName,
  type OpenedModelSummary,
  type Params,
  type ProtocolError,
  type ResponseMessage,
  type Result,
} from '../protocol/index.js';
import { openModelFile } from './model-file.js';

type Handlers = { [M in MethodName]: (params: Params<M>) => Promise<Result<M>> };

/** The Workbench API over the engine: holds the current model and tells listeners when it changes. */
export class WorkbenchService {
  #current: Promise<OpenedModelSummary | null> = Promise.resolve(null);
  readonly #listeners = new Set<(message: EventMessage) => void>();

  readonly #handlers: Handlers = {
    'model.open': async ({ path }) => {
      const summary = await openSummary(path);
      this.#current = Promise.resolve(summary);
      for (const listener of this.#listeners) listener(event('model.opened', summary));
      return summary;
    },
    'model.current': () => this.#current,
  };

  /** Opens the model given at startup; `model.current` answers with it, or with why it failed. */
  openAtStart(path: string): void {
    this.#current = openSummary(path);
    // Nobody may ask before it settles; the failure is reported when `model.current` is called.
    this.#current.catch(() => undefined);
  }

  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    return this.#handlers[method](params);
  }

  /** Calls `listener` with every event; returns a function that stops it. */
  onEvent(listener: (message: EventMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

async function openSummary(path: string): Promise<OpenedModelSummary> {
  try {
    const opened = await openModelFile(path);
    return { path: opened.path, fileName: opened.fileName, ...summarizeModel(opened.model) };
  } catch (err) {
    throw toWorkbenchError(err, path);
  }
}

/** Turns what opening `path` threw into a code and a sentence for the person who asked. */
function toWorkbenchError(err: unknown, path: string): WorkbenchError {
  if (err instanceof WorkbenchError) return err;
  if (err instanceof ModelFormatError) return new WorkbenchError('bad-model', err.message);
  const name = basename(path);
  switch ((err as NodeJS.ErrnoException | null)?.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new WorkbenchError('not-found', `${name}: no such file (${path})`);
    case 'EACCES':
    case 'EPERM':
      return new WorkbenchError('access-denied', `${name}: permission denied`);
    case 'EISDIR':
      return new WorkbenchError('bad-model', `${name}: is a folder, not a model file`);
    default:
      return new WorkbenchError('internal', `${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Answers one message from a client. Malformed requests get an error response; a message too
 * broken to carry an id gets none (null), and the caller should drop the connection.
 */
export async function answer(service: WorkbenchService, message: unknown): Promise<ResponseMessage | null> {
  const id = requestId(message);
  try {
    const req = checkRequest(message);
    return response(req.id, await service.call<MethodName>(req.method, req.params));
  } catch (err) {
    if (id === null) return null;
    if (!(err instanceof WorkbenchError)) console.error(err);
    return errorResponse(id, asProtocolError(err));
  }
}

function asProtocolError(err: unknown): ProtocolError {
  return err instanceof WorkbenchError ? err : { code: 'internal', message: 'Something went wrong inside the workbench; its log has the details.' };
}
