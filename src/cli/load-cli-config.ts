import { type LoadedConfig, loadConfig } from '../config/load-config.ts';

export interface CommonOptions {
  config?: string;
  database?: string;
}

/**
 * Loads the config named by `--config` or SHEPHERD_CONFIG (or the built-in defaults), with
 * SHEPHERD_DATABASE_URL, SHEPHERD_ADMIN_TOKEN and SHEPHERD_KEY_PEPPER over the file's values.
 */
export function loadCliConfig(
  options: CommonOptions & {
    host?: string;
    port?: number;
    simulatorUrl?: string;
    leaveOutProvidersWithoutKey?: boolean;
    env?: NodeJS.ProcessEnv;
  },
): LoadedConfig {
  const path = options.config ?? process.env.SHEPHERD_CONFIG;
  const databaseUrl = options.database ?? process.env.SHEPHERD_DATABASE_URL;
  const overrides: NonNullable<Parameters<typeof loadConfig>[0]['overrides']> = {};
  if (options.host !== undefined) overrides.host = options.host;
  if (options.port !== undefined) overrides.port = options.port;
  if (databaseUrl !== undefined) overrides.databaseUrl = databaseUrl;
  const env = options.env ?? process.env;
  const adminToken = env.SHEPHERD_ADMIN_TOKEN;
  if (adminToken !== undefined) overrides.adminToken = adminToken;
  // Through the schema like the file's own, so a short or empty pepper is refused, not used.
  const keyPepper = env.SHEPHERD_KEY_PEPPER;
  if (keyPepper !== undefined) overrides.keyPepper = keyPepper;
  return loadConfig({
    env,
    overrides,
    ...(path === undefined ? {} : { path }),
    ...(options.simulatorUrl === undefined ? {} : { simulatorUrl: options.simulatorUrl }),
    ...(options.leaveOutProvidersWithoutKey === true ? { leaveOutProvidersWithoutKey: true } : {}),
  });
}
