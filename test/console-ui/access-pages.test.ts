import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createConsoleUser } from '../../src/server/console/create-console-user.ts';
import { startConsoleGateway } from '../console/console-client.ts';
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
import { ACCESS_WORDS, logInInBrowser, signUpInBrowser } from './sign-up-in-browser.ts';

if (requireBrowser('console access pages')) {
  describe('console access pages in a real browser', () => {
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
      test(`${locale}: the browser's language picks the console's; sign up shows the bonus`, async () => {
        const consolePage = await openConsolePage(browser, harness.gateway.url, locale);
        const { page } = consolePage;
        await page.goto('/console/');
        assert.equal(await page.locator('html').getAttribute('lang'), locale);
        await page.getByRole('heading', { name: ACCESS_WORDS[locale].login }).waitFor();
        await assertEveryFieldLabelled(page);
        await saveScreenshot(page, 'login', locale);

        await page.goto('/console/signup');
        await assertEveryFieldLabelled(page);
        await saveScreenshot(page, 'signup', locale);
        const credentials = { email: `new-${locale}@example.com`, password: 'Correct-Horse-42' };
        await signUpInBrowser(page, locale, credentials);
        const bonus = await page.getByTestId('signup-bonus').textContent();
        assert.match(bonus ?? '', /₩/);
        await saveScreenshot(page, 'overview', locale);
        assertNoConsoleErrors(consolePage);
        await consolePage.context.close();
      });
    }

    test('bad input gets a clear message in the user language', async () => {
      const consolePage = await openConsolePage(browser, harness.gateway.url, 'ko');
      const { page } = consolePage;
      const credentials = { email: 'twice@example.com', password: 'Correct-Horse-42' };
      await signUpInBrowser(page, 'ko', credentials);
      await consolePage.context.clearCookies();

      // The same email again: a Korean sentence, not a code.
      await page.goto('/console/signup');
      const words = ACCESS_WORDS.ko;
      await page.getByLabel(words.email, { exact: true }).fill(credentials.email);
      await page.getByLabel(words.password, { exact: true }).fill(credentials.password);
      await page.getByLabel(words.repeat, { exact: true }).fill(credentials.password);
      await page.getByRole('button', { name: words.signup }).click();
      assert.equal(
        await page.getByRole('alert').textContent(),
        '이미 가입된 이메일입니다. 로그인하세요.',
      );

      // A wrong password, in English this time.
      await page.getByLabel('언어').selectOption('en');
      await page.goto('/console/login');
      await page.getByLabel('Email', { exact: true }).fill(credentials.email);
      await page.getByLabel('Password', { exact: true }).fill('Wrong-Horse-42');
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      assert.equal(await page.getByRole('alert').textContent(), 'The email or password is wrong.');

      await logInInBrowser(page, 'en', credentials);
      // The failed login logs a 401 in the console by Chromium's design; only that one is allowed.
      const unexpected = consolePage.errors.filter((error) => !/status of 40[19]/.test(error));
      assert.deepEqual(unexpected, []);
      await consolePage.context.close();
    });
  });
}

if (requireBrowser('console with self-signup off')) {
  describe('console with self-signup off', () => {
    let harness: TestGateway;
    let browser: Browser;
    before(async () => {
      harness = await startConsoleGateway((config) => {
        config.console.selfSignup = false;
      });
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await harness?.close();
    });

    test('no sign-up is offered; an operator-made user logs in', async () => {
      const consolePage = await openConsolePage(browser, harness.gateway.url, 'ko');
      const { page } = consolePage;
      await page.goto('/console/login');
      await page.getByText('이 게이트웨이는 가입을 받지 않습니다.', { exact: false }).waitFor();
      assert.equal(await page.getByRole('link', { name: '가입하고 무료 크레딧 받기' }).count(), 0);
      await page.goto('/console/signup');
      await page.getByRole('alert').waitFor();
      assert.equal(await page.getByRole('button', { name: ACCESS_WORDS.ko.signup }).count(), 0);

      const credentials = { email: 'made-by-ops@example.com', password: 'Operator-Chosen-77' };
      await createConsoleUser({
        store: harness.store,
        ...credentials,
        role: 'user',
        locale: 'ko',
        signupBonusMicros: 0n,
      });
      await logInInBrowser(page, 'ko', credentials);
      assertNoConsoleErrors(consolePage);
      await consolePage.context.close();
    });
  });
}
