import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { issueApiKey } from '../../src/accounting/issue-api-key.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { startGateway } from '../../src/start-gateway.ts';
import { openStore } from '../../src/storage/open-store.ts';
import {
  BENCH_KEY_PEPPER,
  FAILING_UPSTREAM_MODEL,
  FAILOVER_MODEL,
  INSTANT_OPENAI_MODEL,
  PACED_OPENAI_MODEL,
  SLOW_STREAM_MODEL,
} from '../bench-models.ts';
import { failChildStart, serveBenchChild } from '../child/serve-bench-child.ts';

/**
 * Credit for the bench account: far more than a whole run spends (a run sends at most a few million
 * requests at about ₩0.24 each, with 50 holds of about ₩46 open at a time), so no request is ever
 * refused with 402 and every measured request is a billed one.
 */
const BENCH_CREDIT_MICROS = 1_000_000_000n * 1_000_000n;

/**
 * Child process: the Shepherd gateway as `shepherd start` composes it, everything on: API-key
 * auth on a SQLite file (WAL) in the directory argv[3], billing, Prometheus metrics, and request
 * logs at the configured level (`info`: two JSON lines per request) written to a file beside the
 * database, so serializing and writing them is measured. Every built-in provider is routed to the
 * simulator at argv[2]. `--billing=off` (argv[4]) sets `billing.enabled: false` and uses a database
 * and log file of its own.
 */
async function main() {
  const [simulatorUrl, dataDirectory, billingFlag] = process.argv.slice(2);
  if (
    simulatorUrl === undefined ||
    dataDirectory === undefined ||
    (billingFlag !== undefined && billingFlag !== '--billing=off')
  ) {
    throw new Error('usage: gateway-child.ts <simulator url> <data directory> [--billing=off]');
  }
  const billing = billingFlag === undefined;
  const { config } = loadConfig({
    env: {},
    simulatorUrl,
    overrides: {
      port: 0,
      databaseUrl: `sqlite:${join(dataDirectory, billing ? 'shepherd-bench.db' : 'shepherd-bench-unbilled.db')}`,
    },
  });
  config.billing.enabled = billing;
  if (!config.metrics.enabled) throw new Error('metrics are off in the default config');
  const template = config.models.find((model) => model.id === INSTANT_OPENAI_MODEL);
  if (template === undefined)
    throw new Error(`the built-in catalogue lacks ${INSTANT_OPENAI_MODEL}`);
  const route = template.routes[0];
  if (route === undefined) throw new Error(`${INSTANT_OPENAI_MODEL} has no route`);
  for (const id of [PACED_OPENAI_MODEL, SLOW_STREAM_MODEL]) {
    config.models.push({ ...template, id, aliases: [], routes: [{ ...route, model: id }] });
  }
  // Every request to this model fails over once: its only deployment always answers 503.
  config.models.push({
    ...template,
    id: FAILOVER_MODEL,
    aliases: [],
    routes: [{ ...route, model: FAILING_UPSTREAM_MODEL }],
    fallbacks: [INSTANT_OPENAI_MODEL],
  });
  // The failing deployment must keep being tried (an open breaker would skip it, measuring nothing).
  config.routing.circuitBreaker.consecutiveFailures = Number.MAX_SAFE_INTEGER;
  config.routing.circuitBreaker.minimumAttempts = Number.MAX_SAFE_INTEGER;
  const store = await openStore({ url: config.database.url });
  const logStream = createWriteStream(
    join(dataDirectory, billing ? 'gateway.log' : 'gateway-unbilled.log'),
  );
  const gateway = await startGateway({
    config,
    store,
    keyPepper: BENCH_KEY_PEPPER,
    logging: true,
    logStream,
    port: 0,
  });
  const issued = await issueApiKey({
    store,
    pepper: BENCH_KEY_PEPPER,
    accountName: 'bench',
    keyName: 'bench',
  });
  await store.postCredit({
    kind: 'top_up',
    accountId: issued.accountId,
    amountMicros: BENCH_CREDIT_MICROS,
    idempotencyKey: `bench-credit:${issued.accountId}`,
  });
  serveBenchChild({
    info: { url: gateway.url, apiKey: issued.key, logLevel: config.server.logLevel },
    handlers: {
      // Proof for the report that logging really ran: the bytes of log lines written so far.
      'log-bytes': async () => logStream.bytesWritten + logStream.writableLength,
    },
    async stop() {
      await gateway.close();
      await store.close();
      await new Promise<void>((resolve) => logStream.end(resolve));
    },
  });
}

main().catch(failChildStart);
