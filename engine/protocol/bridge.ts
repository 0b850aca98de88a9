import type { MethodName } from './methods.js';

/** IPC channel names between Electron's preload and main process. */
export const IPC_REQUEST = 'whittle:request';
export const IPC_CANCEL = 'whittle:cancel';
export const IPC_EVENT = 'whittle:event';

/**
 * What Electron's preload exposes as `window.whittle`: one function per method, answering with
 * the same unchecked response message the WebSocket carries. The page numbers its requests, so
 * that it can match their progress messages and cancel them.
 */
export type WorkbenchBridge = { readonly [M in MethodName]: (params: unknown, id: number) => Promise<unknown> } & {
  /** Asks the workbench to stop the request this page sent with `id`. */
  readonly cancel: (id: number) => void;
  /** Events, and progress messages of this page's requests. */
  readonly onEvent: (listener: (message: unknown) => void) => void;
  /** The path of a file dropped on the page (a DOM `File`; typed loosely because the protocol knows no DOM). */
  readonly pathForFile: (file: unknown) => string;
};
