import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../../cli/serve.js';
import { analyzeModel } from '../../engine/core/analysis/index.js';
import { findDevice } from '../../engine/core/hardware/index.js';
import { openModelFile } from '../../engine/node/model-file.js';
import { sampleCopy } from '../support/sample-copy.js';
import { browserSkipReason, launchChromium, openPage } from '../support/browser.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SCREENS = join(ROOT, 'test-results/screens');
// bench.run saves into the model's workspace: a copy keeps the source tree clean.
const SAMPLE = sampleCopy();
const DIMS = { x: [1, 3, 48, 192] };

if (browserSkipReason) {
  it.skip(`the workbench in a browser: skipped, ${browserSkipReason}`, () => undefined);
} else {
  describe('the workbench in a browser', () => {
    let browser: Browser;
    let served: Served;
    let page: Page;
    const pageErrors: string[] = [];

    const shoot = async (name: string) => {
      await page.screenshot({ path: join(SCREENS, `${name}.png`) });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: join(SCREENS, `${name}-dark.png`) });
      await page.emulateMedia({ colorScheme: 'light' });
    };
    const tab = (name: string) => page.getByRole('tab', { name }).click();
    const itemsShown = async () => Number(/([\d,]+) items shown/.exec((await page.locator('.graph-view').textContent()) ?? '')?.[1]?.replace(/,/g, '') ?? NaN);

    beforeAll(async () => {
      await build({ configFile: join(ROOT, 'renderer/vite.config.ts'), logLevel: 'warn' });
      await mkdir(SCREENS, { recursive: true });
      browser = await launchChromium();
      served = await serve({ model: SAMPLE, port: 0 });
      page = await openPage(browser, served.url, 1440, pageErrors);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await served?.close();
    });

    it('asks for the symbolic input dims, then draws the graph of the analyzed model', async () => {
      // A catalog device: the predictions are the same on every machine.
      await page.getByLabel('Device').selectOption('rpi5');
      const pins = page.locator('.pin-form input');
      await expect.poll(() => pins.count()).toBe(3);
      for (const [i, value] of ['1', '48', '192'].entries()) await pins.nth(i).fill(value);
      await page.getByRole('button', { name: 'Analyze' }).click();
      await expect.poll(() => page.locator('.pin-form').count()).toBe(0);
      // React Flow mounts only what is in view; the toolbar counts what the graph holds.
      await expect.poll(() => page.locator('.react-flow__node').count(), { timeout: 20_000 }).toBeGreaterThan(0);
      await expect.poll(itemsShown).toBeGreaterThan(100);
      // Every node is in the graph, whichever blocks are collapsed; the model's 250 Constants are weights of their readers.
      await expect.poll(() => page.locator('.graph-view').textContent()).toContain('221 nodes (250 Constant nodes hidden');
      await shoot('workbench');
      expect(pageErrors).toEqual([]);
    });

    it('collapses a block into one card and expands it again from the keyboard', async () => {
      // React Flow mounts only what is in view: go to a node inside a block (a repeated structure) first.
      await page.getByLabel('Find node by name or op type').fill('p2o.Conv.1');
      await page.keyboard.press('Enter');
      const collapse = page.locator('button[aria-label^="Collapse "]').first();
      const label = (await collapse.getAttribute('aria-label'))!.slice('Collapse '.length);
      const before = await itemsShown();
      await collapse.click();
      const card = page.locator(`.block-card[aria-label="Expand ${label}"]`);
      await expect.poll(() => card.count()).toBe(1);
      await expect.poll(itemsShown).toBeLessThan(before);
      const collapsed = await itemsShown();
      await shoot('graph-collapsed');
      // By keyboard: the collapsed block is a button.
      await card.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator(`button[aria-label="Collapse ${label}"]`).count()).toBe(1);
      // Open again, with the blocks inside it closed (collapsing closed them).
      await expect.poll(itemsShown).toBeGreaterThan(collapsed);
      expect(await itemsShown()).toBeLessThanOrEqual(before);
      // Back to where the model starts, for the tests that follow.
      await page.getByLabel('Find node by name or op type').fill('p2o.Conv.0');
      await page.keyboard.press('Enter');
      expect(pageErrors).toEqual([]);
    });

    it('selects a node of the graph from the keyboard, and the inspector shows it', async () => {
      // The model's first node: in view when the graph opens, and where the test before left the view.
      const name = 'p2o.Conv.0';
      const card = page.locator(`.op-card[title="${name}"]`);
      await card.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('complementary', { name: 'Inspector' }).locator('.inspector-name').textContent()).toBe(name);
      expect(pageErrors).toEqual([]);
    });

    it('sorts the layers table by MACs and shows the chosen node in the inspector', async () => {
      const analysis = analyzeModel((await openModelFile(SAMPLE)).model, { inputDims: DIMS, device: findDevice('rpi5')! });
      const biggest = [...analysis.nodes].sort((a, b) => b.macs - a.macs)[0]!;
      await tab('Layers');
      const header = page.getByRole('columnheader', { name: /MACs/ });
      await header.getByRole('button').click();
      if ((await header.getAttribute('aria-sort')) !== 'descending') await header.getByRole('button').click();
      expect(await header.getAttribute('aria-sort')).toBe('descending');
      const firstRow = page.locator('.layers-table tbody tr[aria-rowindex]').first();
      await expect.poll(() => firstRow.textContent()).toContain(biggest.name);
      await firstRow.click();
      const inspector = page.getByRole('complementary', { name: 'Inspector' });
      await expect.poll(() => inspector.locator('.inspector-name').textContent()).toBe(biggest.name);
      await expect.poll(() => inspector.textContent()).toContain('kernel_shape');
      await expect.poll(() => inspector.textContent()).toContain(biggest.formula.slice(0, 20));
      await shoot('layers-inspector');
      expect(pageErrors).toEqual([]);
    });

    it('draws the roofline and the op-type breakdown', async () => {
      await tab('Roofline');
      await expect.poll(() => page.locator('.tab-panel canvas').count()).toBeGreaterThan(0);
      await shoot('roofline');
      await tab('Op types');
      await expect.poll(() => page.locator('.tab-panel canvas').count()).toBeGreaterThan(0);
      await shoot('op-types');
      expect(pageErrors).toEqual([]);
    });

    it('runs a short benchmark with per-node times, then cancels a long one', async () => {
      await tab('Benchmark');
      await page.getByLabel('Timed runs').fill('5');
      await page.getByRole('button', { name: 'Run benchmark' }).click();
      await expect.poll(() => page.locator('.bench-kernels').count(), { timeout: 60_000 }).toBe(1);
      await expect.poll(() => page.locator('.tab-panel').textContent()).toMatch(/median/i);
      await shoot('benchmark');
      await tab('Latency');
      await expect.poll(() => page.locator('.tab-panel canvas').count()).toBeGreaterThan(0);
      await shoot('latency');

      await tab('Benchmark');
      await page.getByLabel('Timed runs').fill('100000');
      await page.getByRole('button', { name: 'Run benchmark' }).click();
      await expect.poll(() => page.getByRole('progressbar').count()).toBe(1);
      await shoot('benchmark-running');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => page.locator('.tab-panel').textContent(), { timeout: 15_000 }).toContain('Benchmark cancelled');
      // The first run's results stay.
      expect(await page.locator('.bench-kernels').count()).toBe(1);
      expect(pageErrors).toEqual([]);
    });

    it('shows the saved benchmark again when the model is reopened, at the dims it was measured at', async () => {
      await page.reload();
      await tab('Benchmark');
      await expect.poll(() => page.locator('.bench-kernels').count(), { timeout: 20_000 }).toBe(1);
      expect(await page.locator('.tab-panel').textContent()).toContain('Measured');
      // Analyzed again at the dims it was measured at: nothing left to pin.
      await expect.poll(() => page.locator('.pin-form').count()).toBe(0);
      await tab('Roofline');
      await expect.poll(() => page.locator('.tab-panel').textContent()).not.toMatch(/Run a benchmark with per-node timing/);
      await shoot('roofline-measured');
      expect(pageErrors).toEqual([]);
    });

    it('previews an optimization with the nodes it changes marked in the graph, then makes the variant and opens it', async () => {
      await tab('Optimize');
      await page.getByRole('button', { name: 'Preview' }).click();
      const report = page.getByRole('region', { name: 'Optimization result' });
      await expect.poll(() => report.locator('h3').textContent(), { timeout: 30_000 }).toBe('Preview: 37 changes (marked in green in the graph). Nothing was written.');
      // The first Conv and its BatchNormalization are in view where the model starts, both marked.
      await expect.poll(() => page.locator('.op-card.changing[title="p2o.BatchNormalization.0"]').count()).toBe(1);
      expect(await page.locator('.op-card.changing[title="p2o.Conv.0"]').count()).toBe(1);
      expect(await page.locator('.op-card.changing[title="p2o.Add.0"]').count()).toBe(0);
      expect(await report.getByRole('row', { name: /^Nodes \(Constants aside\) 221 179 −19\.0%$/ }).count()).toBe(1);
      await shoot('optimize-preview');

      await page.getByRole('button', { name: 'Apply: make a variant' }).click();
      await expect.poll(() => report.locator('h3').textContent(), { timeout: 60_000 }).toBe('Variant v1 made: 37 changes.');
      await expect.poll(() => report.textContent()).toMatch(/Worst output error \d\.\d\de-\d+ × max \|output\| on x 1×3×48×192 \(seeded random\): within the 0\.0001 tolerance\./);
      const variants = page.getByRole('region', { name: 'Variants of this model' });
      await expect.poll(() => variants.getByRole('row').count()).toBe(2);
      expect(await variants.textContent()).toContain('optimize (eliminate, fold-constants, fold-pad, fold-batchnorm, fold-scale-bias, fuse-matmul-add, reparam-repvgg) from original');
      await shoot('optimize-applied');

      await report.getByRole('button', { name: 'Open the variant' }).click();
      await expect.poll(() => page.locator('.graph-view').textContent(), { timeout: 30_000 }).toContain('179 nodes');
      expect(pageErrors).toEqual([]);
    });
  });
}
