import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import * as z from 'zod';
import {
  ADMIN_TOKEN,
  createConsoleClient,
  startConsoleGateway,
} from '../console/console-client.ts';
import type { TestGateway } from '../helpers/start-test-gateway.ts';
import { launchBrowser, openConsolePage, requireBrowser } from './console-browser.ts';
import { waitUntil } from './page-reading.ts';
import { logInInBrowser } from './sign-up-in-browser.ts';

/** The header polls the session every 5 s; the page must react to its end within one poll. */
const WITHIN_MS = 8000;

const accountSchema = z.object({ user: z.object({ accountId: z.string() }) });

if (requireBrowser('a session that ends under the user')) {
  describe('a session that ends under the user', () => {
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

    test('ko: back at the login form, the user is told why: expired, or disabled by the operator', async () => {
      const origin = harness.gateway.url;
      const user = { email: 'ended@example.com', password: 'Correct-Horse-42' };
      const signedUp = await createConsoleClient(origin).signup(user.email, user.password);
      const { accountId } = accountSchema.parse(signedUp.body).user;
      const consolePage = await openConsolePage(browser, origin, 'ko');
      const { page } = consolePage;
      const alertText = () =>
        page
          .getByRole('alert')
          .allTextContents()
          .then((texts) => texts.join(' | '));

      // The session ends (expired, or signed out elsewhere): the cookie no longer opens it.
      await logInInBrowser(page, 'ko', user);
      await page.goto('/console/keys');
      await page.getByRole('heading', { name: 'API 키', level: 1 }).waitFor();
      await consolePage.context.clearCookies();
      await page
        .getByRole('button', { name: '로그인', exact: true })
        .waitFor({ timeout: WITHIN_MS });
      await waitUntil(
        alertText,
        (text) => text === '세션이 만료되었습니다. 다시 로그인하세요.',
        'the login form saying the session ended',
      );

      // Logging in again clears it; then the operator disables the account.
      await logInInBrowser(page, 'ko', user);
      assert.equal(await page.getByRole('alert').count(), 0);
      const disabled = await fetch(`${origin}/admin/api/accounts/${accountId}/disable`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(disabled.status, 200);
      await page
        .getByRole('button', { name: '로그인', exact: true })
        .waitFor({ timeout: WITHIN_MS });
      await waitUntil(
        alertText,
        (text) => text === '운영자가 이 계정을 비활성화했습니다.',
        'the login form saying the account was disabled',
      );
      await consolePage.context.close();
    });
  });
}
