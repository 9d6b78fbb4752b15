import type { Command } from 'commander';
import { issueApiKey } from '../accounting/issue-api-key.ts';
import { parseScaledDecimal } from '../accounting/parse-scaled-decimal.ts';
import { builtInProvidersWithoutKey } from '../config/default-catalog.ts';
import { isLoopbackHost } from '../server/admin/assert-safe-admin-token.ts';
import { startGateway } from '../start-gateway.ts';
import { openStore } from '../storage/open-store.ts';
import { loadCliConfig } from './load-cli-config.ts';
import { parseCliPort } from './parse-cli-input.ts';
import { printStartBanner } from './print-start-banner.ts';
import { resolveKeyPepper } from './resolve-key-pepper.ts';

interface StartOptions {
  config?: string;
  database?: string;
  host?: string;
  port?: number;
  simulator?: boolean;
}

const PROVIDER_KEY_VARIABLES = [
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'GEMINI_API_KEY',
  'GOOGLE_API_KEY',
  'DEEPSEEK_API_KEY',
];

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('start the gateway (with the built-in simulator when no provider keys are set)')
    .option('-c, --config <path>', 'YAML configuration file (default: SHEPHERD_CONFIG or built-in)')
    .option(
      '--database <url>',
      'database URL: sqlite:<path> or postgres://… (default: SHEPHERD_DATABASE_URL or config)',
    )
    .option('--host <host>', 'address to listen on')
    .option('-p, --port <port>', 'port to listen on', parseCliPort)
    .option('--simulator', 'route every built-in provider to the simulator, even when keys are set')
    .action(async (options: StartOptions) => {
      await runStart(options);
    });
}

async function runStart(options: StartOptions): Promise<void> {
  // Whether the providers are the built-in ones is the loaded config's to say, not whether a config
  // path was given: a file with no `providers` section uses them too.
  const { builtInProviders, config: firstLook } = loadCliConfig(options);
  if (options.simulator === true && !builtInProviders) {
    throw new Error(
      `--simulator routes the built-in providers to the simulator, but ${options.config ?? process.env.SHEPHERD_CONFIG} declares its own providers section: drop --simulator, or remove that section (or point its baseUrls at \`shepherd simulate\`)`,
    );
  }
  const environment = options.simulator === true ? withoutProviderKeys(process.env) : process.env;
  // Gemini's key may be in either of two variables: with one set, it needs no simulator.
  const withoutKey = builtInProviders ? builtInProvidersWithoutKey(environment) : [];
  // Users beyond loopback pay for what they are served: a gateway with some real providers does
  // not fill in the others with simulated answers there; their models are left out instead. A
  // developer's loopback gateway, and one with no key at all (a demo), keep the simulator.
  const leaveOutProvidersWithoutKey =
    withoutKey.length > 0 &&
    withoutKey.length < Object.keys(firstLook.providers).length &&
    !isLoopbackHost(firstLook.server.host);
  const needsSimulator = withoutKey.length > 0 && !leaveOutProvidersWithoutKey;
  // Loaded only when used: a gateway with real providers never carries the simulator's code.
  const simulator = needsSimulator
    ? await (await import('../simulator/start-simulator.ts')).startSimulator({
        latency: 'realistic',
      })
    : undefined;
  const { config, simulatedProviders, leftOutProviders } = loadCliConfig({
    ...options,
    env: environment,
    ...(simulator === undefined ? {} : { simulatorUrl: simulator.url }),
    leaveOutProvidersWithoutKey,
  });
  const store = await openStore({ url: config.database.url });
  const keyPepper = resolveKeyPepper({
    configured: config.security.keyPepper,
    databaseUrl: config.database.url,
  });
  const gateway = await startGateway({ config, store, keyPepper });

  const allSimulated = simulatedProviders.length === Object.keys(config.providers).length;
  const demoKey = allSimulated
    ? await issueApiKey({
        store,
        pepper: keyPepper,
        accountName: 'demo',
        keyName: 'demo',
        replaceSameName: true,
        signupBonusMicros: parseScaledDecimal(config.billing.signupBonus),
      })
    : undefined;
  printStartBanner({
    baseUrl: `${gateway.url}/v1`,
    simulatedProviders,
    leftOutProviders,
    realProviders: Object.keys(config.providers).filter(
      (name) => !simulatedProviders.includes(name),
    ),
    demoKey: demoKey?.key,
    exampleModel: config.models[0]?.id ?? 'gpt-4.1',
    storeOptions: {
      ...(options.config === undefined ? {} : { config: options.config }),
      ...(options.database === undefined ? {} : { database: options.database }),
    },
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    gateway.app.log.info({ signal }, 'shutting down');
    await gateway.close();
    await simulator?.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

function withoutProviderKeys(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of PROVIDER_KEY_VARIABLES) delete copy[name];
  return copy;
}
