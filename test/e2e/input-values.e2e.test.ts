import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../../cli/serve.js';
import { browserSkipReason, launchChromium, openPage } from '../support/browser.js';

const ROOT = resolve(import.meta.dirname, '../..');

// Silero VAD takes its sample rate as an input: random values cannot run it (its If picks a branch
// on it), so both the benchmark and an optimization's output check need it from a file.
if (browserSkipReason) {
  it.skip(`input values in a browser: skipped, ${browserSkipReason}`, () => undefined);
} else {
  describe('input values given as files in the workbench', () => {
    const dir = mkdtempSync(join(tmpdir(), 'whittle-silero-'));
    const model = join(dir, 'silero_vad_v5.onnx');
    const sr = join(dir, 'sr.json');
    let browser: Browser;
    let served: Served;
    let page: Page;
    const pageErrors: string[] = [];

    beforeAll(async () => {
      copyFileSync(join(ROOT, 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx'), model);
      writeFileSync(sr, '16000');
      await build({ configFile: join(ROOT, 'renderer/vite.config.ts'), logLevel: 'warn' });
      browser = await launchChromium();
      served = await serve({ model, port: 0 });
      page = await openPage(browser, served.url, 1440, pageErrors);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await served?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('asks for the dims Silero leaves symbolic', async () => {
      const fields = page.locator('.pin-field');
      await expect.poll(() => fields.count(), { timeout: 30_000 }).toBe(3);
      // input [1, 512] and state [2, 1, 128]: the pins are input dim 0, input dim 1 and state dim 1.
      for (let i = 0; i < 3; i++) await fields.nth(i).locator('input').fill((await fields.nth(i).locator('span').textContent()) === 'input dim 1' ? '512' : '1');
      await page.getByRole('button', { name: 'Analyze' }).click();
      await expect.poll(() => page.locator('.pin-form').count()).toBe(0);
    });

    it('checks an optimization of the model on the sample rate from a file', async () => {
      await page.getByRole('tab', { name: 'Optimize' }).click();
      await page.locator('.input-values summary').click();
      await page.getByLabel(/^sr: scalar/).fill(sr);
      expect(await page.locator('.input-values summary').textContent()).toBe('Input values: 1 from file, the rest seeded random');
      await page.getByRole('button', { name: 'Apply: make a variant' }).click();
      const report = page.getByRole('region', { name: 'Optimization result' });
      await expect.poll(() => report.locator('.optimize-variant').textContent(), { timeout: 60_000 }).toMatch(/Worst output error .* on input 1×512, state 2×1×128, sr scalar \(seeded random\): within the 0\.0001 tolerance\./);
      expect(pageErrors).toEqual([]);
    });

    it('benchmarks the model with the same file, which the Benchmark tab shares', async () => {
      await page.getByRole('tab', { name: 'Benchmark' }).click();
      expect(await page.locator('.input-values summary').textContent()).toBe('Input values: 1 from file, the rest seeded random');
      await page.getByRole('spinbutton', { name: 'Timed runs' }).or(page.getByLabel('Timed runs')).fill('5');
      await page.getByRole('button', { name: 'Run benchmark' }).click();
      await expect.poll(() => page.locator('.tab-panel').textContent(), { timeout: 60_000 }).toContain('Measured');
      expect(await page.locator('.job-error').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  });
}
