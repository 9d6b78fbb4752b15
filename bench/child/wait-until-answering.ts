import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';

async function answers(url: string): Promise<boolean> {
  try {
    const response = await request(url, { headersTimeout: 1_000, bodyTimeout: 1_000 });
    await response.body.dump();
    return response.statusCode >= 200 && response.statusCode < 300;
  } catch {
    return false;
  }
}

/**
 * Polls `url` every 100 ms until a GET answers 2xx. Throws when `exited()` turns true (with
 * `describeExit()` saying why) or the deadline passes.
 */
export async function waitUntilAnswering(options: {
  name: string;
  url: string;
  timeoutMs: number;
  exited: () => boolean;
  describeExit?: () => string;
}): Promise<void> {
  const readyBy = performance.now() + options.timeoutMs;
  while (!(await answers(options.url))) {
    if (options.exited()) {
      const why = options.describeExit?.() ?? '';
      throw new Error(`${options.name} exited before it was ready${why === '' ? '' : `: ${why}`}`);
    }
    if (performance.now() > readyBy) {
      throw new Error(`${options.name} did not answer ${options.url} in time`);
    }
    await delay(100);
  }
}
