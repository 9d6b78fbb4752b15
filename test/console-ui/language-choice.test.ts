import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import * as z from 'zod';
import { createConsoleClient, startConsoleGateway } from '../console/console-client.ts';
import type { TestGateway } from '../helpers/start-test-gateway.ts';
import {
  assertNoConsoleErrors,
  launchBrowser,
  openConsolePage,
  requireBrowser,
} from './console-browser.ts';
import { waitUntil } from './page-reading.ts';
import { logInInBrowser, signUpInBrowser } from './sign-up-in-browser.ts';

const meSchema = z.object({ user: z.object({ locale: z.string() }) });

if (requireBrowser('the console language follows the user')) {
  describe('the console language follows the user', () => {
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

    test('switched to English once, the account keeps it: another browser logs in in English', async () => {
      const origin = harness.gateway.url;
      const credentials = { email: 'switcher@example.com', password: 'Correct-Horse-42' };

      // Signs up in a Korean browser, then switches the console to English.
      const first = await openConsolePage(browser, origin, 'ko');
      await signUpInBrowser(first.page, 'ko', credentials);
      await first.page.locator('.language-select select').selectOption('en');
      await first.page.getByRole('heading', { name: 'Overview' }).waitFor();

      // The choice is the account's, not only this browser's.
      const client = createConsoleClient(origin);
      await client.login(credentials.email, credentials.password);
      await waitUntil(
        async () => meSchema.parse((await client.send('GET', '/me')).body).user.locale,
        (locale) => locale === 'en',
        'the account language saved as en',
      );
      assertNoConsoleErrors(first);
      await first.context.close();

      // Another Korean browser, nothing chosen there: after logging in the console is in English,
      // and stays so after a reload.
      const second = await openConsolePage(browser, origin, 'ko');
      await logInInBrowser(second.page, 'ko', credentials);
      await second.page.getByRole('link', { name: 'Request log' }).waitFor();
      assert.equal(await second.page.locator('html').getAttribute('lang'), 'en');
      await second.page.reload();
      await second.page.getByRole('link', { name: 'Request log' }).waitFor();
      assertNoConsoleErrors(second);
      await second.context.close();
    });
  });
}
