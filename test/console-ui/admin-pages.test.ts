import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import type { Browser, Locator, Page } from 'playwright-core';
import * as z from 'zod';
import {
  ADMIN_TOKEN,
  adminPost,
  type ConsoleClient,
  createConsoleClient,
  expectBody,
  expectError,
  startConsoleGateway,
} from '../console/console-client.ts';
import type { TestGateway } from '../helpers/start-test-gateway.ts';
import {
  assertEveryFieldLabelled,
  assertNoConsoleErrors,
  type ConsolePage,
  launchBrowser,
  openConsolePage,
  requireBrowser,
  saveScreenshot,
} from './console-browser.ts';
import { logInInBrowser, signUpInBrowser } from './sign-up-in-browser.ts';

const ADMIN = { email: 'ops-lead@example.com', password: 'Quiet-Harbor-2031' };
const CUSTOMER = { email: 'customer@example.com', password: 'Amber-Lantern-2031' };
const BUILDER = { email: 'builder@example.com', password: 'Copper-Meadow-2031' };
const CODE = /^SHEP-[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/;

const accountIdSchema = z.object({ user: z.object({ accountId: z.string() }) });
const upstreamIdsSchema = z.object({
  data: z.array(z.object({ id: z.string(), state: z.string() })),
});

/** Clicks what starts a download and returns the file's text. */
async function downloadText(page: Page, trigger: Locator): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  return {
    name: download.suggestedFilename(),
    text: await readFile(await download.path(), 'utf8'),
  };
}

/** What the console's own polling would see: asks until `ready` holds (≤ 5 s). */
async function poll<T>(read: () => Promise<T>, ready: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const value = await read();
    if (ready(value) || attempt === 100) return value;
    await sleep(50);
  }
}

/** A chat completion with the official SDK, as a customer's code would send it. */
async function chat(client: OpenAI): Promise<void> {
  const completion = await client.chat.completions.create({
    model: 'gpt-4.1',
    messages: [{ role: 'user', content: 'Say hello.' }],
  });
  assert.match(completion.choices[0]?.message.content ?? '', /simulat/i);
}

/**
 * Chromium logs every 4xx answer in the console by design, even one the page handles: takes the
 * one expected 402 (a debit beyond the balance, which the server alone can judge) off the list, so everything else still has to be clean.
 */
function acceptInsufficientBalanceRefusal(consolePage: ConsolePage): void {
  assert.deepEqual(consolePage.errors, [
    'console: Failed to load resource: the server responded with a status of 402 (Payment Required)',
  ]);
  consolePage.errors.length = 0;
}

async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

if (requireBrowser('console admin pages')) {
  describe('console admin pages in a real browser', () => {
    let harness: TestGateway;
    let origin: string;
    let browser: Browser;
    let customer: ConsoleClient;
    let customerAccountId: string;
    let builder: OpenAI;
    let builderAccountId: string;
    let builderConsole: ConsoleClient;
    /** The Korean admin's browser, shared by the first two tests. */
    let adminKo: ConsolePage;

    before(async () => {
      harness = await startConsoleGateway();
      origin = harness.gateway.url;
      browser = await launchBrowser();
      customer = createConsoleClient(origin);
      customerAccountId = accountIdSchema.parse(
        (await customer.signup(CUSTOMER.email, CUSTOMER.password)).body,
      ).user.accountId;
      builderConsole = createConsoleClient(origin);
      builderAccountId = accountIdSchema.parse(
        (await builderConsole.signup(BUILDER.email, BUILDER.password)).body,
      ).user.accountId;
      const key = z
        .object({ key: z.string() })
        .parse((await builderConsole.send('POST', '/keys', { body: { name: 'sdk' } })).body).key;
      builder = new OpenAI({ apiKey: key, baseURL: harness.baseUrl, maxRetries: 0 });
      await chat(builder);
      await chat(builder);
    });
    after(async () => {
      await adminKo?.context.close();
      await browser?.close();
      await harness?.close();
    });

    test('ko: promoted admin generates vouchers, follows a redemption, adjusts and disables an account', async () => {
      adminKo = await openConsolePage(browser, origin, 'ko');
      const { page } = adminKo;
      const nav = page.getByRole('navigation');
      await signUpInBrowser(page, 'ko', ADMIN);
      assert.equal(await nav.getByRole('link', { name: '바우처', exact: true }).count(), 0);
      const promoted = await adminPost(origin, '/console-users/promote', { email: ADMIN.email });
      assert.equal(promoted.status, 200);
      await page.reload();
      await nav.getByRole('heading', { name: '관리' }).waitFor();

      // Vouchers: bad input is refused in Korean before anything is sent.
      await nav.getByRole('link', { name: '바우처', exact: true }).click();
      await page.getByRole('heading', { name: '바우처', level: 1 }).waitFor();
      await page.getByLabel('묶음 이름').fill('봄 밋업');
      await page.getByLabel('코드 개수').fill('3');
      await page.getByRole('button', { name: '코드 생성' }).click();
      assert.equal(await textOf(page.getByRole('alert')), '바우처 한 장의 금액을 입력하세요.');
      await assertEveryFieldLabelled(page);

      await page.getByLabel('바우처당 금액(₩)').fill('3,000');
      await page.getByRole('button', { name: '코드 생성' }).click();
      const codeList = page.getByTestId('generated-codes');
      await codeList.waitFor();
      const codes = await codeList.locator('li').allTextContents();
      assert.equal(codes.length, 3);
      for (const code of codes) assert.match(code, CODE);
      await page.getByText('이 페이지를 벗어나면 다시 볼 수 없습니다', { exact: false }).waitFor();
      const exported = await downloadText(page, page.getByRole('button', { name: 'CSV 내려받기' }));
      const exportedLines = exported.text.trim().split('\r\n');
      assert.equal(exportedLines[0], 'code,amount,currency,batch_id,batch_name,expires_at');
      assert.deepEqual(
        exportedLines.slice(1).map((line) => line.split(',').slice(0, 3).join(',')),
        codes.map((code) => `${code},3000,KRW`),
      );
      const batchRow = page.getByTestId('voucher-batches').locator('tbody tr');
      await batchRow.filter({ hasText: '3개 중 0개' }).waitFor();
      await saveScreenshot(page, 'admin-vouchers', 'ko');

      // The customer redeems one; the batch detail shows it, and so does its CSV.
      expectBody(
        await customer.send('POST', '/vouchers/redeem', { body: { code: codes[0] } }),
        200,
        z.object({ amount: z.literal('3000') }),
      );
      await page.getByRole('button', { name: '코드를 저장했습니다' }).click();
      assert.equal(await codeList.count(), 0, 'the codes are gone once dismissed');
      await page.getByRole('link', { name: '봄 밋업' }).click();
      await page.getByTestId('batch-summary').filter({ hasText: '3개 중 1개 사용됨' }).waitFor();
      const redeemed = page.locator('[data-testid="batch-vouchers"] tr[data-state="redeemed"]');
      assert.equal(await redeemed.count(), 1);
      assert.match(await textOf(redeemed), new RegExp(`사용됨.*${customerAccountId}`));
      assert.match(await textOf(redeemed), new RegExp(`…${(codes[0] ?? '').slice(-4)}`));
      const redemptions = await downloadText(
        page,
        page.getByRole('button', { name: '사용 내역 내려받기 (CSV)' }),
      );
      const redemptionLines = redemptions.text.trim().split('\r\n');
      assert.equal(redemptionLines.length, 4);
      assert.equal(
        redemptionLines.filter((line) => line.includes(`,redeemed,`)).length,
        1,
        redemptions.text,
      );
      assert.ok(redemptionLines.some((line) => line.endsWith(`,${customerAccountId}`)));
      for (const code of codes) assert.ok(!redemptions.text.includes(code), 'no code leaves again');
      await saveScreenshot(page, 'admin-voucher-batch', 'ko');

      // Accounts: search by email, +5000 with a reason, then a debit beyond the balance.
      await nav.getByRole('link', { name: '계정', exact: true }).click();
      await page.getByLabel('계정 이름 또는 이메일로 검색').fill('CUSTOMER@');
      await page
        .getByTestId('accounts-shown')
        .filter({ hasText: '전체 1개 계정 중 1개' })
        .waitFor();
      const row = page.locator(`tr[data-account-id="${customerAccountId}"]`);
      assert.match(await textOf(row), /customer@example\.com/);
      assert.equal(await textOf(row.getByTestId('account-available')), '₩4,000');
      await row.getByRole('button', { name: '크레딧 조정' }).click();
      await page.getByLabel('금액(₩)').fill('5000');
      await page.getByLabel('사유').fill('장애 보상');
      await assertEveryFieldLabelled(page);
      await page.getByRole('button', { name: '조정 적용' }).click();
      assert.equal(
        await textOf(page.getByTestId('adjustment-result')),
        '₩5,000 조정했습니다. 새 사용 가능 잔액: ₩9,000',
      );
      await row.getByTestId('account-available').filter({ hasText: '₩9,000' }).waitFor();
      const me = z.object({
        user: z.object({ balance: z.object({ availableMicros: z.string() }) }),
      });
      assert.equal(
        expectBody(await customer.send('GET', '/me'), 200, me).user.balance.availableMicros,
        '9000000000',
      );
      await saveScreenshot(page, 'admin-accounts', 'ko');

      await page.getByLabel('금액(₩)').fill('-100000');
      await page.getByLabel('사유').fill('잘못 지급된 크레딧 회수');
      await page.getByRole('button', { name: '조정 적용' }).click();
      assert.equal(
        await textOf(page.getByRole('alert')),
        '차감 금액이 이 계정의 사용 가능 잔액(₩9,000)보다 큽니다. 더 작은 금액을 입력하세요.',
      );
      acceptInsufficientBalanceRefusal(adminKo);
      await page.getByLabel('금액(₩)').fill('0');
      await page.getByRole('button', { name: '조정 적용' }).click();
      // The refusal above is replaced, not stacked: one alert, the new sentence.
      await page.getByRole('alert').filter({ hasText: '0일 수 없습니다' }).waitFor();
      assert.equal(await textOf(page.getByRole('alert')), '금액은 0일 수 없습니다.');

      // Disable (after a confirmation): the customer's session is refused at once; enable again.
      const status = row.locator('td').nth(1);
      await row.getByRole('button', { name: '비활성화' }).click();
      const dialog = page.getByRole('dialog', { name: /비활성화할까요/ });
      await dialog.getByRole('button', { name: '계정 비활성화' }).click();
      await status.getByText('비활성', { exact: true }).waitFor();
      expectError(await customer.send('GET', '/me'), 403, 'console_user_disabled');
      expectError(await customer.send('GET', '/credits'), 403, 'console_user_disabled');
      await row.getByRole('button', { name: '활성화', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: '계정 활성화' }).click();
      await status.getByText('활성', { exact: true }).waitFor();
      expectBody(await customer.send('GET', '/me'), 200, me);
      assertNoConsoleErrors(adminKo);
    });

    test('ko: upstreams show the simulator deployments closed and refresh; global usage after SDK requests', async () => {
      const { page } = adminKo;
      const nav = page.getByRole('navigation');
      const listed = await fetch(`${origin}/admin/api/upstreams`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      const deployments = upstreamIdsSchema.parse(await listed.json()).data;
      assert.ok(deployments.length >= 2);

      await nav.getByRole('link', { name: '업스트림', exact: true }).click();
      const rows = page.getByTestId('upstreams').locator('tbody tr');
      await rows.first().waitFor();
      assert.deepEqual(
        (
          await rows.evaluateAll((found) =>
            found.map((row) => row.getAttribute('data-deployment-id')),
          )
        ).sort(),
        deployments.map((deployment) => deployment.id).sort(),
      );
      assert.equal(await rows.locator('[data-state="closed"]').count(), deployments.length);
      assert.equal(await page.locator('tbody [data-state]:not([data-state="closed"])').count(), 0);
      assert.deepEqual(
        [...new Set(await rows.locator('.admin-badge').allTextContents())],
        ['닫힘'],
      );
      const gpt = page.locator('tr[data-deployment-id="openai/gpt-4.1"]');
      assert.match(await textOf(gpt), /2회 중 0%/);
      await saveScreenshot(page, 'admin-upstreams', 'ko');

      // A new request shows up without a reload: the page polls every 5 s.
      await chat(builder);
      await gpt.filter({ hasText: '3회 중 0%' }).waitFor({ timeout: 8000 });

      const usageSchema = z.object({ models: z.array(z.object({ requests: z.number() })) });
      await poll(
        async () => expectBody(await builderConsole.send('GET', '/usage'), 200, usageSchema),
        (usage) => usage.models[0]?.requests === 3,
      );
      await nav.getByRole('link', { name: '전체 사용량', exact: true }).click();
      await page.getByLabel('월 (UTC)').waitFor();
      const model = page.locator('[data-testid="usage-by-model"] tr[data-model="gpt-4.1"]');
      await model.waitFor();
      assert.equal(await textOf(model.locator('td').first()), '3');
      assert.match(await textOf(model), /100%$/);
      assert.equal(await textOf(page.getByTestId('usage-total-requests')), '3');
      const top = page.locator(
        `[data-testid="top-accounts"] tr[data-account-id="${builderAccountId}"]`,
      );
      assert.match(await textOf(top), /console:builder@example\.com/);
      await page.getByText('원장과 일치합니다', { exact: false }).waitFor();
      await assertEveryFieldLabelled(page);
      await saveScreenshot(page, 'admin-usage', 'ko');

      // An earlier month without traffic says so instead of showing empty tables.
      await page.getByLabel('월 (UTC)').fill('2024-01');
      await page.getByText('2024-01에는 요청이 없습니다.').waitFor();
      assertNoConsoleErrors(adminKo);
    });

    test('en: the four admin pages in English', async () => {
      const consolePage = await openConsolePage(browser, origin, 'en');
      const { page } = consolePage;
      const nav = page.getByRole('navigation');
      await logInInBrowser(page, 'en', ADMIN);
      // The admin signed up in Korean and the console opens in the account's language: switch.
      await page.locator('.language-select select').selectOption('en');

      await nav.getByRole('link', { name: 'Accounts', exact: true }).click();
      const row = page.locator(`tr[data-account-id="${customerAccountId}"]`);
      await row.waitFor();
      await page
        .getByTestId('accounts-shown')
        .filter({ hasText: 'Showing 4 of 4 accounts' })
        .waitFor();
      await row.getByRole('button', { name: 'Adjust credits' }).click();
      await page.getByLabel('Amount (₩)').fill('-9000.01');
      await page.getByLabel('Reason', { exact: true }).fill('Chargeback');
      await page.getByRole('button', { name: 'Apply adjustment' }).click();
      assert.equal(
        await textOf(page.getByRole('alert')),
        'This debit is larger than what the account has available (₩9,000). Enter a smaller amount.',
      );
      acceptInsufficientBalanceRefusal(consolePage);
      await assertEveryFieldLabelled(page);
      await saveScreenshot(page, 'admin-accounts', 'en');

      await nav.getByRole('link', { name: 'Vouchers', exact: true }).click();
      await page.getByLabel('Batch name').fill('Launch week');
      await page.getByLabel('Amount per voucher (₩)').fill('10000');
      await page.getByLabel('Number of codes').fill('2');
      await page.getByRole('button', { name: 'Generate codes' }).click();
      await page.getByTestId('generated-codes').waitFor();
      assert.equal(await page.getByTestId('generated-codes').locator('li').count(), 2);
      await page.getByText('cannot be shown again', { exact: false }).waitFor();
      await page.getByTestId('voucher-batches').getByText('1 of 3').waitFor();
      await assertEveryFieldLabelled(page);
      await saveScreenshot(page, 'admin-vouchers', 'en');

      await nav.getByRole('link', { name: 'Upstreams', exact: true }).click();
      await page.getByTestId('upstreams').waitFor();
      assert.deepEqual(
        [
          ...new Set(
            await page.getByTestId('upstreams').locator('tbody .admin-badge').allTextContents(),
          ),
        ],
        ['Closed'],
      );
      await saveScreenshot(page, 'admin-upstreams', 'en');

      await nav.getByRole('link', { name: 'Global usage', exact: true }).click();
      await page.locator('[data-testid="usage-by-model"] tr[data-model="gpt-4.1"]').waitFor();
      await page.getByRole('heading', { name: 'Top 10 accounts by cost' }).waitFor();
      await assertEveryFieldLabelled(page);
      await saveScreenshot(page, 'admin-usage', 'en');
      assertNoConsoleErrors(consolePage);
      await consolePage.context.close();
    });

    test('a normal user at /console/admin/accounts sees the not-found page and no admin data', async () => {
      const consolePage = await openConsolePage(browser, origin, 'ko');
      const { page } = consolePage;
      const adminCalls: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/console/api/admin')) adminCalls.push(request.url());
      });
      await logInInBrowser(page, 'ko', CUSTOMER);
      await page.goto('/console/admin/accounts');
      await page.getByRole('heading', { name: '페이지를 찾을 수 없습니다' }).waitFor();
      assert.equal(
        await page.getByRole('navigation').getByRole('heading', { name: '관리' }).count(),
        0,
      );
      const body = await textOf(page.locator('body'));
      assert.ok(!body.includes(ADMIN.email) && !body.includes(BUILDER.email), body);
      assert.deepEqual(adminCalls, []);
      assertNoConsoleErrors(consolePage);
      await consolePage.context.close();
    });
  });
}
