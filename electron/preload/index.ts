import { contextBridge, ipcRenderer } from 'electron';
import { IPC_EVENT, IPC_REQUEST, METHOD_NAMES, type WorkbenchBridge } from '../../engine/protocol/index.js';

// One function per protocol method; the page never sees ipcRenderer or IPC events themselves.
const methods = Object.fromEntries(METHOD_NAMES.map((method) => [method, (params: unknown) => ipcRenderer.invoke(IPC_REQUEST, method, params)]));

const bridge = {
  ...methods,
  onEvent: (listener: (message: unknown) => void) => {
    ipcRenderer.on(IPC_EVENT, (_event, message: unknown) => listener(message));
  },
} as WorkbenchBridge;

contextBridge.exposeInMainWorld('whittle', bridge);
