import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { adminPost, startConsoleGateway } from '../console/console-client.ts';
import type { TestGateway } from '../helpers/start-test-gateway.ts';
import {
  assertNoConsoleErrors,
  launchBrowser,
  openConsolePage,
  requireBrowser,
} from './console-browser.ts';
import { signUpInBrowser } from './sign-up-in-browser.ts';

const ADMIN = { email: 'dollar-ops@example.com', password: 'Quiet-Harbor-2031' };

if (requireBrowser('admin amounts in a wallet currency other than won')) {
  describe('admin amounts in a wallet currency other than won', () => {
    let harness: TestGateway;
    let browser: Browser;
    before(async () => {
      harness = await startConsoleGateway((config) => {
        config.billing.currency = 'USD';
        config.billing.exchangeRate = '1';
        config.billing.signupBonus = '5';
      });
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await harness?.close();
    });

    test('en: the voucher and adjustment amounts are asked in dollars, never in won', async () => {
      const origin = harness.gateway.url;
      const consolePage = await openConsolePage(browser, origin, 'en');
      const { page } = consolePage;
      await signUpInBrowser(page, 'en', ADMIN);
      const promoted = await adminPost(origin, '/console-users/promote', { email: ADMIN.email });
      assert.equal(promoted.status, 200);

      await page.goto('/console/admin/vouchers');
      await page.getByRole('heading', { name: 'Vouchers', level: 1 }).waitFor();
      await page.getByLabel('Amount per voucher ($)').fill('ten');
      await page.getByLabel('Batch name').fill('Launch');
      await page.getByLabel('Number of codes').fill('2');
      await page.getByRole('button', { name: 'Generate codes' }).click();
      const refusal = (await page.getByRole('alert').textContent()) ?? '';
      assert.doesNotMatch(refusal, /\bwon\b/, refusal);

      await page.goto('/console/admin/accounts');
      await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Adjust credits' }).first().click();
      await page.getByLabel('Amount ($)').fill('2.5');
      const form = (await page.locator('form.admin-adjust-form').textContent()) ?? '';
      assert.doesNotMatch(form, /\bwon\b/, form);
      assertNoConsoleErrors(consolePage);
      await consolePage.context.close();
    });
  });
}
