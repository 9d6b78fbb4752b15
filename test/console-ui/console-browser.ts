import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import * as z from 'zod';

/** Debian's chromium (`.ci/run` installs it); override with SHEPHERD_TEST_CHROMIUM. */
export const CHROMIUM_PATH = process.env.SHEPHERD_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots of every page in both languages land here (a CI artifact). */
export const SCREENSHOT_DIRECTORY = fileURLToPath(
  new URL('../../test-artifacts/console-ui/', import.meta.url),
);

/** Where the built console is; `npm test` builds it first (the `pretest` script). */
const BUILT_CONSOLE = fileURLToPath(new URL('../../web/dist/index.html', import.meta.url));

// The machine's network is closed: without these, Chromium keeps trying Google's hosts.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Without Chromium or the built console, registers one skipped test (or a failing one when
 * SHEPHERD_REQUIRE_SERVICES=1, so CI cannot pass by skipping). Returns whether the tests can run.
 */
export function requireBrowser(title: string): boolean {
  const missing = !existsSync(CHROMIUM_PATH)
    ? `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set SHEPHERD_TEST_CHROMIUM)`
    : !existsSync(BUILT_CONSOLE)
      ? 'the console is not built (npm run build:web; npm test does it)'
      : undefined;
  if (missing === undefined) return true;
  if (process.env.SHEPHERD_REQUIRE_SERVICES === '1') {
    test(`${title}: browser available (SHEPHERD_REQUIRE_SERVICES=1)`, () => assert.fail(missing));
  } else {
    test(title, { skip: missing }, () => {});
  }
  return false;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

export type ConsoleLocale = 'ko' | 'en';

export interface ConsolePage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
}

/**
 * A fresh browser context (own cookies and storage) whose browser language is `locale`, so the
 * console picks it the way a real user's browser would.
 */
export async function openConsolePage(
  browser: Browser,
  origin: string,
  locale: ConsoleLocale,
): Promise<ConsolePage> {
  const context = await browser.newContext({
    baseURL: origin,
    locale: locale === 'ko' ? 'ko-KR' : 'en-US',
    viewport: { width: 1280, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return { page, context, errors };
}

/** Asserts that nothing was logged as an error (expected API refusals show in the UI, not here). */
export function assertNoConsoleErrors(consolePage: ConsolePage): void {
  assert.deepEqual(consolePage.errors, [], 'the browser console shows errors');
}

// Runs in the page (a string, so this Node-typed file needs no DOM types).
const FIND_UNLABELLED_FIELDS = `(() => {
  const missing = [];
  for (const field of document.querySelectorAll('input, select, textarea')) {
    if (field.type === 'hidden') continue;
    const labelled =
      (field.labels ? field.labels.length : 0) > 0 ||
      (field.getAttribute('aria-label') || '').trim() !== '' ||
      (field.getAttribute('aria-labelledby') || '').trim() !== '';
    if (!labelled) missing.push(field.outerHTML.slice(0, 120));
  }
  return missing;
})()`;

/** Every visible input, select and textarea has a label (element, aria-label or aria-labelledby). */
export async function assertEveryFieldLabelled(page: Page): Promise<void> {
  const found = await page.evaluate(FIND_UNLABELLED_FIELDS);
  const unlabelled = z.array(z.string()).parse(found);
  assert.deepEqual(unlabelled, [], `fields without a label on ${page.url()}`);
}

/** A full-page screenshot: test-artifacts/console-ui/<name>-<locale>.png. */
export async function saveScreenshot(
  page: Page,
  name: string,
  locale: ConsoleLocale,
): Promise<string> {
  await mkdir(SCREENSHOT_DIRECTORY, { recursive: true });
  const path = join(SCREENSHOT_DIRECTORY, `${name}-${locale}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
