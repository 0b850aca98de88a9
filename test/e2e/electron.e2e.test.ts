import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'electron-vite';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeModel } from '../../engine/core/graph/index.js';
import { openModelFile } from '../../engine/node/model-file.js';
import { formatExact } from '../../renderer/src/features/summary/format.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'assets/samples/ppocr-cls.onnx');
const SCREENS = join(ROOT, 'test-results/screens');

/** Electron's executable. Not `require('electron')`: that downloads the binary when it is missing. */
function electronBinary(): string | undefined {
  const pathFile = join(ROOT, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();

if (binary === undefined) {
  it.skip("Whittle desktop app: skipped, Electron's binary is not installed", () => undefined);
} else {
  describe('Whittle desktop app', () => {
    let app: ElectronApplication;
    let win: Page;
    let tmp: string;

    beforeAll(async () => {
      await build({ root: ROOT, logLevel: 'warn' });
      tmp = await mkdtemp(join(tmpdir(), 'whittle-electron-'));
      await mkdir(SCREENS, { recursive: true });
      app = await electron.launch({ executablePath: binary, args: [ROOT, '--', SAMPLE], cwd: ROOT });
      win = await app.firstWindow();
    }, 180_000);

    afterAll(async () => {
      await app?.close();
      if (tmp) await rm(tmp, { recursive: true, force: true });
    });

    it('shows the summary of the model given on the command line', async () => {
      const summary = summarizeModel((await openModelFile(SAMPLE)).model);
      await expect.poll(() => win.getByTestId('node-count').textContent(), { timeout: 30_000 }).toBe(formatExact(summary.nodeCount));
      expect(await win.getByTestId('file-name').textContent()).toBe('ppocr-cls.onnx');
      await win.screenshot({ path: join(SCREENS, 'electron-summary.png') });
    });

    it('gives the page one function per method and nothing of Node or IPC', async () => {
      // Page scripts are strings: this file compiles without DOM types.
      const exposed = await win.evaluate('({ keys: Object.keys(window.whittle).sort(), require: typeof require, process: typeof process })');
      expect(exposed).toEqual({ keys: ['model.current', 'model.open', 'onEvent'], require: 'undefined', process: 'undefined' });
    });

    it('blocks new windows and navigation away from the app', async () => {
      const start = win.url();
      expect(await win.evaluate("window.open('https://example.com') === null")).toBe(true);
      await win.evaluate("location.href = 'https://example.com'");
      await new Promise((done) => setTimeout(done, 500));
      expect(win.url()).toBe(start);
      expect(app.windows()).toHaveLength(1);
    });

    it('shows why a malformed file cannot be opened', async () => {
      const bad = join(tmp, 'random.onnx');
      await writeFile(bad, Buffer.from([0x0b, 0x0c, 0x0d, 0x0e]));
      await win.getByLabel('Model path').fill(bad);
      await win.getByRole('button', { name: 'Open' }).click();
      await expect.poll(() => win.getByRole('alert').locator('.error-message').textContent()).toMatch(/^random\.onnx: /);
    });
  });
}
