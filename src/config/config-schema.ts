import { isIP } from 'node:net';
import * as z from 'zod';
import { DEFAULT_RETRY_POLICY } from '../routing/retry-policy.ts';

const TRUST_PROXY_ENTRY =
  'expected an IP address, a CIDR range such as 10.0.0.0/8, or loopback, linklocal or uniquelocal';

const providerTypeSchema = z.enum(['openai', 'openai-compatible', 'anthropic', 'gemini']);

const providerSchema = z.strictObject({
  type: providerTypeSchema,
  /** Base URL in the provider SDK's own convention (OpenAI: with `/v1`; Anthropic, Gemini: without). */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** May be empty for servers that need no key (a local vLLM or Ollama). */
  apiKey: z.string().default(''),
  headers: z.record(z.string(), z.string()).default({}),
});

/**
 * A non-negative decimal with at most 6 fractional digits, so money arithmetic can scale it to an
 * exact integer (see accounting/). Accepts YAML numbers and numeric strings.
 */
const decimalSchema = z
  .union([z.number(), z.string()])
  .transform((value) => (typeof value === 'number' ? String(value) : value.trim()))
  .refine((text) => /^\d+(\.\d{1,6})?$/.test(text), {
    message: 'a non-negative decimal with at most 6 digits after the point (no exponent)',
  });

/** List prices in USD per 1M tokens, as the provider publishes them. */
const pricingSchema = z.strictObject({
  input: decimalSchema,
  /** Cache reads (OpenAI cached input, Anthropic cache read, DeepSeek cache hit, Gemini cached). */
  cachedInput: decimalSchema.optional(),
  /** Cache writes with the default (5-minute) TTL; Anthropic only. */
  cacheWrite: decimalSchema.optional(),
  /** Cache writes with the 1-hour TTL; Anthropic only. */
  cacheWrite1h: decimalSchema.optional(),
  /** Output tokens, reasoning included. */
  output: decimalSchema,
});

/**
 * One deployment of a model: a provider entry (its base URL and credential; declare several
 * providers of one type for several keys or regions) and the model id it knows.
 */
const routeSchema = z.strictObject({
  /** A key of `providers`. */
  provider: z.string().min(1),
  /** The model id the provider knows. */
  model: z.string().min(1),
  /** Share of traffic among this model's deployments of the same priority. */
  weight: z.number().positive().default(1),
  /** Lower is tried first; a higher priority only serves when every lower one failed or is down. */
  priority: z.number().int().min(0).default(0),
});

/** Per-model overrides of `upstream`'s timeouts, in milliseconds. */
const modelTimeoutsSchema = z.strictObject({
  connectMs: z.number().int().positive().optional(),
  /** Until the response headers of a stream (a non-streaming answer only has `totalMs`). */
  firstByteMs: z.number().int().positive().optional(),
  /** Silence allowed between two chunks. */
  idleMs: z.number().int().positive().optional(),
  /** The whole call, body included. */
  totalMs: z.number().int().positive().optional(),
});

const modelSchema = z.strictObject({
  /** The public model id clients send. */
  id: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  ownedBy: z.string().min(1),
  /** Tokens. */
  contextWindow: z.number().int().positive(),
  /** Tokens. */
  maxOutputTokens: z.number().int().positive(),
  pricing: pricingSchema.optional(),
  /** Serve without a price (a local model). A model with no pricing must say so explicitly. */
  free: z.boolean().default(false),
  routes: z.array(routeSchema).min(1),
  /**
   * Models to try, in order, when every deployment of this one failed before the answer began.
   * Absent: `routing.fallbacks`. `[]`: none.
   */
  fallbacks: z.array(z.string().min(1)).optional(),
  timeouts: modelTimeoutsSchema.optional(),
});

const positiveMs = z.number().int().positive();

/** Overrides of routing/retry-policy.ts's DEFAULT_RETRY_POLICY (the defaults live there). */
const retryPolicySchema = z.strictObject({
  /** Attempts per request, across deployments and fallback models, the first included. */
  maxAttempts: z.number().int().min(1).max(20).optional(),
  /** Milliseconds from acceptance after which no new attempt starts. */
  budgetMs: positiveMs.optional(),
  /** Longest single wait before a retry (a longer Retry-After skips that deployment). */
  maxRetryWaitMs: z.number().int().min(0).optional(),
  backoffBaseMs: z.number().int().min(0).optional(),
  backoffMaxMs: z.number().int().min(0).optional(),
});

/** Overrides of routing/circuit-breaker-defaults.ts (the defaults live there). */
const circuitBreakerSchema = z.strictObject({
  consecutiveFailures: z.number().int().positive().optional(),
  failureRate: z.number().positive().max(1).optional(),
  minimumAttempts: z.number().int().positive().optional(),
  windowMs: positiveMs.optional(),
  cooldownMs: positiveMs.optional(),
  maxCooldownMs: positiveMs.optional(),
  credentialRecheckMs: positiveMs.optional(),
});

export const configSchema = z
  .strictObject({
    server: z
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Bytes; multimodal turns with images need well over a few MiB. */
        bodyLimitBytes: z
          .number()
          .int()
          .positive()
          .default(20 * 1024 * 1024),
        /** Milliseconds a client may take to send its request headers. */
        headersTimeoutMs: z.number().int().positive().default(30_000),
        /** Milliseconds a client may take to send its whole request. */
        requestTimeoutMs: z.number().int().positive().default(120_000),
        /**
         * Names this gateway instance on its ledger holds; a restarted instance voids the holds its
         * killed predecessor left open. Default: `<hostname>:<port>`. Must differ per instance.
         */
        instanceId: z.string().min(1).optional(),
        /**
         * Which peers may name the client in `X-Forwarded-For` (a reverse proxy in front): `false`
         * (none: the client is the socket's peer), `true` (any: only when nothing but the proxy can
         * reach this port), or a list of the proxies' addresses and CIDR ranges (`loopback`,
         * `uniquelocal` and `linklocal` name the usual ones).
         */
        trustProxy: z
          .union([
            z.boolean(),
            z.array(z.string().refine(isTrustedProxyEntry, TRUST_PROXY_ENTRY)).min(1),
          ])
          .default(false),
        logLevel: z
          .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
          .default('info'),
      })
      .prefault({}),
    database: z
      .strictObject({
        /** `sqlite:<path>`, `sqlite::memory:` or `postgres://…`. */
        url: z.string().min(1).default('sqlite:./data/shepherd.db'),
      })
      .prefault({}),
    security: z
      .strictObject({
        /** HMAC key for API-key digests at rest. When absent, one is generated and kept beside the DB. */
        keyPepper: z.string().min(16).optional(),
        /**
         * Invalid API keys and admin tokens allowed per client address within the window; the
         * next request from that address gets 429 until enough have aged out (test plan F11).
         * `maxFailures: 0` turns it off.
         */
        authFailureLimit: z
          .strictObject({
            maxFailures: z.number().int().min(0).default(20),
            windowSeconds: z.number().int().positive().default(60),
          })
          .prefault({}),
      })
      .prefault({}),
    upstream: z
      .strictObject({
        /** Milliseconds to open a TCP/TLS connection. */
        connectTimeoutMs: z.number().int().positive().default(10_000),
        /** Milliseconds from sending the request to the response headers (first byte). */
        headersTimeoutMs: z.number().int().positive().default(120_000),
        /** Milliseconds of silence allowed between two body chunks. */
        bodyIdleTimeoutMs: z.number().int().positive().default(300_000),
        /** Milliseconds for a whole upstream call, body included (long answers take minutes). */
        totalTimeoutMs: z.number().int().positive().default(600_000),
        /** Bytes of a non-streaming upstream body read at most. */
        maxResponseBytes: z
          .number()
          .int()
          .positive()
          .default(32 * 1024 * 1024),
      })
      .prefault({}),
    routing: z
      .strictObject({
        /** Fallback models of every model that lists none of its own. */
        fallbacks: z.array(z.string().min(1)).default([]),
        retry: retryPolicySchema.prefault({}),
        circuitBreaker: circuitBreakerSchema.prefault({}),
        /**
         * Milliseconds a stream may wait for its first token before the gateway commits to 200 and
         * sends SSE comments (`: keep-alive`) at this interval so proxies keep the connection. 0: off.
         */
        streamKeepAliveMs: z.number().int().min(0).default(10_000),
      })
      .prefault({}),
    metrics: z
      .strictObject({
        /** Record Prometheus metrics. Served at GET /metrics on the main port behind the admin token. */
        enabled: z.boolean().default(true),
        /** Also serve GET /metrics, without authentication, on this separate port (e.g. 9464). */
        port: z.number().int().min(0).max(65535).optional(),
        /** Interface of that listener: keep it on loopback or a private network. */
        host: z.string().default('127.0.0.1'),
      })
      .prefault({}),
    admin: z
      .strictObject({
        /**
         * Bearer token of the admin API (/admin/api). Absent: the admin API is off. The gateway
         * refuses to start with an empty, short or well-known token when listening beyond loopback.
         * Whitespace around it (a `.env` line's) is dropped; whitespace inside is refused, as no
         * `Authorization: Bearer` header can carry it and the admin API would refuse every call.
         */
        token: z
          .string()
          .transform((token) => token.trim())
          .refine((token) => !/\s/.test(token), {
            message:
              'must not contain spaces or other whitespace: an Authorization: Bearer header cannot carry them',
          })
          .optional(),
      })
      .prefault({}),
    console: z
      .strictObject({
        /** Anyone may create an account at POST /console/api/signup. false: 403 `signup_disabled`. */
        selfSignup: z.boolean().default(true),
        /**
         * Self-signups accepted per client address within the window (each new account gets the
         * signup bonus, so unlimited signups would be unlimited free credit); the next gets 429.
         * `maxPerAddress: 0` lifts the limit.
         */
        signupLimit: z
          .strictObject({
            maxPerAddress: z.number().int().min(0).default(10),
            windowSeconds: z.number().int().positive().default(86_400),
          })
          .prefault({}),
        /** Days a console login lasts (a fixed lifetime from login; logging in again renews it). */
        sessionDays: z.number().int().min(1).max(90).default(7),
        /** Mark the session cookie `Secure` (HTTPS only). Turn on whenever TLS fronts the gateway. */
        secureCookie: z.boolean().default(false),
      })
      .prefault({}),
    billing: z
      .strictObject({
        /**
         * false: the gateway never touches the ledger (no holds, charges or usage rows) — for an
         * internal gateway that sells no credits, and to measure the ledger's own cost.
         */
        enabled: z.boolean().default(true),
        /** ISO 4217 code of the wallet currency users top up in. */
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as KRW or USD')
          .default('KRW'),
        /** Wallet currency units per 1 USD (prices are USD list prices). Up to 6 decimals. */
        exchangeRate: decimalSchema.default('1400'),
        /** Credited once to every new account, in wallet currency units (0 = none). */
        signupBonus: decimalSchema.default('1000'),
        /**
         * Output tokens held when the client sets no max_tokens (capped by the model's maximum),
         * and the output cap the provider is then sent, so an answer cannot outgrow its hold. A free
         * model holds nothing and is sent no cap.
         */
        defaultHoldOutputTokens: z.number().int().positive().default(4096),
        /**
         * Seconds an unsettled hold may live before the sweeper expires it: longer than any request
         * may run (the retry budget plus the longest upstream call; reasoning models may take 30 min).
         */
        holdTtlSeconds: z.number().int().positive().default(3600),
        /** Seconds between sweeps for expired holds. */
        sweepIntervalSeconds: z.number().int().positive().default(60),
      })
      .prefault({}),
    providers: z.record(z.string().min(1), providerSchema),
    models: z.array(modelSchema).min(1),
  })
  .superRefine((config, context) => {
    // Node's request limit covers the headers too: a longer headers limit would never apply.
    if (config.server.headersTimeoutMs > config.server.requestTimeoutMs) {
      context.addIssue({
        code: 'custom',
        path: ['server', 'headersTimeoutMs'],
        message: `headersTimeoutMs (${config.server.headersTimeoutMs}) must not exceed requestTimeoutMs (${config.server.requestTimeoutMs}), which covers the headers too`,
      });
    }
    // A hold must outlive its request, or the sweeper expires it while the answer still streams:
    // the last attempt starts within the retry budget and runs up to its total limit.
    const budgetMs = config.routing.retry.budgetMs ?? DEFAULT_RETRY_POLICY.budgetMs;
    const longestCallMs = Math.max(
      config.upstream.totalTimeoutMs,
      ...config.models.map((model) => model.timeouts?.totalMs ?? 0),
    );
    if (config.billing.holdTtlSeconds * 1000 <= budgetMs + longestCallMs) {
      context.addIssue({
        code: 'custom',
        path: ['billing', 'holdTtlSeconds'],
        message: `holdTtlSeconds (${config.billing.holdTtlSeconds}) must exceed the longest a request can run: the retry budget (${budgetMs} ms) plus the longest upstream call (${longestCallMs} ms), or holds expire while answers still stream`,
      });
    }
    config.routing.fallbacks.forEach((name, fallbackIndex) => {
      if (!config.models.some((model) => model.id === name || model.aliases.includes(name))) {
        context.addIssue({
          code: 'custom',
          path: ['routing', 'fallbacks', fallbackIndex],
          message: `unknown fallback model "${name}"`,
        });
      }
    });
    const seen = new Map<string, string>();
    config.models.forEach((model, index) => {
      if (model.pricing === undefined && !model.free) {
        context.addIssue({
          code: 'custom',
          path: ['models', index, 'pricing'],
          message: `model "${model.id}" has no pricing; add pricing or mark it \`free: true\``,
        });
      }
      for (const name of [model.id, ...model.aliases]) {
        const owner = seen.get(name.toLowerCase());
        if (owner !== undefined) {
          context.addIssue({
            code: 'custom',
            path: ['models', index],
            message: `the name "${name}" is used by both "${owner}" and "${model.id}"`,
          });
        } else seen.set(name.toLowerCase(), model.id);
      }
      const fallbacks = model.fallbacks ?? [];
      fallbacks.forEach((name, fallbackIndex) => {
        if (!config.models.some((other) => other.id === name || other.aliases.includes(name))) {
          context.addIssue({
            code: 'custom',
            path: ['models', index, 'fallbacks', fallbackIndex],
            message: `unknown fallback model "${name}"`,
          });
        }
      });
      const deployments = new Set<string>();
      model.routes.forEach((route, routeIndex) => {
        const key = `${route.provider}/${route.model}`;
        if (deployments.has(key)) {
          context.addIssue({
            code: 'custom',
            path: ['models', index, 'routes', routeIndex],
            message: `the deployment "${key}" is listed twice`,
          });
        }
        deployments.add(key);
        if (!(route.provider in config.providers)) {
          context.addIssue({
            code: 'custom',
            path: ['models', index, 'routes', routeIndex, 'provider'],
            message: `unknown provider "${route.provider}" (declared: ${Object.keys(config.providers).join(', ') || 'none'})`,
          });
        }
      });
    });
  });

export type GatewayConfigInput = z.input<typeof configSchema>;
export type GatewayConfig = z.output<typeof configSchema>;
export type ModelEntry = GatewayConfig['models'][number];
export type ModelPricing = z.output<typeof pricingSchema>;
export type RouteEntry = ModelEntry['routes'][number];
export type ModelTimeouts = z.output<typeof modelTimeoutsSchema>;
export type RoutingConfig = GatewayConfig['routing'];
export type ProviderEntry = GatewayConfig['providers'][string];

/** What Fastify's `trustProxy` list takes (it would throw at start-up, naming no setting). */
function isTrustedProxyEntry(entry: string): boolean {
  if (entry === 'loopback' || entry === 'linklocal' || entry === 'uniquelocal') return true;
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return false;
  if (slash === -1) return true;
  const prefix = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}
