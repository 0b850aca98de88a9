import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { IPC_CANCEL, IPC_EVENT, IPC_REQUEST, METHOD_NAMES, type WorkbenchBridge } from '../../engine/protocol/index.js';

// One function per protocol method; the page never sees ipcRenderer or IPC events themselves.
const methods = Object.fromEntries(METHOD_NAMES.map((method) => [method, (params: unknown, id: number) => ipcRenderer.invoke(IPC_REQUEST, method, params, id)]));

const bridge = {
  ...methods,
  cancel: (id: number) => ipcRenderer.send(IPC_CANCEL, id),
  // Sandboxed pages see dropped files without their paths; only the preload can ask for them.
  pathForFile: (file: unknown) => webUtils.getPathForFile(file as File),
  onEvent: (listener: (message: unknown) => void) => {
    ipcRenderer.on(IPC_EVENT, (_event, message: unknown) => listener(message));
  },
} as WorkbenchBridge;

contextBridge.exposeInMainWorld('whittle', bridge);
