import { Agent } from '../upstream/undici-core.ts';
import type { SendBenchRequest } from './run-stream-bench.ts';
import { sendStreamedRequest } from './send-streamed-request.ts';

export interface BenchClient {
  send: SendBenchRequest;
  /** Drops every connection, in flight or idle. */
  close(): Promise<void>;
}

/** Idle keep-alive connections live this long, so runs reuse them as a long-lived client would. */
const KEEP_ALIVE_MS = 30_000;

/** One keep-alive connection pool for the whole benchmark, every request limited to `timeoutMs`. */
export function createBenchClient(options: { timeoutMs: number }): BenchClient {
  const agent = new Agent({ keepAliveTimeout: KEEP_ALIVE_MS, keepAliveMaxTimeout: KEEP_ALIVE_MS });
  return {
    send: ({ target, tokens, signal }) =>
      sendStreamedRequest({
        target,
        tokens,
        signal,
        timeoutMs: options.timeoutMs,
        dispatcher: agent,
      }),
    close: () => agent.destroy(),
  };
}
