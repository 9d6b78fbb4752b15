import { z } from 'zod';

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

const routeSchema = z.strictObject({
  /** A key of `providers`. */
  provider: z.string().min(1),
  /** The model id the provider knows. */
  model: z.string().min(1),
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
        /** Bytes of a non-streaming upstream body read at most. */
        maxResponseBytes: z
          .number()
          .int()
          .positive()
          .default(32 * 1024 * 1024),
      })
      .prefault({}),
    admin: z
      .strictObject({
        /**
         * Bearer token of the admin API (/admin/api). Absent: the admin API is off. The gateway
         * refuses to start with an empty, short or well-known token when listening beyond loopback.
         */
        token: z.string().optional(),
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
        /** Output tokens held when the client sets no max_tokens (capped by the model's maximum). */
        defaultHoldOutputTokens: z.number().int().positive().default(4096),
        /** Seconds an unsettled hold may live before the sweeper expires it (request lifetime + grace). */
        holdTtlSeconds: z.number().int().positive().default(1800),
        /** Seconds between sweeps for expired holds. */
        sweepIntervalSeconds: z.number().int().positive().default(60),
      })
      .prefault({}),
    providers: z.record(z.string().min(1), providerSchema),
    models: z.array(modelSchema).min(1),
  })
  .superRefine((config, context) => {
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
      model.routes.forEach((route, routeIndex) => {
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
export type ProviderEntry = GatewayConfig['providers'][string];
