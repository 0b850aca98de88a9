import type { MethodName } from './methods.js';

/** IPC channel names between Electron's preload and main process. */
export const IPC_REQUEST = 'whittle:request';
export const IPC_EVENT = 'whittle:event';

/**
 * What Electron's preload exposes as `window.whittle`: one function per method, answering with
 * the same unchecked response message the WebSocket carries, and a way to hear events.
 */
export type WorkbenchBridge = { readonly [M in MethodName]: (params: unknown) => Promise<unknown> } & {
  readonly onEvent: (listener: (message: unknown) => void) => void;
};
