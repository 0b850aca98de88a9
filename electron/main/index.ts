import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, session, shell } from 'electron';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SupervisorCaller } from '../../engine/host/supervisor/index.js';
import { IPC_EVENT, request } from '../../engine/protocol/index.js';
import { engineSupervisor } from './engine-host.js';
import { mayOpenExternally } from './external-links.js';
import { relayIpc, type IpcEvent } from './ipc-relay.js';
import { menuTemplate } from './menu.js';
import { loadRecent, saveRecent, withRecent } from './recent-files.js';
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

// The main process asks the engine too (File › Open): as its own caller, with its own ids.
const mainCaller = new SupervisorCaller(host);
let nextMainId = 1;
let recent: string[] = [];
const recentFile = () => join(app.getPath('userData'), 'recent-models.json');

function rebuildMenu(): void {
  const actions = { openFile: () => void chooseModel(), openRecent: (path: string) => void openModel(path), clearRecent: () => void rememberRecent([]), showAbout };
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(actions, recent, process.platform, app.isPackaged)));
}

async function rememberRecent(list: string[]): Promise<void> {
  recent = list;
  rebuildMenu();
  await saveRecent(recentFile(), list).catch((err: unknown) => console.error('Could not save the recent models:', err));
}

/** Opens a model in the engine; every window hears model.opened. A failure is shown, readably. */
async function openModel(path: string): Promise<void> {
  const reply = await mainCaller.request(request(nextMainId++, 'model.open', { path }));
  if ('error' in reply) {
    dialog.showErrorBox('Whittle could not open the model', reply.error.message);
    return;
  }
  await rememberRecent(withRecent(recent, path));
}

async function chooseModel(): Promise<void> {
  const window = BrowserWindow.getFocusedWindow();
  const options = { title: 'Open an ONNX model', properties: ['openFile' as const], filters: [{ name: 'ONNX models', extensions: ['onnx'] }, { name: 'All files', extensions: ['*'] }] };
  const chosen = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  if (!chosen.canceled && chosen.filePaths[0] !== undefined) await openModel(chosen.filePaths[0]);
}

function showAbout(): void {
  const detail = [`Electron ${process.versions.electron}`, `Chromium ${process.versions.chrome}`, `Node.js ${process.versions.node}`, `${process.platform} ${process.arch}`].join('\n');
  void dialog.showMessageBox({ type: 'info', title: 'About Whittle', message: `Whittle ${app.getVersion()}`, detail, buttons: ['OK'] });
}

app.enableSandbox();

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  // Links the page asks to open go to the system browser, if vetted; never to a new window.
  contents.setWindowOpenHandler(({ url }) => {
    if (mayOpenExternally(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
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
  rebuildMenu();
  void loadRecent(recentFile()).then((list) => {
    recent = list;
    rebuildMenu();
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => host.stop());
