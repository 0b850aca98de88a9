import { app, BrowserWindow, ipcMain, nativeTheme, session } from 'electron';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_EVENT } from '../../engine/protocol/index.js';
import { engineSupervisor } from './engine-host.js';
import { relayIpc, type IpcEvent } from './ipc-relay.js';
import { modelFromArgv } from './startup-model.js';

const RENDERER_HTML = join(import.meta.dirname, '../renderer/index.html');
const RENDERER_URL = pathToFileURL(RENDERER_HTML).href;
const PRELOAD = join(import.meta.dirname, '../preload/index.cjs');
const SAMPLE = app.isPackaged ? join(process.resourcesPath, 'samples/ppocr-cls.onnx') : join(app.getAppPath(), 'assets/samples/ppocr-cls.onnx');

const model = resolve(modelFromArgv(process.argv, app.isPackaged) ?? SAMPLE);
const host = engineSupervisor(join(import.meta.dirname, 'engine-host.js'), [`--model=${model}`]);
host.onEvent((message) => {
  for (const win of BrowserWindow.getAllWindows()) win.webContents.send(IPC_EVENT, message);
});

/** Only the top frame of our own page, loaded from our own file, may call the engine. */
function isTrusted(event: IpcEvent): boolean {
  const frame = event.senderFrame;
  if (frame === null || frame !== event.sender.mainFrame) return false;
  const url = new URL(frame.url);
  url.hash = '';
  return url.href === RENDERER_URL;
}

relayIpc(ipcMain, host, isTrusted);

app.enableSandbox();

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 720,
    minHeight: 480,
    title: 'Whittle',
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#0f1216' : '#f5f6f8',
    webPreferences: { preload: PRELOAD, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadFile(RENDERER_HTML);
}

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, grant) => grant(false));
  host.start();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => host.stop());
