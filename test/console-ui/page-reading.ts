import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';

/** The promise: a request shows up in the log and in the spend within 5 s. */
export const LIVE_WITHIN_MS = 5000;

/**
 * Reads until `ready`, for at most `timeoutMs`; fails with the last value seen. (The page's CSP
 * forbids the string predicates of `waitForFunction`, so this polls from the test.)
 */
export async function waitUntil<T>(
  read: () => Promise<T>,
  ready: (value: T) => boolean,
  what: string,
  timeoutMs = LIVE_WITHIN_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ready(value)) return value;
    if (Date.now() > deadline)
      assert.fail(`${what} within ${timeoutMs} ms; last: ${String(value)}`);
    await sleep(50);
  }
}

/** Text of an element that must be on the page, with runs of spaces (NBSP included) made one. */
export async function textOf(page: Page, testId: string): Promise<string> {
  const text = await page.getByTestId(testId).first().textContent();
  return (text ?? '').replace(/\s+/g, ' ').trim();
}
