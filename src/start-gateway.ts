import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { createApiKeyAuthenticator } from './accounting/api-key-authenticator.ts';
import type { GatewayConfig } from './config/config-schema.ts';
import { createGatewayMetrics } from './metrics/gateway-metrics.ts';
import { createChatPipeline } from './pipeline/handle-chat.ts';
import type { ProviderConnection } from './providers/provider-adapter.ts';
import { PROVIDER_ADAPTERS } from './providers/provider-registry.ts';
import { createRouting } from './routing/create-routing.ts';
import { createModelCatalog } from './routing/model-catalog.ts';
import { assertSafeAdminToken } from './server/admin/assert-safe-admin-token.ts';
import { createApp } from './server/create-app.ts';
import { type MetricsListener, startMetricsListener } from './server/start-metrics-listener.ts';
import { startHoldSweeper } from './storage/start-hold-sweeper.ts';
import type { Store } from './storage/store.ts';
import { createUpstreamClient } from './upstream/upstream-client.ts';

/**
 * Connections the kernel may hold, handshake done, until the gateway accepts them (Linux caps it at
 * net.core.somaxconn, 4096 by default). Node's default, 511, overflows when a burst of clients
 * (thousands of streams opened within seconds) meets an event loop busy for half a second: the
 * kernel then drops handshakes, and clients see a 1 s, 3 s, 7 s SYN retry, resets or a connect
 * timeout instead of a short wait in the queue.
 */
const LISTEN_BACKLOG = 4096;

export interface StartGatewayOptions {
  config: GatewayConfig;
  store: Store;
  keyPepper: string;
  /** false silences request logs (tests, benchmarks). */
  logging?: boolean;
  /** Where JSON log lines go (default stdout). */
  logStream?: NodeJS.WritableStream;
  /** Listen on this port instead of the configured one (0 = any free port). */
  port?: number;
}

export interface RunningGateway {
  app: FastifyInstance;
  /** Base URL of the server, e.g. http://127.0.0.1:8080 (clients append /v1). */
  url: string;
  /** The separate Prometheus listener's URL, when `metrics.port` is set. */
  metricsUrl?: string;
  close(): Promise<void>;
}

/** Composition root: wires config, store, adapters, upstream client and HTTP app, then listens. */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { config, store } = options;
  // Before anything else: a weak admin token beyond loopback must stop startup (test plan F6).
  assertSafeAdminToken({ token: config.admin.token, host: config.server.host });
  // Set once the app (and its logger) exists; keys are only used after it listens.
  let reportTouchFailure: (error: unknown) => void = () => {};
  const authenticator = createApiKeyAuthenticator({
    store,
    pepper: options.keyPepper,
    onKeyUsed: (keyId, at) => {
      store.touchApiKey(keyId, at).catch((error: unknown) => reportTouchFailure(error));
    },
  });
  const startedAt = new Date();
  // What only this instance listens on: two instances on one host and port but on different
  // addresses (an internal and a public one) must not release each other's holds when one restarts.
  // A port-0 (ephemeral) instance has no stable identity to reclaim holds under after a restart.
  const instanceId =
    config.server.instanceId ??
    `${hostname()}/${config.server.host}:${config.server.port === 0 ? randomUUID() : config.server.port}`;
  const upstream = createUpstreamClient(config.upstream);
  const catalog = createModelCatalog(config.models);
  const routing = createRouting({ catalog, config: config.routing, wallClock: Date.now });
  const metrics = config.metrics.enabled
    ? createGatewayMetrics({
        currency: config.billing.currency,
        health: routing.health,
        monotonicMs: () => performance.now(),
      })
    : undefined;
  const app = await createApp({
    config,
    catalog,
    health: routing.health,
    ...(metrics === undefined ? {} : { metrics }),
    pipeline: createChatPipeline({
      ...(metrics === undefined ? {} : { metrics }),
      catalog,
      ...routing,
      defaultTimeouts: {
        connectMs: config.upstream.connectTimeoutMs,
        firstByteMs: config.upstream.headersTimeoutMs,
        idleMs: config.upstream.bodyIdleTimeoutMs,
        totalMs: config.upstream.totalTimeoutMs,
      },
      providers: providerConnections(config),
      adapters: PROVIDER_ADAPTERS,
      upstream,
      ledger: store,
      billing: config.billing,
      instanceId,
      clock: { monotonicMs: () => performance.now(), now: () => new Date() },
    }),
    authenticator,
    keyPepper: options.keyPepper,
    onKeysChanged: () => authenticator.invalidate(),
    readinessChecks: [{ name: 'database', check: () => store.ping() }],
    store,
    ...(options.logging === undefined ? {} : { logging: options.logging }),
    ...(options.logStream === undefined ? {} : { logStream: options.logStream }),
  });
  // Holds left open by a crash are released before serving, then swept periodically (I7).
  const sweeper = startHoldSweeper({
    store,
    intervalMs: config.billing.sweepIntervalSeconds * 1000,
    onError: (error) => app.log.error({ err: error }, 'hold sweep failed'),
  });
  await sweeper.sweepNow();
  reportTouchFailure = (error) =>
    app.log.warn({ err: error }, 'could not record when an API key was last used');
  try {
    await app.listen({
      host: config.server.host,
      port: options.port ?? config.server.port,
      backlog: LISTEN_BACKLOG,
    });
  } catch (error) {
    sweeper.stop();
    await app.close();
    await upstream.close();
    throw error;
  }
  // Holds this instance's previous run left open when it died are released once this process owns
  // the port: a second start of a live instance on its host and port fails to listen, and must not
  // release the holds of the requests that instance is still serving.
  // Holds made by requests accepted since listening are newer than `startedAt` and stay open.
  const recovered = await store.voidAbandonedHolds({ owner: instanceId, createdBefore: startedAt });
  if (recovered > 0) app.log.warn({ recovered, instanceId }, 'released holds left by a crash');
  let metricsListener: MetricsListener | undefined;
  if (metrics !== undefined && config.metrics.port !== undefined) {
    metricsListener = await startMetricsListener({
      metrics,
      host: config.metrics.host,
      port: config.metrics.port,
    });
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    app,
    url: `http://${host}:${address.port}`,
    ...(metricsListener === undefined ? {} : { metricsUrl: metricsListener.url }),
    async close() {
      sweeper.stop();
      await metricsListener?.close();
      await app.close();
      await upstream.close();
    },
  };
}

function providerConnections(config: GatewayConfig): Map<string, ProviderConnection> {
  return new Map(
    Object.entries(config.providers).map(([name, provider]) => [
      name,
      {
        name,
        type: provider.type,
        baseUrl: provider.baseUrl.replace(/\/+$/, ''),
        apiKey: provider.apiKey,
        headers: provider.headers,
      },
    ]),
  );
}
