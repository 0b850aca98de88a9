import type { ErrorCode } from '../../../engine/protocol/index.js';

export interface ErrorAdvice {
  readonly title: string;
  /** What the person can do next. */
  readonly next: string;
}

const BUG: ErrorAdvice = {
  title: 'Something went wrong',
  next: 'This is a bug in Whittle. Please report it with the message above.',
};

const ADVICE: Record<ErrorCode, ErrorAdvice> = {
  'bad-model': {
    title: 'This file is not a model Whittle can read',
    next: 'Check that it is an ONNX model (.onnx) and was copied completely; if in doubt, export it again. In a terminal, `whittle info FILE` gives the same diagnosis.',
  },
  'not-found': {
    title: 'File not found',
    next: 'Check the path for typos. A relative path is read from the folder Whittle was started in; an absolute path avoids surprises.',
  },
  'access-denied': {
    title: 'Permission denied',
    next: 'Give your user read permission on the file, or copy it to a folder you own and open the copy.',
  },
  disconnected: {
    title: 'Not connected to Whittle',
    next: 'Start Whittle again (`whittle serve MODEL` or `npm start`) and open the address it prints.',
  },
  cancelled: {
    title: 'Cancelled',
    next: 'Nothing was changed. Start it again when you are ready.',
  },
  'engine-crashed': {
    title: 'The engine stopped',
    next: 'The app is fine and a fresh engine is running: try again. If it stops again, the model may need more memory than this machine has; try fewer threads, a smaller batch, or the CPU provider.',
  },
  unsupported: {
    title: 'Not supported',
    next: 'Whittle cannot do this for this model yet; the message above says what it can do.',
  },
  'run-failed': {
    title: 'onnxruntime could not run the model',
    next: 'Check the input dims and the execution provider named in the message; `whittle profile MODEL` shows what the model expects.',
  },
  'bad-request': BUG,
  'unknown-method': BUG,
  internal: BUG,
};

export function adviceFor(code: ErrorCode): ErrorAdvice {
  return ADVICE[code];
}

/** Splits text at backticks: odd parts are commands to show as code. */
export function codeSpans(text: string): { readonly text: string; readonly code: boolean }[] {
  return text
    .split('`')
    .map((part, i) => ({ text: part, code: i % 2 === 1 }))
    .filter((part) => part.text !== '');
}
