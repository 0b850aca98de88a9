import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { SupervisorCaller, type EngineSupervisor } from '../../engine/host/supervisor/index.js';
import { IPC_CANCEL, IPC_EVENT, IPC_REQUEST, WorkbenchError, checkRequest, errorResponse, progress, requestId, type ResponseMessage } from '../../engine/protocol/index.js';

type Sender = Pick<WebContents, 'id' | 'send' | 'isDestroyed' | 'once' | 'mainFrame'>;
export type IpcEvent = Pick<IpcMainInvokeEvent | IpcMainEvent, 'senderFrame'> & { readonly sender: Sender };

/**
 * Carries the protocol between windows and the engine: requests and cancels come in over IPC from
 * trusted frames; each window is its own caller (its ids, its cancels), hears its own progress,
 * and has its requests cancelled when it closes.
 */
export function relayIpc(ipc: Pick<IpcMain, 'handle' | 'on'>, supervisor: EngineSupervisor, isTrusted: (event: IpcEvent) => boolean): void {
  const callers = new Map<number, SupervisorCaller>();
  const callerOf = (contents: Sender): SupervisorCaller => {
    let caller = callers.get(contents.id);
    if (caller === undefined) {
      const created = new SupervisorCaller(supervisor);
      callers.set(contents.id, created);
      contents.once('destroyed', () => {
        created.cancelAll();
        callers.delete(contents.id);
      });
      caller = created;
    }
    return caller;
  };

  ipc.handle(IPC_REQUEST, async (event: IpcEvent, method: unknown, params: unknown, id: unknown): Promise<ResponseMessage> => {
    if (!isTrusted(event)) throw new Error('Refused: the request did not come from the Whittle window.');
    const message = { type: 'request', id, method, params };
    try {
      const checked = checkRequest(message);
      const contents = event.sender;
      return await callerOf(contents).request(checked, (value) => {
        if (!contents.isDestroyed()) contents.send(IPC_EVENT, progress(checked.id, value));
      });
    } catch (err) {
      if (err instanceof WorkbenchError) return errorResponse(requestId(message) ?? 0, err);
      throw err;
    }
  });

  ipc.on(IPC_CANCEL, (event: IpcEvent, id: unknown) => {
    if (isTrusted(event) && typeof id === 'number') callers.get(event.sender.id)?.cancel(id);
  });
}
