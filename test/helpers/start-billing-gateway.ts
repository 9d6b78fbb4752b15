import { issueApiKey } from '../../src/accounting/issue-api-key.ts';
import type { GatewayConfig } from '../../src/config/config-schema.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import type { LatencyProfile } from '../../src/simulator/latency-profile.ts';
import { type RunningSimulator, startSimulator } from '../../src/simulator/start-simulator.ts';
import { type RunningGateway, startGateway } from '../../src/start-gateway.ts';
import type { Store } from '../../src/storage/store.ts';

export const BILLING_TEST_PEPPER = 'billing-test-pepper-0123456789abcdef';

export interface BillingGateway {
  gateway: RunningGateway;
  simulator: RunningSimulator;
  config: GatewayConfig;
  /** http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  /** Closes the gateway and the simulator (not the store: its owner closes it). */
  close(): Promise<void>;
}

/**
 * A real gateway on a free loopback port over a store the caller opened (a SQLite file, a fresh
 * PostgreSQL schema), every built-in provider routed to an instant simulator. Unlike
 * startTestGateway it funds no account: billing tests make accounts with exact balances.
 */
export async function startBillingGateway(options: {
  store: Store;
  /** Latency per upstream model name; every other model answers instantly. */
  simulatorProfiles?: Record<string, LatencyProfile>;
  configure?: (config: GatewayConfig) => void;
}): Promise<BillingGateway> {
  const simulator = await startSimulator({
    latency: 'instant',
    ...(options.simulatorProfiles === undefined ? {} : { profiles: options.simulatorProfiles }),
  });
  const { config } = loadConfig({ env: {}, simulatorUrl: simulator.url, overrides: { port: 0 } });
  options.configure?.(config);
  const gateway = await startGateway({
    config,
    store: options.store,
    keyPepper: BILLING_TEST_PEPPER,
    logging: false,
  });
  return {
    gateway,
    simulator,
    config,
    baseUrl: `${gateway.url}/v1`,
    async close() {
      await gateway.close();
      await simulator.close();
    },
  };
}

export interface FundedAccount {
  key: string;
  keyId: string;
  accountId: string;
}

/** A new account with a key and exactly `balanceMicros` of credit (no signup bonus). */
export async function openFundedAccount(options: {
  store: Store;
  name: string;
  balanceMicros: bigint;
  pepper?: string;
}): Promise<FundedAccount> {
  const issued = await issueApiKey({
    store: options.store,
    pepper: options.pepper ?? BILLING_TEST_PEPPER,
    accountName: options.name,
    keyName: `${options.name}-key`,
  });
  if (options.balanceMicros > 0n) {
    await options.store.postCredit({
      kind: 'top_up',
      accountId: issued.accountId,
      amountMicros: options.balanceMicros,
      idempotencyKey: `billing-test-top-up:${issued.accountId}`,
    });
  }
  return { key: issued.key, keyId: issued.keyId, accountId: issued.accountId };
}
