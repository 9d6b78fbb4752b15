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

/** List prices in USD per 1M tokens, as the provider publishes them. */
const pricingSchema = z.strictObject({
  input: z.number().nonnegative(),
  /** Cache reads (OpenAI cached input, Anthropic cache read, DeepSeek cache hit, Gemini cached). */
  cachedInput: z.number().nonnegative().optional(),
  /** Cache writes with the default (5-minute) TTL; Anthropic only. */
  cacheWrite: z.number().nonnegative().optional(),
  /** Cache writes with the 1-hour TTL; Anthropic only. */
  cacheWrite1h: z.number().nonnegative().optional(),
  /** Output tokens, reasoning included. */
  output: z.number().nonnegative(),
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
