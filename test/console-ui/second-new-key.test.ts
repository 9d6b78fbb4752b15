import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createConsoleClient, startConsoleGateway } from '../console/console-client.ts';
import type { TestGateway } from '../helpers/start-test-gateway.ts';
import {
  assertNoConsoleErrors,
  launchBrowser,
  openConsolePage,
  requireBrowser,
} from './console-browser.ts';
import { logInInBrowser } from './sign-up-in-browser.ts';

// Runs in the page (a string, so this Node-typed file needs no DOM types).
const FOCUSED_TEXT = `(document.activeElement && document.activeElement.textContent) || ''`;

if (requireBrowser('two keys made one after the other')) {
  describe('two keys made one after the other', () => {
    let harness: TestGateway;
    let browser: Browser;
    before(async () => {
      harness = await startConsoleGateway();
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await harness?.close();
    });

    test('the second key’s one-time secret takes the focus (and the view) like the first', async () => {
      const origin = harness.gateway.url;
      const user = { email: 'two-keys@example.com', password: 'Correct-Horse-42' };
      await createConsoleClient(origin).signup(user.email, user.password);
      const consolePage = await openConsolePage(browser, origin, 'en');
      const { page } = consolePage;
      await logInInBrowser(page, 'en', user);
      await page.locator('.language-select select').selectOption('en');
      await page.goto('/console/keys');

      for (const name of ['laptop', 'server']) {
        await page.getByLabel('Name', { exact: true }).fill(name);
        await page.getByRole('button', { name: 'Create key' }).click();
        await page.getByRole('heading', { name: `Your new key “${name}”` }).waitFor();
        // Not dismissed before the next one: the box stays where it was, above the list.
        assert.equal(await page.evaluate(FOCUSED_TEXT), `Your new key “${name}”`);
      }
      assertNoConsoleErrors(consolePage);
      await consolePage.context.close();
    });
  });
}
