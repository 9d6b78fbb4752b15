import { join } from 'node:path';
import { issueApiKey } from '../../src/accounting/issue-api-key.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { startGateway } from '../../src/start-gateway.ts';
import { openStore } from '../../src/storage/open-store.ts';
import { BENCH_KEY_PEPPER, INSTANT_OPENAI_MODEL, PACED_OPENAI_MODEL } from '../bench-models.ts';
import { failChildStart, serveBenchChild } from '../child/serve-bench-child.ts';

/**
 * Child process: the Shepherd gateway as `shepherd start` composes it, on a SQLite file (WAL) in
 * the directory argv[3], every built-in provider routed to the simulator at argv[2], logs off.
 */
async function main() {
  const [simulatorUrl, dataDirectory] = process.argv.slice(2);
  if (simulatorUrl === undefined || dataDirectory === undefined) {
    throw new Error('usage: gateway-child.ts <simulator url> <data directory>');
  }
  const { config } = loadConfig({
    env: {},
    simulatorUrl,
    overrides: { port: 0, databaseUrl: `sqlite:${join(dataDirectory, 'shepherd-bench.db')}` },
  });
  const template = config.models.find((model) => model.id === INSTANT_OPENAI_MODEL);
  if (template === undefined)
    throw new Error(`the built-in catalogue lacks ${INSTANT_OPENAI_MODEL}`);
  const route = template.routes[0];
  if (route === undefined) throw new Error(`${INSTANT_OPENAI_MODEL} has no route`);
  config.models.push({
    ...template,
    id: PACED_OPENAI_MODEL,
    aliases: [],
    routes: [{ provider: route.provider, model: PACED_OPENAI_MODEL }],
  });
  const store = await openStore({ url: config.database.url });
  const gateway = await startGateway({
    config,
    store,
    keyPepper: BENCH_KEY_PEPPER,
    logging: false,
    port: 0,
  });
  const issued = await issueApiKey({
    store,
    pepper: BENCH_KEY_PEPPER,
    accountName: 'bench',
    keyName: 'bench',
  });
  serveBenchChild({
    info: { url: gateway.url, apiKey: issued.key },
    async stop() {
      await gateway.close();
      await store.close();
    },
  });
}

main().catch(failChildStart);
