import type { Command } from 'commander';
import type { GatewayConfig } from '../config/config-schema.ts';
import type { Account, Store } from '../storage/store.ts';
import type { CommonOptions } from './load-cli-config.ts';
import { openCliStore } from './open-cli-store.ts';

export interface CliStore {
  store: Store;
  keyPepper: string;
  config: GatewayConfig;
  /** The account with this name, or an error that says there is none. */
  requireAccount(name: string): Promise<Account>;
}

/** Opens the configured store for one command and closes it whatever happens. */
export async function withCliStore<T>(
  options: CommonOptions,
  action: (opened: CliStore) => Promise<T>,
): Promise<T> {
  const { store, keyPepper, config } = await openCliStore(options);
  try {
    return await action({
      store,
      keyPepper,
      config,
      async requireAccount(name) {
        const account = await store.getAccountByName(name);
        if (account === undefined) {
          throw new Error(`no account named "${name}" (shepherd accounts list shows them)`);
        }
        return account;
      },
    });
  } finally {
    await store.close();
  }
}

/** Adds `--config` and `--database` to a command, as every store-backed command has them. */
export function withCommonOptions(command: Command): Command {
  return command
    .option('-c, --config <path>', 'YAML configuration file')
    .option('--database <url>', 'database URL');
}
