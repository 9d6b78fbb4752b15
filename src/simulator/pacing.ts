import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { LatencyProfile } from './latency-profile.ts';

/** How often DeepSeek-style keep-alives repeat while the first token is pending. */
export const KEEP_ALIVE_INTERVAL_MS = 1000;

/** Waits, or rejects with an AbortError as soon as the client is gone (no timer survives). */
export async function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  if (milliseconds <= 0) {
    signal.throwIfAborted();
    return;
  }
  await delay(milliseconds, undefined, { signal });
}

/** Milliseconds after the start at which `tokens` generated tokens are complete (first at TTFT). */
export function tokensDueAt(profile: LatencyProfile, tokens: number): number {
  return profile.timeToFirstTokenMs + (Math.max(0, tokens - 1) * 1000) / profile.tokensPerSecond;
}

/** Writes with backpressure: resolves once the response can take more. */
export async function writeText(
  response: ServerResponse,
  text: string,
  signal: AbortSignal,
): Promise<void> {
  if (text === '' || response.destroyed) return;
  if (!response.write(text)) await once(response, 'drain', { signal });
}

/** Writes and waits until the bytes reached the socket, so a following destroy cannot drop them. */
export function writeFlushed(response: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (response.destroyed) {
      resolve();
      return;
    }
    response.write(text, () => resolve());
  });
}

/** Sleeps until `dueAt` (a performance.now() value), sending `keepAlive` at a fixed interval meanwhile. */
export async function waitWithKeepAlive(options: {
  response: ServerResponse;
  dueAt: number;
  keepAlive: string | undefined;
  signal: AbortSignal;
}): Promise<void> {
  const { response, keepAlive, signal } = options;
  if (keepAlive === undefined) {
    await sleep(options.dueAt - performance.now(), signal);
    return;
  }
  await writeText(response, keepAlive, signal);
  for (;;) {
    const remaining = options.dueAt - performance.now();
    if (remaining <= KEEP_ALIVE_INTERVAL_MS) {
      await sleep(remaining, signal);
      return;
    }
    await sleep(KEEP_ALIVE_INTERVAL_MS, signal);
    await writeText(response, keepAlive, signal);
  }
}
