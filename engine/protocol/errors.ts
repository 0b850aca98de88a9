/** Why a request failed. Stable codes let the UI choose what to suggest next. */
export const ERROR_CODES = [
  /** The message or its parameters do not match the protocol. */
  'bad-request',
  'unknown-method',
  /** The file does not exist. */
  'not-found',
  /** The file exists but may not be read. */
  'access-denied',
  /** The file is not an ONNX model this build can read; the message says what is wrong and where. */
  'bad-model',
  /** The UI lost (or never had) its connection to the workbench. */
  'disconnected',
  /** The caller cancelled the request. */
  'cancelled',
  /** The engine host process died (native crash, out of memory) or hung while the request ran; a fresh one was started. */
  'engine-crashed',
  /** The request is well formed, but this build cannot do it for this model: a tensor type or size it cannot send. */
  'unsupported',
  /** onnxruntime could not run the model as asked; the message says why. */
  'run-failed',
  /** Anything else: a bug. The message is still readable; details stay in the server's log. */
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as it crosses the wire: a code and a sentence for people, never a stack. */
export interface ProtocolError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** Thrown by the service and by the client, so both sides handle failures as {@link ProtocolError}s. */
export class WorkbenchError extends Error implements ProtocolError {
  override readonly name = 'WorkbenchError';

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
