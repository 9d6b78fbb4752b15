import type { ServerResponse } from 'node:http';
import type { Mutable } from '../util/mutable.ts';
import { SSE_RESPONSE_HEADERS } from './write-sse-stream.ts';

export interface StreamKeepAlive {
  /** Whether the 200 and at least one comment went out (errors must then be SSE frames). */
  readonly started: boolean;
  stop(): void;
}

/** The SSE comment sent while the first token is pending; clients and SDKs ignore comments. */
const KEEP_ALIVE_COMMENT = ': keep-alive\n\n';

/**
 * While a stream waits for its first token (a reasoning model thinking, a failover in progress),
 * commits to `200 text/event-stream` after `intervalMs` and sends an SSE comment every
 * `intervalMs`, so proxies with idle timeouts (nginx 60 s, load balancers) keep the connection.
 * Until it starts, a failure can still become a real HTTP error status.
 */
export function startStreamKeepAlive(options: {
  response: ServerResponse;
  intervalMs: number;
  headers: Record<string, string>;
  /** Called once, just before the first write (the route hands the response over). */
  onStart: () => void;
}): StreamKeepAlive {
  const { response } = options;
  const timer = setInterval(() => {
    if (response.destroyed) return;
    if (!keepAlive.started) {
      keepAlive.started = true;
      options.onStart();
      response.writeHead(200, Object.assign({}, SSE_RESPONSE_HEADERS, options.headers));
    }
    response.write(KEEP_ALIVE_COMMENT);
  }, options.intervalMs);
  // A pending keep-alive must not keep the process alive on shutdown.
  timer.unref();
  // A plain property, not a getter (see `Mutable`).
  const keepAlive: Mutable<StreamKeepAlive> = {
    started: false,
    stop() {
      clearInterval(timer);
    },
  };
  return keepAlive;
}
