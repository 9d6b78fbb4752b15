import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type * as z from 'zod';
import { isRecord } from '../util/safe-parse-json.ts';
import { configSchema, type GatewayConfig, type GatewayConfigInput } from './config-schema.ts';
import {
  builtInProviderKey,
  DEFAULT_MODELS,
  DEFAULT_PROVIDERS,
  type DefaultProviderName,
  simulatorBaseUrl,
} from './default-catalog.ts';

/** A configuration that cannot be used; the message lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  /** YAML file path; when absent the built-in defaults are used. */
  path?: string;
  env: Record<string, string | undefined>;
  /**
   * Where the built-in simulator listens. Built-in providers whose key is not in `env` are routed
   * there; without it they keep their real base URL (and will answer 401).
   */
  simulatorUrl?: string;
  /**
   * Built-in providers whose key is not in `env` are left out, with the built-in models they
   * serve, instead of being simulated or called without a key (`simulatorUrl` is then ignored).
   */
  leaveOutProvidersWithoutKey?: boolean;
  /** Values applied over the file (command-line flags). */
  overrides?: {
    host?: string;
    port?: number;
    databaseUrl?: string;
    adminToken?: string;
    keyPepper?: string;
  };
}

export interface LoadedConfig {
  config: GatewayConfig;
  /** Built-in providers routed to the simulator because no key was set. */
  simulatedProviders: string[];
  /** Whether the providers are the built-in ones: the file has no `providers` section (or no file). */
  builtInProviders: boolean;
  /** Built-in providers left out because no key was set (`leaveOutProvidersWithoutKey`). */
  leftOutProviders: string[];
}

/** Reads, substitutes `${VAR}` / `${VAR:-default}`, fills defaults and validates a configuration. */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const problems: string[] = [];
  let raw: unknown = {};
  if (options.path !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.path, 'utf8');
    } catch (error) {
      throw new ConfigError([`cannot read ${options.path}: ${(error as Error).message}`]);
    }
    try {
      raw = parseYaml(text) ?? {};
    } catch (error) {
      throw new ConfigError([`${options.path} is not valid YAML: ${(error as Error).message}`]);
    }
    if (!isRecord(raw)) throw new ConfigError([`${options.path} must hold a YAML mapping`]);
    raw = substituteVariables(raw, options.env, [], problems);
  }
  const file = isRecord(raw) ? raw : {};
  const simulatedProviders: string[] = [];
  const leftOutProviders: string[] = [];
  const input: Record<string, unknown> = { ...file };
  if (file.providers === undefined) {
    input.providers = defaultProviders(options, simulatedProviders, leftOutProviders);
  }
  if (file.models === undefined) {
    input.models = DEFAULT_MODELS.filter((model) =>
      model.routes.every((route) => !leftOutProviders.includes(route.provider)),
    );
  }
  applyOverrides(input, options.overrides);

  const result = configSchema.safeParse(input);
  if (!result.success) problems.push(...formatIssues(result.error.issues));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return {
    config: result.data,
    simulatedProviders,
    builtInProviders: file.providers === undefined,
    leftOutProviders,
  };
}

function defaultProviders(
  options: LoadConfigOptions,
  simulated: string[],
  leftOut: string[],
): NonNullable<GatewayConfigInput['providers']> {
  const providers: NonNullable<GatewayConfigInput['providers']> = {};
  for (const name of Object.keys(DEFAULT_PROVIDERS) as DefaultProviderName[]) {
    const entry = DEFAULT_PROVIDERS[name];
    const apiKey = builtInProviderKey(name, options.env);
    if (apiKey === undefined && options.leaveOutProvidersWithoutKey === true) {
      leftOut.push(name);
    } else if (apiKey === undefined && options.simulatorUrl !== undefined) {
      simulated.push(name);
      providers[name] = {
        type: entry.type,
        baseUrl: simulatorBaseUrl(name, options.simulatorUrl),
        apiKey: 'simulator',
      };
    } else providers[name] = { type: entry.type, baseUrl: entry.baseUrl, apiKey: apiKey ?? '' };
  }
  return providers;
}

function applyOverrides(input: Record<string, unknown>, overrides: LoadConfigOptions['overrides']) {
  if (overrides === undefined) return;
  const server = isRecord(input.server) ? { ...input.server } : {};
  if (overrides.host !== undefined) server.host = overrides.host;
  if (overrides.port !== undefined) server.port = overrides.port;
  input.server = server;
  if (overrides.adminToken !== undefined) {
    input.admin = { ...(isRecord(input.admin) ? input.admin : {}), token: overrides.adminToken };
  }
  if (overrides.keyPepper !== undefined) {
    const security = isRecord(input.security) ? input.security : {};
    input.security = { ...security, keyPepper: overrides.keyPepper };
  }
  if (overrides.databaseUrl !== undefined) {
    const database = isRecord(input.database) ? { ...input.database } : {};
    database.url = overrides.databaseUrl;
    input.database = database;
  }
}

const VARIABLE_PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

function substituteVariables(
  value: unknown,
  env: Record<string, string | undefined>,
  path: Array<string | number>,
  problems: string[],
): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE_PATTERN, (_match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push(
        found === undefined
          ? `${formatPath(path)}: environment variable ${name} is not set`
          : `${formatPath(path)}: environment variable ${name} is empty (write \${${name}:-} to allow an empty value)`,
      );
      return '';
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => substituteVariables(item, env, [...path, index], problems));
  }
  if (isRecord(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[key] = substituteVariables(item, env, [...path, key], problems);
    }
    return result;
  }
  return value;
}

function formatIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

export type { GatewayConfig };
