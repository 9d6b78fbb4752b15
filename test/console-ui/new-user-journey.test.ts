import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { Browser } from 'playwright-core';
import * as z from 'zod';
import { adminPost, startConsoleGateway } from '../console/console-client.ts';
import type { TestGateway } from '../helpers/start-test-gateway.ts';
import {
  assertEveryFieldLabelled,
  assertNoConsoleErrors,
  type ConsoleLocale,
  launchBrowser,
  openConsolePage,
  requireBrowser,
  saveScreenshot,
} from './console-browser.ts';
import { LIVE_WITHIN_MS, textOf, waitUntil } from './page-reading.ts';
import { ACCESS_WORDS } from './sign-up-in-browser.ts';

/** What a new user reads and clicks, per language. */
const WORDS = {
  ko: {
    toSignup: '가입하고 무료 크레딧 받기',
    navKeys: 'API 키',
    navRequests: '요청 기록',
    navUsage: '사용량',
    navCredits: '크레딧',
    keyName: '이름',
    createKey: '키 만들기',
    voucherCode: '바우처 코드',
    redeem: '등록하기',
    revoke: (name: string) => `${name} 키 폐기`,
    confirmRevoke: '키 폐기',
  },
  en: {
    toSignup: 'Sign up for free credits',
    navKeys: 'API keys',
    navRequests: 'Request log',
    navUsage: 'Usage',
    navCredits: 'Credits',
    keyName: 'Name',
    createKey: 'Create key',
    voucherCode: 'Voucher code',
    redeem: 'Redeem',
    revoke: (name: string) => `Revoke key ${name}`,
    confirmRevoke: 'Revoke key',
  },
} as const;

/** ₩1,234.5678 → 1234.5678 */
function wonOf(text: string): number {
  const match = /₩([\d,]+(?:\.\d+)?)/.exec(text);
  assert.ok(match?.[1] !== undefined, `no amount in won in "${text}"`);
  return Number(match[1].replaceAll(',', ''));
}

if (requireBrowser('console new-user journey')) {
  describe('a new user, end to end in a real browser', () => {
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

    for (const locale of ['ko', 'en'] as const satisfies readonly ConsoleLocale[]) {
      const words = WORDS[locale];
      const access = ACCESS_WORDS[locale];

      test(`${locale}: sign up → bonus → key → streamed SDK call in the log and the spend within 5 s → voucher → revoke → 401`, async () => {
        const consolePage = await openConsolePage(browser, harness.gateway.url, locale);
        const { page } = consolePage;
        const email = `journey-${locale}@example.com`;
        const password = 'Correct-Horse-42';

        // Sign up from the front door, as a newcomer would.
        await page.goto('/console/');
        await page.getByRole('link', { name: words.toSignup }).click();
        await page.getByLabel(access.email, { exact: true }).fill(email);
        await page.getByLabel(access.password, { exact: true }).fill(password);
        await page.getByLabel(access.repeat, { exact: true }).fill(password);
        await page.getByRole('button', { name: access.signup }).click();
        assert.equal(wonOf(await textOf(page, 'signup-bonus')), 1000);
        assert.equal(wonOf(await textOf(page, 'balance-available')), 1000);
        await saveScreenshot(page, 'journey-1-bonus', locale);

        // A key, shown once.
        await page.getByRole('link', { name: words.navKeys, exact: true }).click();
        await page.getByLabel(words.keyName, { exact: true }).fill('journey');
        await page.getByRole('button', { name: words.createKey, exact: true }).click();
        const apiKey = await textOf(page, 'new-key');
        assert.match(apiKey, /^sk-shep-/);

        // The official SDK, streaming with usage, against the simulator.
        const client = new OpenAI({ apiKey, baseURL: harness.baseUrl, maxRetries: 0 });
        const stream = await client.chat.completions.create({
          model: 'gpt-4.1',
          messages: [{ role: 'user', content: 'Hello from the journey. [simulate tokens=40]' }],
          stream: true,
          stream_options: { include_usage: true },
        });
        let text = '';
        let usage: OpenAI.CompletionUsage | undefined;
        for await (const chunk of stream) {
          text += chunk.choices[0]?.delta.content ?? '';
          usage = chunk.usage ?? usage;
        }
        assert.ok(text.length > 0 && usage !== undefined && usage.completion_tokens > 0);
        const answeredAt = Date.now();

        // The request log shows it within 5 s, without reloading.
        await page.getByRole('link', { name: words.navRequests, exact: true }).click();
        const rows = page.getByTestId('request-log').locator('tbody tr');
        await waitUntil(
          () => rows.count(),
          (count) => count >= 1,
          'the request in the log',
        );
        const row = (await rows.first().textContent()) ?? '';
        assert.match(row, /gpt-4\.1/);
        assert.ok(wonOf(row) > 0, `no cost in the log row: ${row}`);
        await saveScreenshot(page, 'journey-2-request-log', locale);

        // And its cost in today's spend on the usage page.
        await page.getByRole('link', { name: words.navUsage, exact: true }).click();
        const spent = await waitUntil(
          async () => wonOf(await textOf(page, 'spent-today').catch(() => '₩0')),
          (amount) => amount > 0,
          "the request's cost in today's spend",
        );
        assert.ok(Date.now() - answeredAt < 2 * LIVE_WITHIN_MS);
        await saveScreenshot(page, 'journey-3-usage', locale);

        // A voucher bought from the operator raises the balance.
        const batch = await adminPost(harness.gateway.url, '/vouchers/batches', {
          name: `journey-${locale}`,
          amount: '5000',
          count: 1,
        });
        assert.equal(batch.status, 201);
        const code = z.object({ codes: z.tuple([z.string()]) }).parse(batch.body).codes[0];
        await page.getByRole('link', { name: words.navCredits, exact: true }).click();
        await page.getByLabel(words.voucherCode, { exact: true }).fill(code);
        await page.getByRole('button', { name: words.redeem, exact: true }).click();
        const expected = 1000 - spent + 5000;
        await waitUntil(
          async () => wonOf(await textOf(page, 'credits-available')),
          (balance) => Math.abs(balance - expected) < 0.01,
          `the balance of ₩${expected}`,
        );
        await page.getByTestId('header-balance').filter({ hasText: '₩5,99' }).waitFor();
        await assertEveryFieldLabelled(page);
        await saveScreenshot(page, 'journey-4-voucher', locale);

        // Revoked: the API refuses the key at once.
        await page.getByRole('link', { name: words.navKeys, exact: true }).click();
        await page.getByRole('button', { name: words.revoke('journey'), exact: true }).click();
        await page
          .getByRole('dialog')
          .getByRole('button', { name: words.confirmRevoke, exact: true })
          .click();
        await page.getByTestId('key-row').locator('.key-status').first().waitFor();
        await waitUntil(
          async () =>
            client.chat.completions
              .create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Still there?' }] })
              .then(
                () => 200,
                (error: unknown) => (error instanceof OpenAI.APIError ? error.status : -1),
              ),
          (status) => status === 401,
          'a 401 for the revoked key',
        );
        await saveScreenshot(page, 'journey-5-revoked', locale);
        assertNoConsoleErrors(consolePage);
        await consolePage.context.close();
      });
    }
  });
}
