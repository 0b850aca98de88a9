import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium: the only browser these machines have (never `npx playwright install`). */
export const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here; on CI a missing browser is a failure (launch throws), never a silent skip. */
export const browserSkipReason: string | undefined = existsSync(CHROMIUM) || process.env.CI === 'true' ? undefined : `Chromium is not installed at ${CHROMIUM}`;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** A new page at `url`; its console errors and uncaught exceptions are appended to `errors`. */
export async function openPage(browser: Browser, url: string, width: number, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return page;
}
