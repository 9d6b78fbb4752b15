import type { Command } from 'commander';
import { formatMicros } from '../accounting/format-micros.ts';
import { openAccount } from '../accounting/open-account.ts';
import { parseScaledDecimal } from '../accounting/parse-scaled-decimal.ts';
import { setAccountDisabled } from '../accounting/set-account-disabled.ts';
import type { CommonOptions } from './load-cli-config.ts';
import { withCliStore, withCommonOptions } from './with-cli-store.ts';

/** `shepherd accounts list|create|show|disable|enable`: the customers credits belong to. */
export function registerAccountsCommand(program: Command): void {
  const accounts = program
    .command('accounts')
    .description('list, create, show, disable and enable accounts');

  withCommonOptions(accounts.command('list'))
    .description('list accounts with their balances')
    .action(async (options: CommonOptions) => {
      await withCliStore(options, async ({ store, config }) => {
        const currency = config.billing.currency;
        const rows = [];
        for (const account of await store.listAccounts()) {
          const balance = await store.getBalance(account.id);
          rows.push({
            id: account.id,
            name: account.name,
            status: account.disabledAt === null ? 'active' : 'disabled',
            available: formatMicros(balance.availableMicros, currency),
            held: formatMicros(balance.heldMicros, currency),
          });
        }
        if (rows.length === 0) process.stdout.write('No accounts.\n');
        else console.table(rows);
      });
    });

  withCommonOptions(accounts.command('create'))
    .description('open an account (credited the configured signup bonus once)')
    .argument('<name>')
    .action(async (name: string, options: CommonOptions) => {
      await withCliStore(options, async ({ store, config }) => {
        if ((await store.getAccountByName(name)) !== undefined) {
          throw new Error(`an account named "${name}" already exists`);
        }
        const bonus = parseScaledDecimal(config.billing.signupBonus);
        const account = await openAccount({ store, name, signupBonusMicros: bonus });
        const balance = await store.getBalance(account.id);
        process.stdout.write(
          `Account ${account.id} "${name}" created. Balance: ${formatMicros(balance.availableMicros, config.billing.currency)}${bonus > 0n ? ' (signup bonus)' : ''}.\n`,
        );
      });
    });

  withCommonOptions(accounts.command('show'))
    .description("show an account's balance and keys")
    .argument('<name>')
    .action(async (name: string, options: CommonOptions) => {
      await withCliStore(options, async ({ store, config, requireAccount }) => {
        const account = await requireAccount(name);
        const balance = await store.getBalance(account.id);
        const keys = await store.listApiKeys({ accountId: account.id });
        const money = (micros: bigint) => formatMicros(micros, config.billing.currency);
        process.stdout.write(
          `${[
            `Account:   ${account.name} (${account.id})`,
            `Status:    ${account.disabledAt === null ? 'active' : `disabled since ${account.disabledAt.toISOString()}`}`,
            `Created:   ${account.createdAt.toISOString()}`,
            `Available: ${money(balance.availableMicros)}`,
            `Posted:    ${money(balance.postedMicros)}`,
            `Held:      ${money(balance.heldMicros)}`,
            `Keys:      ${keys.filter((key) => key.revokedAt === null).length} active, ${keys.length} in all`,
          ].join('\n')}\n`,
        );
      });
    });

  for (const action of ['disable', 'enable'] as const) {
    withCommonOptions(accounts.command(action))
      .description(
        action === 'disable'
          ? 'disable an account: its keys and console users stop (its credit is kept)'
          : 'enable a disabled account again',
      )
      .argument('<name>')
      .action(async (name: string, options: CommonOptions) => {
        await withCliStore(options, async ({ store, requireAccount }) => {
          const account = await requireAccount(name);
          await setAccountDisabled({
            store,
            accountId: account.id,
            disabled: action === 'disable',
          });
          process.stdout.write(`Account "${name}" ${action}d.\n`);
        });
      });
  }
}
