import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { Browser, Page } from 'playwright-core';
import * as z from 'zod';
import {
  type ConsoleClient,
  createConsoleClient,
  startConsoleGateway,
} from '../console/console-client.ts';
import type { TestGateway } from '../helpers/start-test-gateway.ts';
import {
  assertEveryFieldLabelled,
  assertNoConsoleErrors,
  launchBrowser,
  openConsolePage,
  requireBrowser,
  saveScreenshot,
} from './console-browser.ts';
import { LIVE_WITHIN_MS, waitUntil } from './page-reading.ts';
import { logInInBrowser, signUpInBrowser } from './sign-up-in-browser.ts';

/** What the pages say, per locale: the tests click and read what a user would. */
const WORDS = {
  ko: {
    model: '모델',
    key: 'API 키',
    month: '조회 월',
    csv: 'CSV 다운로드',
    close: '닫기',
    ok: '성공',
    yes: '예',
    no: '아니요',
    detailTitle: '요청 상세',
    loadMore: '더 보기',
  },
  en: {
    model: 'Model',
    key: 'API key',
    month: 'Month',
    csv: 'Download CSV',
    close: 'Close',
    ok: 'OK',
    yes: 'Yes',
    no: 'No',
    detailTitle: 'Request details',
    loadMore: 'Load more',
  },
} as const;

const PASSWORD = 'Correct-Horse-42';

const createdKeySchema = z.object({
  key: z.string().startsWith('sk-shep-'),
  apiKey: z.object({ id: z.string(), key: z.string() }),
});

/**
 * Logs in through the English form; the account was made in Korean and the console follows the
 * account's language, so switch it the way a user would.
 */
async function logInInEnglish(page: Page, credentials: { email: string; password: string }) {
  await logInInBrowser(page, 'en', credentials);
  await page.locator('.language-select select').selectOption('en');
  await page.getByRole('link', { name: 'Request log' }).waitFor();
}

/** A console client that rides on the browser's session (its cookie), for what the UI cannot do. */
async function apiClientOf(page: Page, origin: string): Promise<ConsoleClient> {
  const session = (await page.context().cookies()).find(
    (cookie) => cookie.name === 'shepherd_console',
  );
  assert.ok(session, 'the browser holds a console session cookie');
  const client = createConsoleClient(origin);
  client.cookie = `${session.name}=${session.value}`;
  const me = await client.send('GET', '/me');
  assert.equal(me.status, 200, me.text);
  return client;
}

async function createKey(client: ConsoleClient, name: string) {
  const response = await client.send('POST', '/keys', { body: { name } });
  assert.equal(response.status, 201, response.text);
  return createdKeySchema.parse(response.body);
}

/** A streamed chat with `include_usage`, read to the end; returns the usage chunk's totals. */
async function streamChat(client: OpenAI, model: string) {
  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'Tell me about sheep. [simulate tokens=24]' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) usage = chunk.usage ?? usage;
  assert.ok(usage !== undefined && usage.completion_tokens > 0, `usage of ${model}`);
  return usage;
}

function logRows(page: Page) {
  return page.getByTestId('request-log').locator('tbody tr');
}

/** Waits (at most `timeoutMs`) until the log table shows exactly `count` rows. */
async function waitForLogRows(page: Page, count: number, timeoutMs = LIVE_WITHIN_MS) {
  await waitUntil(
    () => logRows(page).count(),
    (rows) => rows === count,
    `${count} rows in the log`,
    timeoutMs,
  );
}

async function cellTexts(page: Page, column: string): Promise<string[]> {
  return logRows(page)
    .locator(`[data-column="${column}"]`)
    .evaluateAll((cells) => cells.map((cell) => (cell.textContent ?? '').trim()));
}

/** A formatted amount such as "₩0.3360" is above zero when some digit other than 0 appears. */
function isNonZeroAmount(text: string): boolean {
  return /₩/.test(text) && /[1-9]/.test(text);
}

async function usageRequests(page: Page, model: string): Promise<string> {
  const cell = page
    .getByTestId('usage-models')
    .locator(`tr[data-model="${model}"] [data-column="requests"]`);
  return ((await cell.textContent()) ?? '').trim();
}

function previousUtcMonth(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
    .toISOString()
    .slice(0, 7);
}

if (requireBrowser('usage and request log pages')) {
  describe('usage and request log pages in a real browser', () => {
    let harness: TestGateway;
    let browser: Browser;
    let origin: string;
    const user = { email: 'usage-pages@example.com', password: PASSWORD };

    before(async () => {
      harness = await startConsoleGateway((config) => {
        // deepseek-v3.2's only upstream always fails (below), so it is served by its fallback.
        const deepseek = config.models.find((model) => model.id === 'deepseek-v3.2');
        assert.ok(deepseek);
        deepseek.fallbacks = ['gemini-2.5-flash'];
        config.routing.retry = { ...config.routing.retry, backoffBaseMs: 1, backoffMaxMs: 5 };
      });
      harness.simulator.faults.add({ model: 'deepseek-chat', status: 500 });
      origin = harness.gateway.url;
      browser = await launchBrowser();
    });
    after(async () => {
      await browser?.close();
      await harness?.close();
    });

    test('ko: streamed requests show in the log within 5 s, with details, filters and usage', async () => {
      const words = WORDS.ko;
      const consolePage = await openConsolePage(browser, origin, 'ko');
      const { page } = consolePage;
      await signUpInBrowser(page, 'ko', user);
      const api = await apiClientOf(page, origin);
      const laptop = await createKey(api, 'laptop');
      const server = await createKey(api, 'server');

      // Before any request: a friendly empty log, and an empty month on the usage page.
      await page.goto('/console/requests');
      await page.getByTestId('requests-empty').waitFor();
      await assertEveryFieldLabelled(page);
      await page.goto('/console/usage');
      await page.getByTestId('usage-empty').waitFor();
      assert.equal(await page.getByTestId('usage-models').count(), 0, 'no empty table');

      // Requests arrive while the log is open; its live first page must show them within 5 s.
      await page.goto('/console/requests');
      await page.getByTestId('requests-empty').waitFor();
      const viaLaptop = new OpenAI({ apiKey: laptop.key, baseURL: harness.baseUrl, maxRetries: 0 });
      const viaServer = new OpenAI({ apiKey: server.key, baseURL: harness.baseUrl, maxRetries: 0 });
      await streamChat(viaLaptop, 'gpt-4.1');
      await streamChat(viaLaptop, 'gpt-4.1');
      await streamChat(viaLaptop, 'gemini-2.5-flash');
      await streamChat(viaServer, 'deepseek-v3.2');
      await waitForLogRows(page, 4);
      const balanceBefore = '₩1,000';
      await waitUntil(
        async () => ((await page.getByTestId('header-balance').textContent()) ?? '').trim(),
        (text) => text !== '' && !text.includes(balanceBefore),
        'the header balance to drop once the log shows new requests',
      );

      // The requested model, and the one that served it when that differs.
      assert.deepEqual(await cellTexts(page, 'model'), [
        'deepseek-v3.2→ 응답 모델 gemini-2.5-flash',
        'gemini-2.5-flash',
        'gpt-4.1',
        'gpt-4.1',
      ]);
      assert.deepEqual(await cellTexts(page, 'fallback'), [
        words.yes,
        words.no,
        words.no,
        words.no,
      ]);
      assert.deepEqual(await cellTexts(page, 'status'), Array(4).fill(words.ok));
      for (const cost of await cellTexts(page, 'cost')) {
        assert.ok(isNonZeroAmount(cost), `a cost above zero, got "${cost}"`);
      }

      // The fallback row's detail: the failed first model, then the fallback that answered.
      await logRows(page).first().click();
      const dialog = page.getByRole('dialog', { name: words.detailTitle });
      await dialog.waitFor();
      await page.getByTestId('fallback-summary').waitFor();
      const attempts = page.getByTestId('attempt-chain').locator('tbody tr');
      const outcomes = await attempts.evaluateAll((rows) =>
        rows.map((row) => row.getAttribute('data-outcome')),
      );
      assert.ok(outcomes.length >= 2, `a chain of several attempts, got ${outcomes.length}`);
      assert.deepEqual(outcomes.at(-1), 'ok');
      assert.ok(outcomes.slice(0, -1).every((outcome) => outcome === 'error'));
      assert.match((await attempts.first().textContent()) ?? '', /deepseek-v3\.2.*deepseek-chat/);
      assert.match((await attempts.last().textContent()) ?? '', /gemini-2\.5-flash.*폴백/);
      assert.match((await dialog.textContent()) ?? '', /server \(sk-shep-/);
      await saveScreenshot(page, 'request-detail', 'ko');
      await dialog.getByRole('button', { name: words.close }).click();
      await dialog.waitFor({ state: 'hidden' });

      // Filters narrow the list (and live updates pause while one is set).
      await page.getByLabel(words.model, { exact: true }).selectOption('gpt-4.1');
      await waitForLogRows(page, 2);
      assert.deepEqual(await cellTexts(page, 'model'), ['gpt-4.1', 'gpt-4.1']);
      assert.match(page.url(), /\?model=gpt-4\.1$/);
      await page.getByLabel(words.model, { exact: true }).selectOption('');
      await page.getByLabel(words.key, { exact: true }).selectOption(server.apiKey.id);
      await waitForLogRows(page, 1);
      assert.match((await cellTexts(page, 'model')).join(), /^deepseek-v3\.2→ 응답 모델 gemini/);
      await page.getByLabel(words.key, { exact: true }).selectOption('');
      await waitForLogRows(page, 4);
      await assertEveryFieldLabelled(page);
      await saveScreenshot(page, 'requests', 'ko');

      // Usage: per-model rows counted by the model that served, a chart, live spend, CSV.
      await page.goto('/console/usage');
      await page.getByTestId('usage-models').waitFor();
      assert.equal(await usageRequests(page, 'gpt-4.1'), '2');
      assert.equal(await usageRequests(page, 'gemini-2.5-flash'), '2');
      assert.equal(await usageRequests(page, 'total'), '4');
      const canvas = page.locator('.uplot-chart canvas').first();
      await canvas.waitFor();
      const box = await canvas.boundingBox();
      assert.ok(box !== null && box.width > 200 && box.height > 100, 'the chart is drawn');

      const spent = page.getByTestId('spent-today');
      await spent.waitFor();
      const spentBefore = ((await spent.textContent()) ?? '').trim();
      assert.ok(isNonZeroAmount(spentBefore), `spent today above zero, got "${spentBefore}"`);
      await streamChat(viaLaptop, 'gpt-4.1');
      await waitUntil(
        async () => ((await spent.textContent()) ?? '').trim(),
        (text) => text !== spentBefore,
        'spent today to move after a request',
      );

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: words.csv }).click(),
      ]);
      const month = new Date().toISOString().slice(0, 7);
      assert.equal(download.suggestedFilename(), `usage-${month}.csv`);
      const csv = await readFile(await download.path(), 'utf8');
      assert.match(csv, /^section,key,currency,requests,/);
      assert.match(csv, /\r\nmodel,gpt-4\.1,KRW,3,/);
      assert.match(csv, /\r\nmodel,gemini-2\.5-flash,KRW,2,/);

      // Another month: its address, and a friendly empty state rather than an empty table.
      await page.getByLabel(words.month, { exact: true }).fill(previousUtcMonth());
      await page.getByTestId('usage-empty').waitFor();
      assert.match(page.url(), new RegExp(`\\?month=${previousUtcMonth()}$`));
      await page.goto(`/console/usage?month=${month}`);
      await page.getByTestId('usage-models').waitFor();
      assert.equal(await usageRequests(page, 'gpt-4.1'), '3');
      await canvas.waitFor();
      await assertEveryFieldLabelled(page);
      await saveScreenshot(page, 'usage', 'ko');
      assertNoConsoleErrors(consolePage);
      await consolePage.context.close();
    });

    test('en: the same account reads its log, the attempt chain and its usage in English', async () => {
      const words = WORDS.en;
      const consolePage = await openConsolePage(browser, origin, 'en');
      const { page } = consolePage;
      await logInInEnglish(page, user);
      await page.goto('/console/requests');
      await waitForLogRows(page, 5);
      assert.deepEqual(await cellTexts(page, 'status'), Array(5).fill(words.ok));
      await logRows(page).nth(1).locator('button').click();
      const dialog = page.getByRole('dialog', { name: words.detailTitle });
      await dialog.waitFor();
      await page.getByTestId('fallback-summary').waitFor();
      assert.match(
        (await page.getByTestId('fallback-summary').textContent()) ?? '',
        /deepseek-v3\.2 could not answer, so the fallback model gemini-2\.5-flash served/,
      );
      await saveScreenshot(page, 'request-detail', 'en');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });

      // The model filter matches the model that served as well as the one asked for.
      await page.getByLabel(words.model, { exact: true }).selectOption('gemini-2.5-flash');
      await waitForLogRows(page, 2);
      assert.deepEqual(await cellTexts(page, 'model'), [
        'deepseek-v3.2→ served by gemini-2.5-flash',
        'gemini-2.5-flash',
      ]);
      await page.getByLabel(words.model, { exact: true }).selectOption('');
      await waitForLogRows(page, 5);
      await assertEveryFieldLabelled(page);
      await saveScreenshot(page, 'requests', 'en');

      await page.goto('/console/usage');
      await page.getByTestId('usage-models').waitFor();
      assert.equal(await usageRequests(page, 'gpt-4.1'), '3');
      assert.equal(await usageRequests(page, 'gemini-2.5-flash'), '2');
      assert.equal(await usageRequests(page, 'total'), '5');
      await page.locator('.uplot-chart canvas').first().waitFor();
      assert.match((await page.locator('.uplot-chart').textContent()) ?? '', /Day \(UTC\)/);
      await assertEveryFieldLabelled(page);
      await saveScreenshot(page, 'usage', 'en');
      assertNoConsoleErrors(consolePage);
      await consolePage.context.close();
    });

    test('load more pages through the log with the cursor', async () => {
      const api = createConsoleClient(origin);
      const pager = { email: 'pager@example.com', password: PASSWORD };
      await api.signup(pager.email, pager.password);
      const key = await createKey(api, 'batch');
      const client = new OpenAI({ apiKey: key.key, baseURL: harness.baseUrl, maxRetries: 0 });
      const total = 53;
      for (let sent = 0; sent < total; sent += 10) {
        const batch = Array.from({ length: Math.min(10, total - sent) }, () =>
          client.chat.completions.create({
            model: 'gemini-2.5-flash',
            messages: [{ role: 'user', content: 'hi [simulate tokens=3]' }],
          }),
        );
        await Promise.all(batch);
      }

      const consolePage = await openConsolePage(browser, origin, 'en');
      const { page } = consolePage;
      await logInInEnglish(page, pager);
      await page.goto('/console/requests');
      await waitForLogRows(page, 50);
      await page.getByRole('button', { name: WORDS.en.loadMore }).click();
      await waitForLogRows(page, total);
      assert.equal(await page.getByRole('button', { name: WORDS.en.loadMore }).count(), 0);
      const ids = await logRows(page).evaluateAll((rows) =>
        rows.map((row) => row.getAttribute('data-request-id')),
      );
      assert.equal(new Set(ids).size, total, 'no request twice');
      assert.match((await page.getByTestId('log-live').textContent()) ?? '', /paused/);
      assertNoConsoleErrors(consolePage);
      await consolePage.context.close();
    });
  });
}
