import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import * as z from 'zod';
import { createConsoleClient, startConsoleGateway } from '../console/console-client.ts';
import type { TestGateway } from '../helpers/start-test-gateway.ts';
import {
  assertNoConsoleErrors,
  launchBrowser,
  openConsolePage,
  requireBrowser,
  saveScreenshot,
} from './console-browser.ts';
import { logInInBrowser } from './sign-up-in-browser.ts';

/** A phone held upright (iPhone SE / 12 mini class): the narrowest screen the console must fit. */
const PHONE = { width: 375, height: 800 };

const USER_PAGES = ['/', '/keys', '/credits', '/usage', '/requests', '/models', '/quickstart'];

// Runs in the page (a string, so this Node-typed file needs no DOM types).
const PAGE_WIDTHS = `(() => ({
  viewport: window.innerWidth,
  page: document.documentElement.scrollWidth,
  nav: (document.querySelector('.shell-nav') || document.body).getBoundingClientRect().width,
  main: (document.querySelector('.shell-main') || document.body).getBoundingClientRect().width,
}))()`;

const widthsSchema = z.object({
  viewport: z.number(),
  page: z.number(),
  nav: z.number(),
  main: z.number(),
});

async function widthsOf(page: Page) {
  return widthsSchema.parse(await page.evaluate(PAGE_WIDTHS));
}

if (requireBrowser('console layout on a phone')) {
  describe('console layout on a phone', () => {
    let harness: TestGateway;
    let browser: Browser;
    const user = { email: 'narrow@example.com', password: 'Correct-Horse-42' };

    before(async () => {
      harness = await startConsoleGateway();
      browser = await launchBrowser();
      // Some usage, so the usage page has its chart and table and the log has rows.
      const client = createConsoleClient(harness.gateway.url);
      await client.signup(user.email, user.password);
      const created = await client.send('POST', '/keys', { body: { name: 'phone' } });
      const { key } = z.object({ key: z.string() }).parse(created.body);
      const chat = await fetch(`${harness.gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4.1',
          messages: [{ role: 'user', content: 'Hello [simulate tokens=20]' }],
        }),
      });
      assert.equal(chat.status, 200, await chat.text());
    });
    after(async () => {
      await browser?.close();
      await harness?.close();
    });

    test('ko: every page fits 375 px without sideways scrolling; wide tables scroll in their box', async () => {
      const consolePage = await openConsolePage(browser, harness.gateway.url, 'ko');
      const { page } = consolePage;
      await page.setViewportSize(PHONE);
      await logInInBrowser(page, 'ko', user);
      for (const path of USER_PAGES) {
        await page.goto(`/console${path}`);
        await page.locator('.shell-main h1').waitFor();
        if (path === '/usage') await page.getByTestId('usage-models').waitFor();
        if (path === '/requests') await page.getByTestId('request-log').waitFor();
        const widths = await widthsOf(page);
        assert.ok(
          widths.page <= widths.viewport,
          `${path}: the page is ${widths.page} px wide on a ${widths.viewport} px screen`,
        );
        // The content gets the screen's width, not what a side column leaves of it.
        assert.ok(
          widths.main >= widths.viewport * 0.9,
          `${path}: the content is only ${widths.main} px wide (navigation ${widths.nav} px)`,
        );
        await saveScreenshot(
          page,
          `phone${path === '/' ? '-overview' : path.replace('/', '-')}`,
          'ko',
        );
      }
      // Every page is still one tap away.
      await page.getByRole('link', { name: '요청 기록' }).click();
      await page.getByTestId('request-log').waitFor();
      assertNoConsoleErrors(consolePage);
      await consolePage.context.close();
    });
  });
}
