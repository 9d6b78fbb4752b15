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
import { textOf } from './page-reading.ts';
import { signUpInBrowser } from './sign-up-in-browser.ts';

/** What the user reads and clicks on the two pages, per language. */
const WORDS = {
  en: {
    navKeys: 'API keys',
    navCredits: 'Credits',
    keysTitle: 'API keys',
    name: 'Name',
    cap: 'Monthly spend cap (₩)',
    expiry: 'Expires after',
    create: 'Create key',
    notice: 'This is the only time the full key is shown.',
    copied: 'Copied',
    edit: (name: string) => `Edit key ${name}`,
    revoke: (name: string) => `Revoke key ${name}`,
    save: 'Save',
    confirmRevoke: 'Revoke key',
    capInvalid: 'Enter the cap as a positive amount in whole units',
    saved: (name: string) => `Key “${name}” has been updated.`,
    revoked: 'Revoked',
    active: 'Active',
    creditsTitle: 'Credits',
    voucherCode: 'Voucher code',
    redeem: 'Redeem',
    redeemed: 'Voucher redeemed: ₩5,000 has been added to your balance.',
    alreadyRedeemed: 'This voucher has already been redeemed.',
    voucher: 'Voucher',
    signupBonus: 'Signup bonus',
    usage: 'Usage',
    oneRequest: '1 request',
  },
  ko: {
    navKeys: 'API 키',
    navCredits: '크레딧',
    keysTitle: 'API 키',
    name: '이름',
    cap: '월 사용 한도 (₩)',
    expiry: '만료일',
    create: '키 만들기',
    notice: '전체 키는 지금 한 번만 표시됩니다.',
    copied: '복사됨',
    edit: (name: string) => `${name} 키 수정`,
    revoke: (name: string) => `${name} 키 폐기`,
    save: '저장',
    confirmRevoke: '키 폐기',
    capInvalid: '한도는 0보다 큰 금액으로 입력하세요.',
    saved: (name: string) => `“${name}” 키를 수정했습니다.`,
    revoked: '폐기됨',
    active: '사용 중',
    creditsTitle: '크레딧',
    voucherCode: '바우처 코드',
    redeem: '등록하기',
    redeemed: '바우처를 등록했습니다. 잔액이 ₩5,000만큼 늘었습니다.',
    alreadyRedeemed: '이미 사용된 바우처입니다.',
    voucher: '바우처',
    signupBonus: '가입 보너스',
    usage: '사용 요금',
    oneRequest: '요청 1건',
  },
} as const;

const LOCALES = ['ko', 'en'] as const satisfies readonly ConsoleLocale[];
const PASSWORD = 'Correct-Horse-42';

async function callGateway(baseURL: string, apiKey: string) {
  const client = new OpenAI({ apiKey, baseURL, maxRetries: 0 });
  return client.chat.completions.create({
    model: 'gpt-4.1',
    messages: [{ role: 'user', content: 'Say hello.' }],
  });
}

if (requireBrowser('console keys and credits pages')) {
  describe('console keys and credits pages in a real browser', () => {
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

    for (const locale of LOCALES) {
      const words = WORDS[locale];

      test(`${locale}: create a key (shown once), call the gateway with it, edit its cap, revoke it`, async () => {
        const consolePage = await openConsolePage(browser, harness.gateway.url, locale);
        const { page } = consolePage;
        await signUpInBrowser(page, locale, {
          email: `keys-${locale}@example.com`,
          password: PASSWORD,
        });
        await page.getByRole('link', { name: words.navKeys, exact: true }).click();
        await page.getByRole('heading', { level: 1, name: words.keysTitle }).waitFor();
        // The allow-list is drawn from GET /models: its first checkbox means the catalogue loaded.
        await page.getByRole('checkbox', { name: 'gpt-4.1', exact: true }).waitFor();
        await assertEveryFieldLabelled(page);

        const nextYear = new Date().getUTCFullYear() + 1;
        await page.getByLabel(words.name, { exact: true }).fill('laptop');
        await page.getByLabel(words.cap, { exact: true }).fill('5000');
        await page.getByRole('checkbox', { name: 'gpt-4.1', exact: true }).check();
        await page.getByLabel(words.expiry, { exact: true }).fill(`${nextYear}-06-30`);
        await page.getByRole('button', { name: words.create, exact: true }).click();

        // Shown once, in a marked box, with a working copy button.
        const fullKey = await textOf(page, 'new-key');
        assert.match(fullKey, /^sk-shep-[\w-]{20,}$/);
        assert.ok((await page.locator('.shown-once-key').textContent())?.includes(words.notice));
        await page.locator('.shown-once-key').getByRole('button').first().click();
        await page.locator('.shown-once-key').getByText(words.copied, { exact: true }).waitFor();
        const clipboard = await page.evaluate('navigator.clipboard.readText()');
        assert.equal(clipboard, fullKey);

        // The key works with the official SDK.
        const completion = await callGateway(harness.baseUrl, fullKey);
        assert.match(completion.choices[0]?.message.content ?? '', /simulat/i);

        // Listed by prefix and last four, with the limits it was created with.
        const row = page.getByTestId('key-row').filter({ hasText: 'laptop' });
        const masked = (await row.locator('.key-mask').textContent()) ?? '';
        assert.equal(masked, `${fullKey.slice(0, masked.indexOf('…'))}…${fullKey.slice(-4)}`);
        assert.ok(masked.startsWith('sk-shep-') && !masked.includes(fullKey.slice(12, -4)));
        assert.equal(await textOf(page, 'key-cap'), '₩5,000');
        assert.ok((await row.textContent())?.includes(words.active));
        assert.ok((await row.textContent())?.includes('gpt-4.1'));
        await saveScreenshot(page, 'keys', locale);

        // Gone after a reload: the page never had it from anywhere but the creation answer.
        await page.reload();
        await row.waitFor();
        assert.equal(await page.getByTestId('new-key').count(), 0);
        assert.ok(!(await page.content()).includes(fullKey), 'the full key is still on the page');

        // Edit the cap: bad input first, in the user's language, then a valid amount.
        await page.getByRole('button', { name: words.edit('laptop'), exact: true }).click();
        const dialog = page.getByRole('dialog');
        await dialog.waitFor();
        await assertEveryFieldLabelled(page);
        const capField = dialog.getByLabel(words.cap, { exact: true });
        assert.equal(await capField.inputValue(), '5000');
        await capField.fill('lots');
        await dialog.getByRole('button', { name: words.save, exact: true }).click();
        assert.ok((await dialog.getByRole('alert').textContent())?.startsWith(words.capInvalid));
        await saveScreenshot(page, 'keys-edit', locale);
        await capField.fill('12,500');
        await dialog.getByRole('button', { name: words.save, exact: true }).click();
        await page
          .getByRole('status')
          .filter({ hasText: words.saved('laptop') })
          .waitFor();
        assert.equal(await dialog.count(), 0);
        await page.getByTestId('key-cap').filter({ hasText: '₩12,500' }).waitFor();

        // Revoke, confirmed: the key answers 401 at once.
        await page.getByRole('button', { name: words.revoke('laptop'), exact: true }).click();
        await page
          .getByRole('dialog')
          .getByRole('button', { name: words.confirmRevoke, exact: true })
          .click();
        await row.locator('.key-status').filter({ hasText: words.revoked }).waitFor();
        assert.equal(
          await page.getByRole('button', { name: words.revoke('laptop'), exact: true }).count(),
          0,
          'a revoked key offers no actions',
        );
        await assert.rejects(
          callGateway(harness.baseUrl, fullKey),
          (error: unknown) => error instanceof OpenAI.AuthenticationError && error.status === 401,
        );
        assertNoConsoleErrors(consolePage);
        await consolePage.context.close();
      });

      test(`${locale}: redeem a voucher, see the balance rise and the history; a second try is refused`, async () => {
        const consolePage = await openConsolePage(browser, harness.gateway.url, locale);
        const { page } = consolePage;
        await signUpInBrowser(page, locale, {
          email: `credits-${locale}@example.com`,
          password: PASSWORD,
        });
        const batch = await adminPost(harness.gateway.url, '/vouchers/batches', {
          name: `browser-${locale}`,
          amount: '5000',
          count: 1,
        });
        assert.equal(batch.status, 201);
        const code = z.object({ codes: z.tuple([z.string()]) }).parse(batch.body).codes[0];

        await page.getByRole('link', { name: words.navCredits, exact: true }).click();
        await page.getByRole('heading', { level: 1, name: words.creditsTitle }).waitFor();
        await page.getByTestId('credits-available').filter({ hasText: '₩1,000' }).waitFor();
        assert.equal(await textOf(page, 'credits-held'), '₩0');
        await assertEveryFieldLabelled(page);

        await page.getByLabel(words.voucherCode, { exact: true }).fill(code);
        await page.getByRole('button', { name: words.redeem, exact: true }).click();
        assert.equal(await textOf(page, 'voucher-redeemed'), words.redeemed);
        await page.getByTestId('credits-available').filter({ hasText: '₩6,000' }).waitFor();
        await page.getByTestId('header-balance').filter({ hasText: '₩6,000' }).waitFor();
        assertNoConsoleErrors(consolePage);

        const rows = page.getByTestId('history-row');
        const voucherRow = rows.and(page.locator('[data-kind="voucher"]'));
        const bonusRow = rows.and(page.locator('[data-kind="signup_bonus"]'));
        assert.equal(await rows.count(), 2);
        assert.match(
          (await voucherRow.textContent()) ?? '',
          new RegExp(`${words.voucher}.*\\+₩5,000$`),
        );
        assert.match(
          (await bonusRow.textContent()) ?? '',
          new RegExp(`${words.signupBonus}.*\\+₩1,000$`),
        );
        assert.equal(await rows.first().getAttribute('data-kind'), 'voucher', 'newest first');

        // The same code again: refused, in the user's language.
        await page.getByLabel(words.voucherCode, { exact: true }).fill(code);
        await page.getByRole('button', { name: words.redeem, exact: true }).click();
        assert.equal(await page.getByRole('alert').textContent(), words.alreadyRedeemed);
        assert.equal(await page.getByTestId('voucher-redeemed').count(), 0);
        assert.equal(await textOf(page, 'credits-available'), '₩6,000');
        // Chromium logs the refused request (409) itself; nothing else may be logged.
        const unexpected = consolePage.errors.filter((error) => !/status of 409/.test(error));
        assert.deepEqual(unexpected, []);

        // A day of usage joins the history as one negative row.
        await page.getByRole('link', { name: words.navKeys, exact: true }).click();
        await page.getByLabel(words.name, { exact: true }).fill('script');
        await page.getByRole('button', { name: words.create, exact: true }).click();
        await callGateway(harness.baseUrl, await textOf(page, 'new-key'));
        await page.getByRole('link', { name: words.navCredits, exact: true }).click();
        const usageRow = rows.and(page.locator('[data-kind="usage"]'));
        for (let attempt = 0; (await usageRow.count()) === 0 && attempt < 50; attempt += 1) {
          await page.waitForTimeout(100);
          await page.reload();
          await rows.first().waitFor();
        }
        assert.match(
          (await usageRow.textContent()) ?? '',
          new RegExp(`\\(UTC\\)${words.usage}${words.oneRequest}-₩\\d`),
        );
        assert.equal(await rows.count(), 3);
        // The page's balance is fresher than the header's was: the header follows it.
        const spent = await textOf(page, 'credits-available');
        assert.match(spent, /^₩5,999\.\d+$/);
        await page.getByTestId('header-balance').filter({ hasText: spent }).waitFor();
        await saveScreenshot(page, 'credits', locale);
        assert.deepEqual(
          consolePage.errors.filter((error) => !/status of 409/.test(error)),
          [],
        );
        await consolePage.context.close();
      });
    }
  });
}
