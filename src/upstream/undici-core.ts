import type { Dispatcher } from 'undici';
import requestOnDispatcher, { type RequestBody } from 'undici/lib/api/api-request.js';
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

export type RequestOptions = Omit<
  Dispatcher.RequestOptions,
  'origin' | 'path' | 'method' | 'body'
> & {
  method: Dispatcher.HttpMethod;
  /** As undici's, and the iterables it documents but does not type. */
  body?: RequestBody;
  /** Always named: this `request` has no global dispatcher to fall back on. */
  dispatcher: Dispatcher;
};

export type ResponseData = Dispatcher.ResponseData;

/** undici's top-level `request(url, options)`, for an absolute URL and a named dispatcher. */
export function request(url: string, options: RequestOptions): Promise<ResponseData> {
  const { origin, path } = originAndPath(url);
  // `origin` and `path` first: `options` has neither (its type omits them), and a literal that
  // starts with a spread is built on V8's slow path (docs/decisions/0007).
  return requestOnDispatcher.call(options.dispatcher, { origin, path, ...options });
}

/**
 * Upstream URLs already split: a gateway calls the same few over and over (one per deployment and
 * endpoint), and `new URL` costs about a microsecond per call. Emptied when full, so a gateway whose
 * URLs keep changing (a model name in the path, say) holds a bounded number.
 */
const splitUrls = new Map<string, { origin: string; path: string }>();
const MAX_SPLIT_URLS = 512;

function originAndPath(url: string): { origin: string; path: string } {
  let split = splitUrls.get(url);
  if (split === undefined) {
    const { origin, pathname, search } = new URL(url);
    split = { origin, path: search === '' ? pathname : `${pathname}${search}` };
    if (splitUrls.size >= MAX_SPLIT_URLS) splitUrls.clear();
    splitUrls.set(url, split);
  }
  return split;
}
