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

const meSchema = z.object({ user: z.object({ balance: z.object({ available: z.string() }) }) });

if (requireBrowser('the credits page follows spending')) {
  describe('the credits page follows spending', () => {
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

    test('a request made while the page is open lowers its balance with the header’s, never two balances', async () => {
      const origin = harness.gateway.url;
      const user = { email: 'spender@example.com', password: 'Correct-Horse-42' };
      const client = createConsoleClient(origin);
      await client.signup(user.email, user.password);
      const created = await client.send('POST', '/keys', { body: { name: 'app' } });
      const { key } = z.object({ key: z.string() }).parse(created.body);

      const consolePage = await openConsolePage(browser, origin, 'ko');
      const { page } = consolePage;
      await logInInBrowser(page, 'ko', user);
      await page.goto('/console/credits');
      await page.getByTestId('credits-held').waitFor();
      assert.equal(await textOf(page, 'credits-available'), '₩1,000');

      // The user's app spends while they look at the page.
      const chat = await fetch(`${origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4.1',
          messages: [{ role: 'user', content: 'Hello [simulate tokens=200]' }],
        }),
      });
      assert.equal(chat.status, 200, await chat.text());
      const available = meSchema.parse((await client.send('GET', '/me')).body).user.balance
        .available;
      assert.notEqual(available, '1000');

      // The header polls the balance; the page's own figure must follow it, not keep the old one.
      const header = await waitUntil(
        () => textOf(page, 'header-balance'),
        (text) => !text.includes('₩1,000'),
        'the header balance lowered',
        8000,
      );
      const figure = await waitUntil(
        () => textOf(page, 'credits-available'),
        (text) => header.endsWith(text),
        `the page balance equal to the header's (${header})`,
        3000,
      );
      assert.notEqual(figure, '₩1,000');
      // And the history shows the spending.
      await page.getByText('요청 1건').waitFor({ timeout: 3000 });
      assertNoConsoleErrors(consolePage);
      await consolePage.context.close();
    });
  });
}
