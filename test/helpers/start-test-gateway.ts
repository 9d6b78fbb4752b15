import { issueApiKey } from '../../src/accounting/issue-api-key.ts';
import type { GatewayConfig } from '../../src/config/config-schema.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import type { LatencyProfile } from '../../src/simulator/latency-profile.ts';
import { type RunningSimulator, startSimulator } from '../../src/simulator/start-simulator.ts';
import { type RunningGateway, startGateway } from '../../src/start-gateway.ts';
import { openStore } from '../../src/storage/open-store.ts';
import type { Store } from '../../src/storage/store.ts';

export interface TestGateway {
  gateway: RunningGateway;
  simulator: RunningSimulator;
  store: Store;
  config: GatewayConfig;
  /** http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  apiKey: string;
  /** The account the API key spends from. */
  accountId: string;
  close(): Promise<void>;
}

const TEST_PEPPER = 'test-pepper-0123456789abcdef';

/**
 * A real gateway on a free loopback port, on in-memory SQLite, with every built-in provider routed
 * to an instant simulator, and one valid API key.
 */
export async function startTestGateway(
  options: {
    configure?: (config: GatewayConfig) => void;
    /** Latency profiles per upstream model name; every other model answers instantly. */
    simulatorProfiles?: Record<string, LatencyProfile>;
    /** Where the gateway's JSON log lines go; without it, nothing is logged. */
    logStream?: NodeJS.WritableStream;
  } = {},
): Promise<TestGateway> {
  const simulator = await startSimulator({
    latency: 'instant',
    ...(options.simulatorProfiles === undefined ? {} : { profiles: options.simulatorProfiles }),
  });
  const { config } = loadConfig({
    env: {},
    simulatorUrl: simulator.url,
    overrides: { port: 0, databaseUrl: 'sqlite::memory:' },
  });
  options.configure?.(config);
  const store = await openStore({ url: config.database.url });
  const gateway = await startGateway({
    config,
    store,
    keyPepper: TEST_PEPPER,
    ...(options.logStream === undefined ? { logging: false } : { logStream: options.logStream }),
  });
  const issued = await issueApiKey({
    store,
    pepper: TEST_PEPPER,
    accountName: 'test',
    keyName: 'e2e',
  });
  // Enough credit that no functional test runs into 402 (billing tests set their own balances).
  await store.postCredit({
    kind: 'top_up',
    accountId: issued.accountId,
    amountMicros: 10_000_000n * 1_000_000n,
    idempotencyKey: `test-top-up:${issued.accountId}`,
  });
  return {
    gateway,
    simulator,
    store,
    config,
    baseUrl: `${gateway.url}/v1`,
    apiKey: issued.key,
    accountId: issued.accountId,
    async close() {
      await gateway.close();
      await simulator.close();
      await store.close();
    },
  };
}
