import { randomBytes } from 'node:crypto';
import { issueApiKey } from '../accounting/issue-api-key.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLatencyResolver, type LatencySetting } from '../simulator/latency-profile.ts';
import { startSimulator } from '../simulator/start-simulator.ts';
import { startGateway } from '../start-gateway.ts';
import { openStore } from '../storage/open-store.ts';
import type { BenchTarget } from './bench-types.ts';

export interface SimulatedBenchTargets {
  /** Through the gateway, then straight to the simulator: the same requests on both. */
  targets: [BenchTarget, BenchTarget];
  /** What answers upstream, for the report's heading. */
  upstream: string;
  close(): Promise<void>;
}

/** Far more credit than any benchmark spends, so no request meets 402. */
const BENCH_CREDIT_MICROS = 10_000_000_000n * 1_000_000n;

/**
 * Starts the bundled provider simulator and a gateway in front of it on loopback ports, with an
 * in-memory SQLite store and one funded API key that exist only for this run. The direct target is
 * the simulator's OpenAI-compatible endpoint with the gateway's upstream name for `model`.
 */
export async function startSimulatedBenchTargets(options: {
  model: string;
  directModel: string | undefined;
  latency: LatencySetting;
}): Promise<SimulatedBenchTargets> {
  const simulator = await startSimulator({ latency: options.latency });
  const closers: Array<() => Promise<void>> = [() => simulator.close()];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
  };
  try {
    const { config } = loadConfig({
      env: {},
      simulatorUrl: simulator.url,
      overrides: { host: '127.0.0.1', port: 0, databaseUrl: 'sqlite::memory:' },
    });
    const entry = config.models.find(
      (model) => model.id === options.model || model.aliases.includes(options.model),
    );
    if (entry === undefined) {
      const known = config.models.map((model) => model.id).join(', ');
      throw new Error(`--model ${options.model} is not a built-in model (${known})`);
    }
    const store = await openStore({ url: config.database.url });
    closers.push(() => store.close());
    const pepper = randomBytes(32).toString('hex');
    const gateway = await startGateway({ config, store, keyPepper: pepper, logging: false });
    closers.push(() => gateway.close());
    const issued = await issueApiKey({ store, pepper, accountName: 'bench', keyName: 'bench' });
    await store.postCredit({
      kind: 'top_up',
      accountId: issued.accountId,
      amountMicros: BENCH_CREDIT_MICROS,
      idempotencyKey: `bench-top-up:${issued.accountId}`,
    });
    const directModel = options.directModel ?? entry.routes[0]?.model ?? options.model;
    return {
      upstream: describeSimulator(options.latency, directModel),
      targets: [
        {
          name: 'gateway',
          baseUrl: `${gateway.url}/v1`,
          apiKey: issued.key,
          model: options.model,
        },
        {
          name: 'direct',
          baseUrl: `${simulator.url}/v1`,
          apiKey: 'simulator',
          model: directModel,
        },
      ],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function describeSimulator(latency: LatencySetting, model: string): string {
  const profile = createLatencyResolver({ latency, profiles: {} })(model);
  const name = typeof latency === 'string' ? `${latency} latency` : 'custom latency';
  if (latency === 'instant') return `Shepherd's provider simulator, instant latency`;
  return (
    `Shepherd's provider simulator, ${name} (${model}: ${profile.timeToFirstTokenMs} ms to first ` +
    `token, ${profile.tokensPerSecond} tokens/s)`
  );
}
