import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import * as z from 'zod';
import { API_KEY_PLACEHOLDER } from '../../web/src/pages/build-quick-start-snippets.ts';
import { createConsoleClient, expectBody, startConsoleGateway } from '../console/console-client.ts';
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
import { signUpInBrowser } from './sign-up-in-browser.ts';

const runFile = promisify(execFile);
/** The repository root: where `import OpenAI from 'openai'` resolves for a pasted Node snippet. */
const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));
const SNIPPET_IDS = [
  'python-plain',
  'python-stream',
  'node-plain',
  'node-stream',
  'curl-plain',
  'curl-stream',
] as const;
const PASSWORD = 'Correct-Horse-42';

/** What a user reads on the two pages, per locale (the page's messages files hold the same). */
const WORDS = {
  en: {
    outputMillions: 'Output tokens per month (millions)',
    inputRatio: 'Input tokens per output token',
    notANumber: 'Enter a number such as 10 or 2.5 (at most 6 decimals).',
    tryIt: 'Try it',
    model: 'Model',
    keysLink: 'Create a key on the API keys page',
    copyCurl: 'Copy: curl, One answer',
  },
  ko: {
    outputMillions: '월 출력 토큰 수(백만)',
    inputRatio: '출력 토큰당 입력 토큰 수',
    notANumber: '10이나 2.5처럼 숫자를 입력하세요(소수점 아래 6자리까지).',
    tryIt: '사용해 보기',
    model: '모델',
    keysLink: 'API 키 페이지에서 키를 만드세요',
    copyCurl: '복사: curl, 한 번에 응답 받기',
  },
} as const;

const completionSchema = z.object({
  object: z.literal('chat.completion'),
  model: z.string(),
  choices: z.array(z.object({ message: z.object({ content: z.string().min(1) }) })).length(1),
  usage: z.object({ completion_tokens: z.number().int().positive(), currency: z.literal('KRW') }),
});
const createdKeySchema = z.object({ key: z.string().startsWith('sk-shep-') });

/** Runs `command` with `input` on stdin (as a pasted script), without blocking the gateway. */
function runWithInput(
  command: string,
  args: readonly string[],
  input: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPOSITORY, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function snippetText(page: Page, id: (typeof SNIPPET_IDS)[number]): Promise<string> {
  return (await page.getByTestId(`snippet-${id}`).textContent()) ?? '';
}

async function monthlyCostOf(page: Page, model: string): Promise<string> {
  return (
    (await page.getByTestId(`cost-row-${model}`).getByTestId('monthly-cost').textContent()) ?? ''
  );
}

if (requireBrowser('models and quick start pages')) {
  describe('models and quick start pages in a real browser', () => {
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
      test(`${locale}: the catalogue with won prices, and a comparison that follows N`, async () => {
        const words = WORDS[locale];
        const consolePage = await openConsolePage(browser, harness.gateway.url, locale);
        const { page } = consolePage;
        await signUpInBrowser(page, locale, {
          email: `models-${locale}@example.com`,
          password: PASSWORD,
        });
        await page.goto('/console/models');

        // gpt-4.1 lists $2 / $0.50 / $8 per 1M tokens; at ₩1,400 per dollar that is ₩11,200 output.
        const row = page.getByTestId('model-row-gpt-4.1');
        await row.waitFor();
        // Intl writes the dollar as US$ in Korean.
        const dollar = locale === 'ko' ? 'US$' : '$';
        assert.equal(await row.getByTestId('price-output').textContent(), `₩11,200${dollar}8.00`);
        assert.equal(await row.getByTestId('price-cachedInput').textContent(), `₩700${dollar}0.50`);
        assert.match((await row.textContent()) ?? '', /gpt-4\.1-2025-04-14/);
        assert.match((await page.getByTestId('exchange-rate').textContent()) ?? '', /₩1,400/);
        for (const id of ['claude-sonnet-4-5', 'gemini-2.5-flash', 'deepseek-v3.2']) {
          await page.getByTestId(`model-row-${id}`).waitFor();
        }

        // Default N = 10: 10 × $8 × 1,400 = ₩112,000; N = 25 gives 2.5 times that.
        const volume = page.getByLabel(words.outputMillions, { exact: true });
        assert.equal(await volume.inputValue(), '10');
        assert.equal(await monthlyCostOf(page, 'gpt-4.1'), '₩112,000');
        assert.equal(await monthlyCostOf(page, 'claude-sonnet-4-5'), '₩210,000');
        await volume.fill('25');
        assert.equal(await monthlyCostOf(page, 'gpt-4.1'), '₩280,000');
        assert.equal(await monthlyCostOf(page, 'claude-sonnet-4-5'), '₩525,000');
        // Cheapest first.
        const order = await page
          .locator('[data-testid^="cost-row-"]')
          .evaluateAll((rows) => rows.map((element) => element.getAttribute('data-testid')));
        assert.deepEqual(order.slice(0, 2), [
          'cost-row-deepseek-v3.2',
          'cost-row-deepseek-v3.2-reasoner',
        ]);
        assert.equal(order.at(-1)?.startsWith('cost-row-claude-sonnet-4'), true);

        // Input per output token adds the input price: 25 × (8 + 3 × 2) × 1,400 = ₩490,000.
        await page.getByLabel(words.inputRatio, { exact: true }).fill('3');
        assert.equal(await monthlyCostOf(page, 'gpt-4.1'), '₩490,000');
        await page.getByLabel(words.inputRatio, { exact: true }).fill('0');

        // Bad input: a sentence in the user's language instead of numbers.
        await volume.fill('-5');
        assert.equal(await page.getByRole('alert').textContent(), words.notANumber);
        assert.equal(await page.getByTestId('cost-row-gpt-4.1').count(), 0);
        await volume.fill('10');
        assert.equal(await monthlyCostOf(page, 'gpt-4.1'), '₩112,000');

        await assertEveryFieldLabelled(page);
        await saveScreenshot(page, 'models', locale);

        // "Try it" opens the quick start with that model chosen.
        await page
          .getByTestId('model-row-gemini-2.5-flash')
          .getByRole('link', { name: words.tryIt })
          .click();
        const select = page.getByLabel(words.model, { exact: true });
        await select.waitFor();
        assert.equal(await select.inputValue(), 'gemini-2.5-flash');
        assert.match(await snippetText(page, 'curl-plain'), /"gemini-2\.5-flash"/);
        assertNoConsoleErrors(consolePage);
        await consolePage.context.close();
      });

      test(`${locale}: quick start snippets carry this origin's /v1 and the chosen model`, async () => {
        const words = WORDS[locale];
        const consolePage = await openConsolePage(browser, harness.gateway.url, locale);
        const { page } = consolePage;
        await signUpInBrowser(page, locale, {
          email: `quick-${locale}@example.com`,
          password: PASSWORD,
        });
        await page.goto('/console/quickstart');

        const baseUrl = `${harness.gateway.url}/v1`;
        await page.getByTestId('base-url').waitFor();
        assert.equal(await page.getByTestId('base-url').textContent(), baseUrl);
        const select = page.getByLabel(words.model, { exact: true });
        await select.selectOption('deepseek-v3.2');
        for (const id of SNIPPET_IDS) {
          const code = await snippetText(page, id);
          assert.ok(code.includes(baseUrl), `${id} has the base URL`);
          assert.ok(code.includes('"deepseek-v3.2"'), `${id} has the chosen model`);
          assert.ok(code.includes(API_KEY_PLACEHOLDER), `${id} has the key placeholder`);
        }
        assert.equal(
          await page.getByRole('link', { name: words.keysLink }).getAttribute('href'),
          '/console/keys',
        );
        for (const status of [401, 402, 404, 429]) {
          await page.getByTestId(`error-${status}`).waitFor();
        }
        assert.match(
          (await page.getByTestId('error-402').textContent()) ?? '',
          /insufficient_balance.*max_tokens/s,
        );

        await assertEveryFieldLabelled(page);
        await saveScreenshot(page, 'quickstart', locale);

        // One tab per language; the copy button copies exactly what the page shows.
        assert.equal(await page.getByTestId('snippet-curl-plain').isVisible(), false);
        await page.getByRole('tab', { name: 'curl', exact: true }).click();
        assert.equal(await page.getByTestId('snippet-curl-plain').isVisible(), true);
        assert.equal(await page.getByTestId('snippet-python-plain').isVisible(), false);
        await page.getByRole('button', { name: words.copyCurl, exact: true }).click();
        const copied = await page.evaluate('navigator.clipboard.readText()');
        assert.equal(copied, await snippetText(page, 'curl-plain'));

        assertNoConsoleErrors(consolePage);
        await consolePage.context.close();
      });
    }

    test('the snippets run as pasted once a real key replaces the placeholder', async () => {
      const consolePage = await openConsolePage(browser, harness.gateway.url, 'en');
      const { page } = consolePage;
      const credentials = { email: 'paste@example.com', password: PASSWORD };
      await signUpInBrowser(page, 'en', credentials);
      // The key as a user gets it from the keys page: the console API, same user.
      const api = createConsoleClient(harness.gateway.url);
      await api.login(credentials.email, credentials.password);
      const { key } = expectBody(
        await api.send('POST', '/keys', { body: { name: 'quick start' } }),
        201,
        createdKeySchema,
      );

      await page.goto('/console/quickstart');
      await page.getByLabel('Model', { exact: true }).selectOption('gpt-4.1');
      const pasted = async (id: (typeof SNIPPET_IDS)[number]) =>
        (await snippetText(page, id)).replace(API_KEY_PLACEHOLDER, key);

      // curl, as a shell runs the pasted text.
      const plain = await runFile('sh', ['-c', await pasted('curl-plain')]);
      const completion = completionSchema.parse(JSON.parse(plain.stdout));
      assert.equal(completion.model, 'gpt-4.1');

      const stream = await runFile('sh', ['-c', await pasted('curl-stream')]);
      const events = stream.stdout
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice('data: '.length));
      assert.equal(events.at(-1), '[DONE]');
      const usageChunk = z
        .object({
          choices: z.array(z.unknown()).length(0),
          usage: z.object({ cost: z.number().positive() }),
        })
        .parse(JSON.parse(events.at(-2) ?? ''));
      assert.ok(usageChunk.usage.cost > 0);
      assert.ok(events.length > 3, 'deltas before the usage chunk');

      // Node, with the repository's `openai` package, as `node quickstart.mjs` would run it.
      const nodePlain = await runWithInput(
        'node',
        ['--input-type=module'],
        await pasted('node-plain'),
      );
      assert.equal(nodePlain.code, 0, nodePlain.stderr);
      assert.match(nodePlain.stdout, /completion_tokens: [1-9]/);
      const nodeStream = await runWithInput(
        'node',
        ['--input-type=module'],
        await pasted('node-stream'),
      );
      assert.equal(nodeStream.code, 0, nodeStream.stderr);
      assert.match(nodeStream.stdout, /\nusage: \{.*completion_tokens: [1-9].*currency: 'KRW'/s);
      assertNoConsoleErrors(consolePage);
      await consolePage.context.close();
    });
  });
}
