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
import { logInInBrowser } from './sign-up-in-browser.ts';

if (requireBrowser('a key allowed no model')) {
  describe('a key allowed no model', () => {
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

    test('the keys page says it may use no model, not a blank cell that reads like no limit', async () => {
      const origin = harness.gateway.url;
      const user = { email: 'locked@example.com', password: 'Correct-Horse-42' };
      const client = createConsoleClient(origin);
      await client.signup(user.email, user.password);
      // The API takes an empty allow-list (PATCH /keys/:id too): the key then refuses every model.
      const created = await client.send('POST', '/keys', {
        body: { name: 'locked', allowedModels: [] },
      });
      const { key, apiKey } = z
        .object({ key: z.string(), apiKey: z.object({ id: z.string() }) })
        .parse(created.body);
      const chat = await fetch(`${origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Hi' }] }),
      });
      assert.equal(chat.status, 403, await chat.text());

      for (const [locale, words] of [
        ['ko', '허용된 모델 없음'],
        ['en', 'No model allowed'],
      ] as const) {
        const consolePage = await openConsolePage(browser, origin, locale);
        const { page } = consolePage;
        await logInInBrowser(page, locale, user);
        await page.locator('.language-select select').selectOption(locale);
        await page.goto('/console/keys');
        const row = page.locator(`tr[data-key-id="${apiKey.id}"]`);
        await row.waitFor();
        const cell = row.locator('td').nth(6);
        assert.equal(((await cell.textContent()) ?? '').trim(), words);
        assertNoConsoleErrors(consolePage);
        await consolePage.context.close();
      }
    });
  });
}
