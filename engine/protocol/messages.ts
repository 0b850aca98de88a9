import { ERROR_CODES, WorkbenchError, type ProtocolError } from './errors.js';
import type { JobProgress } from './jobs.js';
import { METHODS, isMethodName, openedModelSummary, type MethodName, type OpenedModelSummary, type Params, type Result } from './methods.js';
import { between, count, object, oneOf, text, ValidationError, type Validator } from './validate.js';

/** Everything the workbench tells its clients without being asked. */
export interface WorkbenchEvents {
  /** A model became the current one, whichever client opened it. */
  'model.opened': OpenedModelSummary;
}

export type EventName = keyof WorkbenchEvents;

export const EVENTS: { readonly [E in EventName]: Validator<WorkbenchEvents[E]> } = {
  'model.opened': openedModelSummary,
};

export type RequestMessage = {
  [M in MethodName]: { readonly type: 'request'; readonly id: number; readonly method: M; readonly params: Params<M> };
}[MethodName];

/** `result` is checked against the method by whoever sent the request: see {@link checkResult}. */
export type ResponseMessage =
  | { readonly type: 'response'; readonly id: number; readonly result: unknown }
  | { readonly type: 'response'; readonly id: number; readonly error: ProtocolError };

export type EventMessage = {
  [E in EventName]: { readonly type: 'event'; readonly event: E; readonly payload: WorkbenchEvents[E] };
}[EventName];

/** How far the request with this id has come; sent any number of times before its response. */
export interface ProgressMessage {
  readonly type: 'progress';
  readonly id: number;
  readonly progress: JobProgress;
}

/** Asks the workbench to stop the request with this id; it answers `cancelled` once it has stopped. */
export interface CancelMessage {
  readonly type: 'cancel';
  readonly id: number;
}

export type ClientMessage = RequestMessage | CancelMessage;
export type ServerMessage = ResponseMessage | EventMessage | ProgressMessage;

const MAX_ERROR_MESSAGE = 16_384;
const anything: Validator<unknown> = (value) => value;
const protocolError: Validator<ProtocolError> = object({ code: oneOf(ERROR_CODES), message: text(MAX_ERROR_MESSAGE) });
const requestEnvelope = object({ type: oneOf(['request'] as const), id: count, method: text(200), params: anything });
const responseEnvelope = object({ type: oneOf(['response'] as const), id: count, result: anything });
const errorEnvelope = object({ type: oneOf(['response'] as const), id: count, error: protocolError });
const eventEnvelope = object({ type: oneOf(['event'] as const), event: text(200), payload: anything });
export const jobProgress: Validator<JobProgress> = object({ stage: text(200), fraction: between(0, 1), message: text(MAX_ERROR_MESSAGE) });
const progressMessage: Validator<ProgressMessage> = object({ type: oneOf(['progress'] as const), id: count, progress: jobProgress });
const cancelMessage: Validator<CancelMessage> = object({ type: oneOf(['cancel'] as const), id: count });

function rethrowAs<T>(code: 'bad-request' | 'internal', prefix: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof ValidationError) throw new WorkbenchError(code, `${prefix}: ${err.message}`);
    throw err;
  }
}

export function request<M extends MethodName>(id: number, method: M, params: Params<M>): RequestMessage {
  return { type: 'request', id, method, params } as RequestMessage;
}

export function response(id: number, result: unknown): ResponseMessage {
  return { type: 'response', id, result };
}

export function errorResponse(id: number, error: ProtocolError): ResponseMessage {
  return { type: 'response', id, error: { code: error.code, message: error.message } };
}

export function progress(id: number, value: JobProgress): ProgressMessage {
  return { type: 'progress', id, progress: { stage: value.stage, fraction: value.fraction, message: value.message } };
}

export function cancel(id: number): CancelMessage {
  return { type: 'cancel', id };
}

export function event<E extends EventName>(name: E, payload: WorkbenchEvents[E]): EventMessage {
  return { type: 'event', event: name, payload } as EventMessage;
}

/**
 * Checks a request from a client: envelope, method and parameters.
 * Throws a {@link WorkbenchError} (`bad-request` or `unknown-method`) saying what is wrong.
 */
export function checkRequest(value: unknown): RequestMessage {
  return rethrowAs('bad-request', 'Invalid request', () => {
    const { method, params } = requestEnvelope(value, 'request');
    if (!isMethodName(method)) throw new WorkbenchError('unknown-method', `Unknown method "${method.slice(0, 80)}".`);
    METHODS[method].params(params, `${method} params`);
    return value as RequestMessage;
  });
}

/** Checks a message from a client: a request (see {@link checkRequest}) or a cancel. */
export function checkClientMessage(value: unknown): ClientMessage {
  if ((value as { type?: unknown } | null)?.type !== 'cancel') return checkRequest(value);
  return rethrowAs('bad-request', 'Invalid cancel', () => cancelMessage(value, 'cancel'));
}

/** The id of a request, even an invalid one, so that its error can be answered; null if it has none. */
export function requestId(value: unknown): number | null {
  if (typeof value !== 'object' || value === null) return null;
  const id = (value as { id?: unknown }).id;
  return Number.isSafeInteger(id) && (id as number) >= 0 ? (id as number) : null;
}

/** Checks a message from the workbench: responses (their error, if any), progress, and events with their payload. */
export function checkServerMessage(value: unknown): ServerMessage {
  return rethrowAs('internal', 'The workbench sent an invalid message', () => {
    const type = (value as { type?: unknown } | null)?.type;
    if (type === 'event') {
      const { event: name, payload } = eventEnvelope(value, 'event');
      if (!Object.hasOwn(EVENTS, name)) throw new ValidationError('event.event', `unknown event "${name.slice(0, 80)}"`);
      EVENTS[name as EventName](payload, `${name} payload`);
      return value as EventMessage;
    }
    if (type === 'progress') return progressMessage(value, 'progress');
    if (typeof value === 'object' && value !== null && 'error' in value) return errorEnvelope(value, 'response');
    return responseEnvelope(value, 'response');
  });
}

/** Checks the result of `method` as it came back from the workbench. */
export function checkResult<M extends MethodName>(method: M, result: unknown): Result<M> {
  return rethrowAs('internal', `The workbench sent an invalid answer to ${method}`, () => METHODS[method].result(result, 'result'));
}
