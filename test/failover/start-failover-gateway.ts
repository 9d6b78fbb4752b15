import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import * as z from 'zod';
import { issueApiKey } from '../../src/accounting/issue-api-key.ts';
import {
  configSchema,
  type GatewayConfig,
  type GatewayConfigInput,
} from '../../src/config/config-schema.ts';
import type { AttemptRecord } from '../../src/routing/attempt-record.ts';
import type { LatencyProfile } from '../../src/simulator/latency-profile.ts';
import { type RunningSimulator, startSimulator } from '../../src/simulator/start-simulator.ts';
import { type RunningGateway, startGateway } from '../../src/start-gateway.ts';
import type { UsageRecord } from '../../src/storage/ledger-store.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';

export const FAILOVER_TEST_PEPPER = 'failover-test-pepper-0123456789abcdef';
export const FAILOVER_ADMIN_TOKEN = 'failover-admin-token-5f0c9a7e3b1d4c2a8e6f';
/** The OpenAI-dialect provider on the simulator every test model is served from. */
export const SIM = 'sim';

export type ModelInput = NonNullable<GatewayConfigInput['models']>[number];
type RouteInput = ModelInput['routes'][number];

/** A priced test model served by the simulator under the given upstream model names. */
export function simModel(options: {
  id: string;
  /** Upstream model names (deployments on `sim`), or full routes. */
  routes: ReadonlyArray<string | RouteInput>;
  /** USD per 1M tokens; default 1 in, 2 out. */
  pricing?: { input: number; output: number };
  fallbacks?: string[];
  timeouts?: ModelInput['timeouts'];
}): ModelInput {
  return {
    id: options.id,
    ownedBy: 'failover-tests',
    contextWindow: 100_000,
    maxOutputTokens: 1_000,
    pricing: options.pricing ?? { input: 1, output: 2 },
    routes: options.routes.map((route) =>
      typeof route === 'string' ? { provider: SIM, model: route } : route,
    ),
    ...(options.fallbacks === undefined ? {} : { fallbacks: options.fallbacks }),
    ...(options.timeouts === undefined ? {} : { timeouts: options.timeouts }),
  };
}

export interface ChatResult {
  status: number;
  headers: Headers;
  text: string;
  requestId: string;
  elapsedMs: number;
}

const attemptRecordSchema = z.strictObject({
  deploymentId: z.string(),
  modelId: z.string(),
  provider: z.string(),
  upstreamModel: z.string(),
  outcome: z.enum(['ok', 'error', 'client_closed']),
  errorCode: z.string().nullable(),
  upstreamStatus: z.number().nullable(),
  startMs: z.number(),
  durationMs: z.number(),
  billedUsage: z
    .strictObject({
      inputTokens: z.number(),
      cachedInputTokens: z.number(),
      cacheWriteTokens: z.number(),
      cacheWrite1hTokens: z.number(),
      outputTokens: z.number(),
      reasoningTokens: z.number(),
    })
    .optional(),
  costMicros: z.string().optional(),
}) satisfies z.ZodType<AttemptRecord>;

export const upstreamViewSchema = z.looseObject({
  id: z.string(),
  provider: z.string(),
  upstreamModel: z.string(),
  modelIds: z.array(z.string()),
  state: z.enum(['closed', 'open', 'half_open', 'disabled']),
  consecutiveFailures: z.number(),
  failureRate: z.number(),
  windowAttempts: z.number(),
  retryAtMs: z.number().nullable(),
  coolingUntilMs: z.number().nullable(),
  lastError: z.string().nullable(),
  lastChangeAtMs: z.number().nullable(),
});
export type UpstreamView = z.infer<typeof upstreamViewSchema>;

export interface FailoverGateway {
  gateway: RunningGateway;
  simulator: RunningSimulator;
  store: Store;
  config: GatewayConfig;
  /** http://127.0.0.1:PORT (no /v1). */
  origin: string;
  /** http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  apiKey: string;
  accountId: string;
  /** POSTs /v1/chat/completions with the test key and reads the whole answer. */
  chat(body: Record<string, unknown>, headers?: Record<string, string>): Promise<ChatResult>;
  /** The one usage row of a request (asserts there is exactly one). */
  usageRow(requestId: string): Promise<UsageRecord>;
  /** Every usage row of the test account, oldest first. */
  usageRows(): Promise<UsageRecord[]>;
  /** Requests the simulator received for this upstream model (its log keeps 100 000). */
  upstreamCalls(upstreamModel: string): number;
  /** GET /admin/api/upstreams. */
  upstreams(): Promise<UpstreamView[]>;
  upstream(id: string): Promise<UpstreamView>;
  /** POST /admin/api/upstreams/reset; returns the response status. */
  resetUpstream(id: string): Promise<number>;
  /** Resets every deployment's breaker (between tests that share a gateway). */
  resetAllUpstreams(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real gateway on a free loopback port, on in-memory SQLite, whose only models are the ones given,
 * served by an instant simulator through one OpenAI-dialect provider `sim` (plus any `providers`).
 * Unlike test/helpers/start-test-gateway.ts the config goes through the schema, so routes get their
 * defaults (weight 1, priority 0) and a broken test config fails loudly.
 */
export async function startFailoverGateway(options: {
  models: ModelInput[];
  routing?: GatewayConfigInput['routing'];
  upstream?: GatewayConfigInput['upstream'];
  /** Extra providers; `baseUrl` may use `{simulator}` for the simulator's origin. */
  providers?: NonNullable<GatewayConfigInput['providers']>;
  simulatorProfiles?: Record<string, LatencyProfile>;
  /** Draws for faults with a `probability` (seed it for a reproducible run). */
  random?: () => number;
}): Promise<FailoverGateway> {
  const simulator = await startSimulator({
    latency: 'instant',
    requestLogLimit: 100_000,
    ...(options.simulatorProfiles === undefined ? {} : { profiles: options.simulatorProfiles }),
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  const extraProviders = Object.fromEntries(
    Object.entries(options.providers ?? {}).map(([name, provider]) => [
      name,
      { ...provider, baseUrl: provider.baseUrl.replace('{simulator}', simulator.url) },
    ]),
  );
  const parsed = configSchema.safeParse({
    server: { host: '127.0.0.1', port: 0 },
    database: { url: 'sqlite::memory:' },
    admin: { token: FAILOVER_ADMIN_TOKEN },
    providers: {
      [SIM]: { type: 'openai', baseUrl: `${simulator.url}/v1`, apiKey: 'sim-key' },
      ...extraProviders,
    },
    models: options.models,
    ...(options.routing === undefined ? {} : { routing: options.routing }),
    ...(options.upstream === undefined ? {} : { upstream: options.upstream }),
  } satisfies GatewayConfigInput);
  if (!parsed.success) {
    await simulator.close();
    throw new Error(`invalid test config: ${JSON.stringify(parsed.error.issues)}`);
  }
  const config = parsed.data;
  const store = await openStore({ url: config.database.url });
  const gateway = await startGateway({
    config,
    store,
    keyPepper: FAILOVER_TEST_PEPPER,
    logging: false,
  });
  const issued = await issueApiKey({
    store,
    pepper: FAILOVER_TEST_PEPPER,
    accountName: 'failover',
    keyName: 'failover-e2e',
  });
  await store.postCredit({
    kind: 'top_up',
    accountId: issued.accountId,
    amountMicros: 10_000_000n * 1_000_000n,
    idempotencyKey: `failover-top-up:${issued.accountId}`,
  });
  const origin = gateway.url;
  const adminHeaders = {
    authorization: `Bearer ${FAILOVER_ADMIN_TOKEN}`,
    'content-type': 'application/json',
  };

  async function usageRows(): Promise<UsageRecord[]> {
    return store.listUsageRecords({
      from: new Date(0),
      to: new Date(Date.now() + 3_600_000),
      accountId: issued.accountId,
    });
  }

  async function upstreams(): Promise<UpstreamView[]> {
    const response = await fetch(`${origin}/admin/api/upstreams`, { headers: adminHeaders });
    assert.equal(response.status, 200);
    const body = z.strictObject({ object: z.literal('list'), data: z.array(upstreamViewSchema) });
    return body.parse(await response.json()).data;
  }

  return {
    gateway,
    simulator,
    store,
    config,
    origin,
    baseUrl: `${origin}/v1`,
    apiKey: issued.key,
    accountId: issued.accountId,
    async chat(body, headers = {}) {
      const startedAt = performance.now();
      const response = await fetch(`${origin}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${issued.key}`,
          'content-type': 'application/json',
          ...headers,
        },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        text,
        requestId: response.headers.get('x-request-id') ?? '',
        elapsedMs: performance.now() - startedAt,
      };
    },
    async usageRow(requestId) {
      assert.match(requestId, /^req_/, 'the response carries its request id');
      // The row is written in the settling transaction, just before or after the last byte.
      for (let poll = 0; poll < 100; poll += 1) {
        const rows = (await usageRows()).filter((row) => row.requestId === requestId);
        assert.ok(rows.length <= 1, `one usage row per request, got ${rows.length}`);
        const row = rows[0];
        if (row !== undefined) return row;
        await delay(10);
      }
      assert.fail(`no usage row for ${requestId}`);
    },
    usageRows,
    upstreamCalls(upstreamModel) {
      return simulator.requests.filter(
        (entry) =>
          typeof entry.body === 'object' &&
          entry.body !== null &&
          'model' in entry.body &&
          entry.body.model === upstreamModel,
      ).length;
    },
    upstreams,
    async upstream(id) {
      const view = (await upstreams()).find((entry) => entry.id === id);
      assert.ok(view, `no deployment ${id} in /admin/api/upstreams`);
      return view;
    },
    async resetUpstream(id) {
      const response = await fetch(`${origin}/admin/api/upstreams/reset`, {
        method: 'POST',
        headers: adminHeaders,
        body: JSON.stringify({ id }),
      });
      await response.arrayBuffer();
      return response.status;
    },
    async resetAllUpstreams() {
      for (const view of await upstreams()) {
        const response = await fetch(`${origin}/admin/api/upstreams/reset`, {
          method: 'POST',
          headers: adminHeaders,
          body: JSON.stringify({ id: view.id }),
        });
        assert.equal(response.status, 200, await response.text());
      }
    },
    async close() {
      await gateway.close();
      await simulator.close();
      await store.close();
    },
  };
}

/** The usage row's attempt chain, validated against AttemptRecord's shape. */
export function attemptsOf(row: UsageRecord): AttemptRecord[] {
  return z.array(attemptRecordSchema).parse(JSON.parse(row.attempts));
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address.port;
}

/** SSE frames of a raw body: comments (`: …`) and `data:` payloads, in order. */
export function sseFrames(text: string): Array<{ comment: string } | { data: string }> {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) =>
      frame.startsWith(':')
        ? { comment: frame.slice(1).trim() }
        : { data: frame.replace(/^data: ?/, '') },
    );
}

/** A seeded PRNG (mulberry32), so a chaos run's fault draws can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface StreamSummary {
  /** The answer text delivered. */
  text: string;
  /** Ended with `data: [DONE]`. */
  done: boolean;
  /** The OpenAI error object of an error frame, if one arrived. */
  error: { message: string; type: string; code: string } | undefined;
  /** `: keep-alive` comments sent before the first data frame. */
  keepAlivesBeforeData: number;
}

const streamChunkSchema = z.looseObject({
  choices: z.array(z.looseObject({ delta: z.looseObject({ content: z.string().nullish() }) })),
});
const errorFrameSchema = z.looseObject({
  error: z.looseObject({ message: z.string(), type: z.string(), code: z.string() }),
});

/** Reads a raw chat-completions SSE body as a client would. */
export function summarizeStream(raw: string): StreamSummary {
  const summary: StreamSummary = {
    text: '',
    done: false,
    error: undefined,
    keepAlivesBeforeData: 0,
  };
  let sawData = false;
  for (const frame of sseFrames(raw)) {
    if ('comment' in frame) {
      if (!sawData && frame.comment === 'keep-alive') summary.keepAlivesBeforeData += 1;
      continue;
    }
    sawData = true;
    assert.ok(!summary.done, 'nothing may follow [DONE]');
    if (frame.data === '[DONE]') {
      summary.done = true;
      continue;
    }
    const value: unknown = JSON.parse(frame.data);
    const failure = errorFrameSchema.safeParse(value);
    if (failure.success) {
      assert.equal(summary.error, undefined, 'at most one error frame');
      summary.error = failure.data.error;
      continue;
    }
    assert.equal(summary.error, undefined, 'nothing may follow an error frame');
    const chunk = streamChunkSchema.parse(value);
    summary.text += chunk.choices[0]?.delta.content ?? '';
  }
  return summary;
}

/** Runs `task(0..count-1)` with at most `concurrency` in flight; resolves with results in order. */
export async function runPool<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < count; index = next++) results[index] = await task(index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** Polls `condition` every 10 ms for up to `timeoutMs` (default 3 s); fails the test after that. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 3_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `timed out waiting: ${what}`);
    await delay(10);
  }
}
