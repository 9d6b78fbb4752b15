import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { GatewayConfig } from '../config/config-schema.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { ChatPipeline } from '../pipeline/handle-chat.ts';
import type { DeploymentHealth } from '../routing/deployment-health.ts';
import type { ModelCatalog } from '../routing/model-catalog.ts';
import type { Store } from '../storage/store.ts';
import { encodeOpenaiError } from '../surfaces/openai/encode-openai-error.ts';
import { registerAdminApi } from './admin/register-admin-api.ts';
import { answerApiCors } from './allow-api-cors.ts';
import { createAuthenticationHook, type RequestAuthenticator } from './authenticate-request.ts';
import { registerConsoleApi } from './console/register-console-api.ts';
import { registerConsoleUi } from './console/serve-console-ui.ts';
import { createBatchedLogWriter } from './create-batched-log-writer.ts';
import { createCredentialThrottle } from './create-credential-throttle.ts';
import { generateRequestId } from './generate-request-id.ts';
import { registerErrorHandlers } from './handle-errors.ts';
import { registerJsonBodyParser } from './parse-json-body.ts';
import { createRequestCompletionRecorder } from './record-request-completion.ts';
import { registerChatCompletionsRoute } from './routes/chat-completions-route.ts';
import { type ReadinessCheck, registerHealthRoutes } from './routes/health-routes.ts';
import { registerMetricsRoute } from './routes/metrics-route.ts';
import { registerModelsRoutes } from './routes/models-route.ts';
import { registerRedeemVoucherRoute } from './routes/redeem-voucher-route.ts';
import { registerUsageRoute } from './routes/usage-route.ts';

export interface AppDependencies {
  config: GatewayConfig;
  catalog: ModelCatalog;
  pipeline: ChatPipeline;
  authenticator: RequestAuthenticator;
  readinessChecks: readonly ReadinessCheck[];
  /** Prometheus metrics (`/metrics`); absent: not recorded. */
  metrics?: GatewayMetrics;
  /** Upstream circuit breakers, shown in `/readyz` and `/admin/api/upstreams`. */
  health?: DeploymentHealth;
  store: Store;
  /** The API key pepper: keys and voucher codes are stored as HMAC digests under it. */
  keyPepper: string;
  /** Forgets cached key lookups, so admin changes to keys and accounts apply at once. */
  onKeysChanged?: () => void;
  /** Wall clock in milliseconds. */
  now?: () => number;
  /** false silences request logs (tests). */
  logging?: boolean;
  /** Where JSON log lines go (default stdout); tests capture them here. */
  logStream?: NodeJS.WritableStream;
}

/** A route schema would be a second validator beside zod: refused when the route is added. */
function refuseRouteSchemas(): () => never {
  return () => {
    throw new Error('Shepherd routes carry no Fastify schema: parse the input with zod instead.');
  };
}

/**
 * How often Node looks for connections past `headersTimeout` or `requestTimeout`. It checks them
 * only on this timer (30 s by default), so a client dripping its headers under a 2 s limit was
 * cut after 30 s (test plan A17). Half the shorter limit, at most 1 s: a slow client is closed at
 * most that much after its limit. The check walks only connections with a request in progress.
 */
export function connectionsCheckingIntervalMs(server: GatewayConfig['server']): number {
  const shorter = Math.min(server.headersTimeoutMs, server.requestTimeoutMs);
  return Math.max(1, Math.min(1_000, Math.floor(shorter / 2)));
}

/** A request Fastify refuses before routing it (a malformed `%` escape in the path, say). */
function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const encoded = encodeOpenaiError(
    new GatewayError(
      'GW_ERR_INVALID_REQUEST',
      error.code === 'FST_ERR_BAD_URL'
        ? 'The URL path is not valid: a `%` must start a percent-encoded UTF-8 byte, such as %20.'
        : 'The request could not be routed.',
    ),
  );
  void reply
    .header('x-request-id', request.id)
    .code(encoded.status)
    .headers(encoded.headers)
    .send(encoded.body);
}

/** Builds the gateway's HTTP app; the caller listens (or uses `inject`) and closes it. */
export async function createApp(dependencies: AppDependencies): Promise<FastifyInstance> {
  const { config } = dependencies;
  const now = dependencies.now ?? Date.now;
  // stdout, one write per event-loop turn (see createBatchedLogWriter), unless a test captures.
  const stdoutWriter =
    dependencies.logging === false || dependencies.logStream !== undefined
      ? undefined
      : createBatchedLogWriter({ fd: 1 });
  const logStream = dependencies.logStream ?? stdoutWriter;
  const app = Fastify({
    logger:
      logStream === undefined
        ? false
        : {
            level: config.server.logLevel,
            // Request logs never carry a credential, whichever header a client put it in.
            redact: [
              'req.headers.authorization',
              'req.headers["x-api-key"]',
              'req.headers["x-goog-api-key"]',
              'req.headers.cookie',
            ],
            stream: logStream,
          },
    genReqId: generateRequestId,
    // One log line per request (below) instead of Fastify's two ("incoming", "completed").
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.server.bodyLimitBytes,
    // Whose address `request.ip` is behind a reverse proxy: the credential throttle and the
    // console's login limiter count per client address.
    trustProxy: config.server.trustProxy,
    requestTimeout: config.server.requestTimeoutMs,
    http: { connectionsCheckingInterval: connectionsCheckingIntervalMs(config.server) },
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    // Refused before routing (no hook runs): without this Fastify answers in its own shape,
    // naming its internal error code, and without the request id.
    frameworkErrors: answerFrameworkError,
    // Routes validate with zod and reply with JSON.stringify: Fastify's default compilers would
    // load ajv and fast-json-stringify at start for nothing (about 1 MiB of idle RSS).
    schemaController: {
      compilersFactory: { buildValidator: refuseRouteSchemas, buildSerializer: refuseRouteSchemas },
    },
  });
  app.server.headersTimeout = config.server.headersTimeoutMs;
  if (stdoutWriter !== undefined) app.addHook('onClose', async () => stdoutWriter.close());
  app.decorateRequest('identity', undefined);
  app.decorateRequest('acceptedAt', 0);
  app.decorateRequest('completionRecorded', false);
  const { metrics } = dependencies;
  const completion = createRequestCompletionRecorder(metrics);
  // Synchronous: no promise per request just to stamp the time and the id header.
  app.addHook('onRequest', (request, reply, done) => {
    request.acceptedAt = performance.now();
    void reply.header('x-request-id', request.id);
    completion.watchClientClose(request, reply);
    if (answerApiCors(request, reply)) return;
    done();
  });
  // Streams (hijacked replies) come here too: their raw response finishes like any other.
  app.addHook('onResponse', (request, reply, done) => {
    completion.responseFinished(request, reply);
    done();
  });
  const credentialThrottle = createCredentialThrottle(config.security.authFailureLimit);
  if (metrics !== undefined) {
    const adminToken = config.admin.token ?? '';
    if (adminToken.trim() !== '') {
      registerMetricsRoute(app, { metrics, adminToken, credentialThrottle });
    }
  }
  registerJsonBodyParser(app, config.server.bodyLimitBytes);
  registerErrorHandlers(app);
  registerHealthRoutes(app, dependencies.readinessChecks, dependencies.health);

  const createdAtSeconds = Math.floor(now() / 1000);
  await app.register(
    async (v1) => {
      v1.addHook(
        'onRequest',
        createAuthenticationHook(dependencies.authenticator, credentialThrottle),
      );
      registerChatCompletionsRoute(v1, {
        pipeline: dependencies.pipeline,
        now,
        ...(metrics === undefined ? {} : { metrics }),
        streamKeepAliveMs: config.routing.streamKeepAliveMs,
      });
      registerModelsRoutes(v1, { catalog: dependencies.catalog, createdAtSeconds });
      registerUsageRoute(v1, { store: dependencies.store, currency: config.billing.currency, now });
      registerRedeemVoucherRoute(v1, {
        store: dependencies.store,
        pepper: dependencies.keyPepper,
        now: () => new Date(now()),
        currency: config.billing.currency,
      });
    },
    { prefix: '/v1' },
  );
  await registerConsoleApi(app, {
    store: dependencies.store,
    pepper: dependencies.keyPepper,
    config,
    now: () => new Date(now()),
    ...(dependencies.health === undefined ? {} : { health: dependencies.health }),
    ...(dependencies.onKeysChanged === undefined
      ? {}
      : { onKeysChanged: dependencies.onKeysChanged }),
  });
  registerConsoleUi(app);
  if ((config.admin.token ?? '').trim() !== '') {
    await registerAdminApi(app, {
      store: dependencies.store,
      pepper: dependencies.keyPepper,
      config,
      now: () => new Date(now()),
      credentialThrottle,
      ...(dependencies.health === undefined ? {} : { health: dependencies.health }),
      ...(dependencies.onKeysChanged === undefined
        ? {}
        : { onKeysChanged: dependencies.onKeysChanged }),
    });
  }
  return app;
}
