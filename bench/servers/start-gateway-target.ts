import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import * as z from 'zod';
import { issueApiKey } from '../../src/accounting/issue-api-key.ts';
import type { GatewayConfig } from '../../src/config/config-schema.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { openStore } from '../../src/storage/open-store.ts';
import { safeParseJson } from '../../src/util/safe-parse-json.ts';
import {
  BENCH_KEY_PEPPER,
  FAILING_UPSTREAM_MODEL,
  FAILOVER_MODEL,
  INSTANT_OPENAI_MODEL,
  PACED_OPENAI_MODEL,
  SLOW_STREAM_MODEL,
} from '../bench-models.ts';
import type { BenchPrograms } from '../child/build-bench-programs.ts';
import type { ChildGroup } from '../child/create-child-group.ts';
import type { BenchChild } from '../child/spawn-bench-child.ts';
import { freeLoopbackPort } from './free-loopback-port.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Credit for the bench account: far more than a whole run spends (a run sends at most a few million
 * requests at about ₩0.24 each, with 50 holds of about ₩46 open at a time), so no request is ever
 * refused with 402 and every measured request is a billed one.
 */
const BENCH_CREDIT_MICROS = 1_000_000_000n * 1_000_000n;

/**
 * `npm start` is `node [flags] dist/shepherd.mjs start`: the gateway under test runs with the same
 * node flags, so the bench measures what a user runs. A start script of another shape stops the
 * bench rather than measuring something else.
 */
export function readStartNodeFlags(): string[] {
  const text = readFileSync(join(REPOSITORY_ROOT, 'package.json'), 'utf8');
  const json = safeParseJson(text);
  if (!json.ok) throw new Error(`package.json is not JSON: ${json.error}`);
  const manifest = z.object({ scripts: z.object({ start: z.string() }) }).parse(json.value);
  const match = /^node((?:\s+--[^\s]+)*)\s+dist\/shepherd\.mjs start$/.exec(manifest.scripts.start);
  if (match === null) {
    throw new Error(
      `package.json's start script is not \`node [flags] dist/shepherd.mjs start\`: ${manifest.scripts.start}`,
    );
  }
  return (match[1] ?? '').trim().split(/\s+/).filter(Boolean);
}

/**
 * The built-in configuration with every provider routed to the simulator, plus the bench's models:
 * paced and slow copies of `gpt-4.1`, and `bench-failover`, whose only deployment always fails
 * over to `gpt-4.1`. Metrics stay on (the default); request logs at `info`.
 */
function benchConfig(options: {
  upstreamUrl: string;
  databaseUrl: string;
  billing: boolean;
}): GatewayConfig {
  const { config } = loadConfig({
    env: {},
    simulatorUrl: options.upstreamUrl,
    overrides: { host: '127.0.0.1', port: 0, databaseUrl: options.databaseUrl },
  });
  config.billing.enabled = options.billing;
  config.security.keyPepper = BENCH_KEY_PEPPER;
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
  return config;
}

/**
 * The settings of `config` that differ from `defaults`, section by section: a section's entries
 * (a setting, a provider, the model list) are kept whole when they differ at all, so a provider
 * keeps its required `type` beside the base URL that changed.
 */
function differencesFrom(config: GatewayConfig, defaults: GatewayConfig): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  const defaultSections: Record<string, unknown> = { ...defaults };
  for (const [name, section] of Object.entries(config)) {
    const defaultSection = defaultSections[name];
    if (JSON.stringify(section) === JSON.stringify(defaultSection)) continue;
    if (!isPlainObject(section) || !isPlainObject(defaultSection)) {
      kept[name] = section;
      continue;
    }
    const entries: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(section)) {
      if (JSON.stringify(entry) !== JSON.stringify(defaultSection[key])) entries[key] = entry;
    }
    kept[name] = entries;
  }
  return kept;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The environment `shepherd start` gets: the bench's, without SHEPHERD_* settings that would override the file. */
function gatewayEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SHEPHERD_')),
  );
}

/**
 * Starts the Shepherd gateway under test the way users run it: `node [npm start's flags]
 * dist/shepherd.mjs start --config <file>`, everything on (API-key auth on a SQLite file in WAL
 * mode in `dataDirectory`, billing unless `billing` is false, Prometheus metrics, request logs at
 * `info` on stdout, which goes to a file beside the database). The bench account and its key are
 * made in that database before the start, and the IPC preload lets the bench read the process's
 * CPU and memory. `fromSources` runs src/cli/main.ts through tsx instead (profiling: functions
 * keep their source files).
 */
export async function startGatewayTarget(options: {
  children: ChildGroup;
  programs: BenchPrograms;
  name: string;
  /** Names its files in `dataDirectory` (database, config, log): one per gateway process. */
  fileName: string;
  upstreamUrl: string;
  dataDirectory: string;
  billing: boolean;
  cpus: string;
  nodeFlags?: string[];
  fromSources?: boolean;
  /** Another build of the gateway to run instead of dist/shepherd.mjs (compare-gateways.ts). */
  script?: string;
}): Promise<BenchChild> {
  const { fileName } = options;
  const config = benchConfig({
    upstreamUrl: options.upstreamUrl,
    databaseUrl: `sqlite:${join(options.dataDirectory, `${fileName}.db`)}`,
    billing: options.billing,
  });
  const configPath = join(options.dataDirectory, `${fileName}.yaml`);
  // Only what differs from the defaults: an older build (`compare-gateways --base`) refuses keys
  // its schema does not know yet, and settings added since then are at their defaults here.
  writeFileSync(configPath, stringify(differencesFrom(config, loadConfig({ env: {} }).config)));
  const store = await openStore({ url: config.database.url });
  let apiKey: string;
  try {
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
    apiKey = issued.key;
  } finally {
    await store.close();
  }
  const port = await freeLoopbackPort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = openSync(join(options.dataDirectory, `${fileName}.log`), 'w');
  try {
    return await options.children.spawn({
      name: options.name,
      script:
        options.fromSources === true
          ? join(REPOSITORY_ROOT, 'src/cli/main.ts')
          : (options.script ?? options.programs.gateway),
      args: ['start', '--config', configPath, '--host', '127.0.0.1', '--port', String(port)],
      nodeFlags: [
        ...readStartNodeFlags(),
        ...(options.nodeFlags ?? []),
        '--import',
        pathToFileURL(options.programs.script('child/gateway-ipc-preload.ts')).href,
        ...(options.fromSources === true ? ['--import', 'tsx'] : []),
      ],
      cpus: options.cpus,
      stdout: logFile,
      env: gatewayEnvironment(),
      readyUrl: `${url}/healthz`,
      info: { url, apiKey, logLevel: config.server.logLevel },
    });
  } finally {
    closeSync(logFile);
  }
}
