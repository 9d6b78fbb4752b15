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
import { textOf, waitUntil } from './page-reading.ts';
import { logInInBrowser } from './sign-up-in-browser.ts';

if (requireBrowser('the usage page follows spending')) {
  describe('the usage page follows spending', () => {
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

    test('this month’s total moves with today’s live spend, so it is never below it', async () => {
      const origin = harness.gateway.url;
      const user = { email: 'watcher@example.com', password: 'Correct-Horse-42' };
      const client = createConsoleClient(origin);
      await client.signup(user.email, user.password);
      const created = await client.send('POST', '/keys', { body: { name: 'app' } });
      const { key } = z.object({ key: z.string() }).parse(created.body);
      const chat = async () => {
        const response = await fetch(`${origin}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'gpt-4.1',
            messages: [{ role: 'user', content: 'Hello [simulate tokens=200]' }],
          }),
        });
        assert.equal(response.status, 200, await response.text());
      };
      await chat();

      const consolePage = await openConsolePage(browser, origin, 'ko');
      const { page } = consolePage;
      await logInInBrowser(page, 'ko', user);
      await page.goto('/console/usage');
      await page.getByTestId('usage-models').waitFor();
      const before = await textOf(page, 'month-total');
      assert.equal(await textOf(page, 'spent-today'), before);

      // Another request while the page is open: today's card is live, and the month must follow.
      await chat();
      const today = await waitUntil(
        () => textOf(page, 'spent-today'),
        (text) => text !== before,
        'today’s spend updated',
      );
      await waitUntil(
        () => textOf(page, 'month-total'),
        (text) => text === today,
        `the month total equal to today’s spend (${today}), the month's only day of use`,
        3000,
      );
      assert.match(
        (await page
          .getByTestId('usage-models')
          .locator('[data-column="requests"]')
          .first()
          .textContent()) ?? '',
        /^2/,
      );
      assertNoConsoleErrors(consolePage);
      await consolePage.context.close();
    });
  });
}
