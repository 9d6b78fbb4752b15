import type { Dispatcher } from 'undici';
import requestOnDispatcher from 'undici/lib/api/api-request.js';
import undiciErrors from 'undici/lib/core/errors.js';
import AgentClass from 'undici/lib/dispatcher/agent.js';

/**
 * The three parts of undici the gateway uses (its Agent, `request`, its error classes), loaded
 * from undici's own files rather than from its index. The index loads every dispatcher, fetch,
 * WebSocket, EventSource, the HTTP cache and the mock agents: a quarter of the server bundle,
 * compiled at start and kept in memory by a gateway that never calls them (docs/benchmarks.md,
 * idle RSS). These paths are undici 7's layout (the version is pinned, see ecosystem.md);
 * `undici-core.test.ts` fails if they stop being the index's own classes and function.
 */
export const Agent = AgentClass;
export type Agent = AgentClass;
export const errors = undiciErrors;

export type RequestOptions = Omit<Dispatcher.RequestOptions, 'origin' | 'path' | 'method'> & {
  method: Dispatcher.HttpMethod;
  /** Always named: this `request` has no global dispatcher to fall back on. */
  dispatcher: Dispatcher;
};

export type ResponseData = Dispatcher.ResponseData;

/** undici's top-level `request(url, options)`, for an absolute URL and a named dispatcher. */
export function request(url: string, options: RequestOptions): Promise<ResponseData> {
  const { origin, pathname, search } = new URL(url);
  return requestOnDispatcher.call(options.dispatcher, {
    ...options,
    origin,
    path: search === '' ? pathname : `${pathname}${search}`,
  });
}
