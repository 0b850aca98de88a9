import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serve, type Served } from '../../cli/serve.js';
import { summarizeModel, type ModelSummary } from '../../engine/core/graph/index.js';
import { encodeModel } from '../../engine/core/onnx/index.js';
import { openModelFile } from '../../engine/node/model-file.js';
import { decodeFrame } from '../../engine/protocol/index.js';
import { formatCount, formatExact } from '../../renderer/src/features/summary/format.js';
import { entry, graph, model, node, valueInfo } from '../support/build.js';
import { browserSkipReason, launchChromium, openPage } from '../support/browser.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'assets/samples/ppocr-cls.onnx');
const SCREENS = join(ROOT, 'test-results/screens');
const MARKUP = '<img src=x onerror="window.pwned=1">';

function socket(url: string, origin: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { origin });
  return new Promise((done, fail) => {
    ws.once('open', () => done(ws));
    ws.once('unexpected-response', (_req, res) => fail(new Error(`refused with HTTP ${res.statusCode}`)));
    ws.once('error', fail);
  });
}

/** The model summary lives in the workbench's Summary tab. */
async function showSummary(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Summary' }).click();
}

function ask(ws: WebSocket, message: unknown): Promise<unknown> {
  return new Promise((done) => {
    ws.once('message', (data) => done(JSON.parse(String(data))));
    ws.send(JSON.stringify(message));
  });
}

if (browserSkipReason) {
  it.skip(`whittle serve in a browser: skipped, ${browserSkipReason}`, () => undefined);
} else {
  describe('whittle serve in a browser', () => {
    let browser: Browser;
    let served: Served;
    let page: Page;
    let summary: ModelSummary;
    let tmp: string;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      await build({ configFile: join(ROOT, 'renderer/vite.config.ts'), logLevel: 'warn' });
      summary = summarizeModel((await openModelFile(SAMPLE)).model);
      tmp = await mkdtemp(join(tmpdir(), 'whittle-e2e-'));
      await mkdir(SCREENS, { recursive: true });
      browser = await launchChromium();
      served = await serve({ model: SAMPLE, port: 0 });
      page = await openPage(browser, served.url, 1280, pageErrors);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await served?.close();
      if (tmp) await rm(tmp, { recursive: true, force: true });
    });

    it('shows the real numbers of the model given at start', async () => {
      await showSummary(page);
      await expect.poll(() => page.getByTestId('node-count').textContent()).toBe(formatExact(summary.nodeCount));
      expect(await page.getByTestId('file-name').textContent()).toBe('ppocr-cls.onnx');
      expect(await page.getByTestId('params').textContent()).toBe(formatCount(summary.params));
      expect(await page.getByTestId('ir-version').textContent()).toBe(String(summary.irVersion));
      const opRows = page.getByTestId('op-types-table').locator('tbody tr');
      expect(await opRows.count()).toBe(Object.keys(summary.opTypes).length);
      expect(await opRows.first().locator('td').nth(0).textContent()).toBe('Constant');
      expect(await opRows.first().locator('td').nth(1).textContent()).toBe(formatExact(summary.opTypes.Constant!));
      const inputs = page.getByTestId('inputs-table');
      expect(await inputs.locator('.dim-symbolic').first().textContent()).toBe(summary.inputs[0]!.shape![0]);
      await page.screenshot({ path: join(SCREENS, 'summary.png'), fullPage: true });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: join(SCREENS, 'summary-dark.png'), fullPage: true });
      await page.emulateMedia({ colorScheme: 'light' });
      expect(pageErrors).toEqual([]);
    });

    it('shows why a malformed file cannot be opened, and goes back', async () => {
      const bad = join(tmp, 'random.onnx');
      await writeFile(bad, randomBytes(4096));
      await page.getByLabel('Model path').fill(bad);
      await page.getByRole('button', { name: 'Open' }).click();
      const alert = page.getByRole('alert');
      await expect.poll(() => alert.locator('h2').textContent()).toBe('This file is not a model Whittle can read');
      expect(await alert.locator('.error-message').textContent()).toMatch(/^random\.onnx: .+/);
      await page.screenshot({ path: join(SCREENS, 'error.png'), fullPage: true });
      await page.getByRole('button', { name: 'Back to ppocr-cls.onnx' }).click();
      await showSummary(page);
      await expect.poll(() => page.getByTestId('node-count').textContent()).toBe(formatExact(summary.nodeCount));
      expect(pageErrors).toEqual([]);
    });

    it('renders text from the model as text, never as markup', async () => {
      const hostile = model(
        graph({
          name: `graph ${MARKUP}`,
          input: [valueInfo(`in ${MARKUP}`, 1, ['batch', null, 224])],
          output: [valueInfo('out', 1)],
          node: [node('Relu', [`in ${MARKUP}`], ['mid'], [], { name: `relu ${MARKUP}` }), node('Add', ['mid', 'missing'], ['out'], [], { name: 'add' })],
        }),
        { producerName: `tool ${MARKUP}`, producerVersion: '1.0', docString: `Doc ${MARKUP}\nsecond line`, metadataProps: [entry(`key ${MARKUP}`, `value ${MARKUP}`)] },
      );
      const file = join(tmp, 'hostile.onnx');
      await writeFile(file, encodeModel(hostile));
      await page.getByLabel('Model path').fill(file);
      await page.getByRole('button', { name: 'Open' }).click();
      await showSummary(page);
      await expect.poll(() => page.getByTestId('file-name').textContent()).toBe('hostile.onnx');
      expect(await page.locator('.content img').count()).toBe(0);
      expect(await page.evaluate('window.pwned')).toBeUndefined();
      expect(await page.locator('.doc-string').first().textContent()).toBe(`Doc ${MARKUP}\nsecond line`);
      expect(await page.getByTestId('findings').textContent()).toContain('missing');
      expect(await page.getByTestId('inputs-table').textContent()).toContain(`in ${MARKUP}`);
      await page.screenshot({ path: join(SCREENS, 'details.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
    });

    it('answers model.open on a malformed file with a readable error, not a stack', async () => {
      const bad = join(tmp, 'garbage.onnx');
      await writeFile(bad, randomBytes(4096));
      const { origin, searchParams } = new URL(served.url);
      const ws = await socket(`${origin.replace('http', 'ws')}/api?token=${searchParams.get('token')}`, origin);
      const reply = (await ask(ws, { type: 'request', id: 7, method: 'model.open', params: { path: bad } })) as { id: number; error: { code: string; message: string } };
      ws.close();
      expect(reply.id).toBe(7);
      expect(reply.error.code).toBe('bad-model');
      expect(reply.error.message).toMatch(/^garbage\.onnx: /);
      expect(reply.error.message).not.toMatch(/\n\s+at /);
    });

    it('receives a tensor in the browser as a binary frame of raw bytes', async () => {
      // A string, not a function: the page's WebSocket, not the `ws` import this file sees.
      const bytes = (await page.evaluate(`new Promise((done) => {
        const ws = new WebSocket('ws://' + location.host + '/api' + location.search);
        ws.binaryType = 'arraybuffer';
        ws.onopen = () => ws.send(JSON.stringify({ type: 'request', id: 1, method: 'model.open', params: { path: ${JSON.stringify(SAMPLE)} } }));
        ws.onmessage = (e) => {
          if (e.data instanceof ArrayBuffer) { ws.close(); done(Array.from(new Uint8Array(e.data))); }
          else if (JSON.parse(e.data).id === 1) ws.send(JSON.stringify({ type: 'request', id: 2, method: 'model.tensor', params: { name: 'batch_norm_0.w_0' } }));
        };
      })`)) as number[] | null;
      expect(bytes).not.toBeNull();
      const reply = decodeFrame(new Uint8Array(bytes!)) as { id: number; result: { dims: number[]; data: unknown } };
      expect(reply).toMatchObject({ id: 2, result: { dtype: 'float32', dims: [8] } });
      expect(reply.result.data).toBeInstanceOf(Float32Array);
    });

    it('refuses WebSockets with a wrong token or a foreign origin', async () => {
      const { origin, searchParams } = new URL(served.url);
      const base = `${origin.replace('http', 'ws')}/api`;
      await expect(socket(`${base}?token=${searchParams.get('token')}`, 'http://evil.example')).rejects.toThrow('HTTP 403');
      await expect(socket(`${base}?token=${'A'.repeat(43)}`, origin)).rejects.toThrow('HTTP 403');
      // A string, not a function: the page's WebSocket, not the `ws` import this file sees.
      const inPage = await page.evaluate(
        `new Promise((done) => { const ws = new WebSocket(${JSON.stringify(`${base}?token=wrong`)}); ws.onopen = () => done('open'); ws.onclose = () => done('closed'); })`,
      );
      expect(inPage).toBe('closed');
    });

    it('shows the startup error when the model given at start is malformed', async () => {
      const bad = join(tmp, 'broken-start.onnx');
      await writeFile(bad, Buffer.from([0x0b, 0x0c, 0x0d]));
      const other = await serve({ model: bad });
      try {
        const errorPage = await browser.newPage();
        await errorPage.goto(other.url);
        const alert = errorPage.getByRole('alert');
        await expect.poll(() => alert.locator('.error-message').textContent()).toMatch(/^broken-start\.onnx: /);
        expect(await alert.getByRole('button').count()).toBe(0);
        await errorPage.close();
      } finally {
        await other.close();
      }
    });
  });
}
