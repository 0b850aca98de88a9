#!/usr/bin/env node
// `npm start [-- MODEL]`: the desktop app when Electron's binary is installed, else the same UI
// served to a browser on 127.0.0.1. Opens MODEL, or the sample model.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const SAMPLE = join(ROOT, 'assets/samples/ppocr-cls.onnx');
/** What the browser build is made from: its own files and the protocol code it bundles. */
const RENDERER_SOURCES = ['renderer/index.html', 'renderer/src', 'renderer/public', 'renderer/vite.config.ts', 'engine/protocol'];

/** Newest modification time of a file, or of any file in a folder; 0 when missing. */
function newest(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Electron's executable. Not `require('electron')`: that downloads the binary when it is missing. */
function electronBinary() {
  const pathFile = join(ROOT, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

async function startElectron(binary, model) {
  const { build } = await import('electron-vite');
  await build();
  const app = spawn(binary, [ROOT, '--', model], { stdio: 'inherit' });
  app.on('exit', (code) => process.exit(code ?? 1));
}

async function startServe(model) {
  const built = newest(join(ROOT, 'renderer/dist/index.html'));
  if (built === 0 || RENDERER_SOURCES.some((p) => newest(join(ROOT, p)) > built)) {
    const { build } = await import('vite');
    await build({ configFile: join(ROOT, 'renderer/vite.config.ts'), logLevel: 'warn' });
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { serve } = await import('../cli/serve.ts');
  const served = await serve({ model });
  console.log(`Electron's binary is not installed here; serving the same UI at ${served.url}`);
  console.log('Press Ctrl+C to stop.');
  process.once('SIGINT', () => void served.close().then(() => process.exit(0)));
}

process.chdir(ROOT);
// npm runs scripts from the package folder; INIT_CWD is where the command was typed.
const given = process.argv[2];
const model = given === undefined ? SAMPLE : resolve(process.env.INIT_CWD ?? ROOT, given);
const binary = electronBinary();
try {
  await (binary ? startElectron(binary, model) : startServe(model));
} catch (err) {
  console.error(`npm start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
