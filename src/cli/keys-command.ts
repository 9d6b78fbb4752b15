import type { Command } from 'commander';
import { displayApiKey } from '../accounting/api-keys.ts';
import { issueApiKey } from '../accounting/issue-api-key.ts';
import { parseScaledDecimal } from '../accounting/parse-scaled-decimal.ts';
import type { CommonOptions } from './load-cli-config.ts';
import { openCliStore } from './open-cli-store.ts';
import { parseCliDate } from './parse-cli-input.ts';

interface CreateOptions extends CommonOptions {
  account: string;
  name: string;
  expires?: string;
}

/** `shepherd keys create|list|revoke`: API keys are shown once and stored only as digests. */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('create, list and revoke API keys');
  const common = (command: Command) =>
    command
      .option('-c, --config <path>', 'YAML configuration file')
      .option('--database <url>', 'database URL');

  common(keys.command('create'))
    .description('create an API key (printed once)')
    .option('-a, --account <name>', 'account the key spends from (created if missing)', 'default')
    .option('-n, --name <name>', 'a label for the key', 'default')
    .option('--expires <iso-date>', 'expiry, e.g. 2027-01-01T00:00:00Z')
    .action(async (options: CreateOptions) => {
      const expiresAt =
        options.expires === undefined ? undefined : parseCliDate(options.expires, '--expires');
      if (expiresAt !== undefined && expiresAt.getTime() <= Date.now()) {
        throw new Error('--expires: the date is in the past');
      }
      const { store, keyPepper, config } = await openCliStore(options);
      try {
        const issued = await issueApiKey({
          store,
          pepper: keyPepper,
          accountName: options.account,
          keyName: options.name,
          signupBonusMicros: parseScaledDecimal(config.billing.signupBonus),
          ...(expiresAt === undefined ? {} : { expiresAt }),
        });
        process.stdout.write(
          `${issued.key}\n\nKey ${issued.keyId} for account "${options.account}". Copy it now: it is not stored and cannot be shown again.\n`,
        );
      } finally {
        await store.close();
      }
    });

  common(keys.command('list'))
    .description('list API keys (prefix and last four characters only)')
    .option('-a, --account <name>', 'only this account')
    .action(async (options: CommonOptions & { account?: string }) => {
      const { store } = await openCliStore(options);
      try {
        const account =
          options.account === undefined ? undefined : await store.getAccountByName(options.account);
        if (options.account !== undefined && account === undefined) {
          throw new Error(`no account named "${options.account}"`);
        }
        const listed = await store.listApiKeys(
          account === undefined ? {} : { accountId: account.id },
        );
        const now = Date.now();
        const rows = [];
        for (const key of listed) {
          // As the admin API's encodeApiKey: the policy's expiry (keys policy --expires) wins.
          const policy = await store.getApiKeyPolicy(key.id);
          const expiresAt = policy?.expiresAt ?? key.expiresAt;
          rows.push({
            id: key.id,
            key: displayApiKey(key.prefix, key.lastFour),
            name: key.name,
            account: key.accountId,
            created: key.createdAt,
            status:
              key.revokedAt !== null
                ? 'revoked'
                : expiresAt !== null && expiresAt.getTime() <= now
                  ? 'expired'
                  : 'active',
          });
        }
        if (rows.length === 0) process.stdout.write('No API keys.\n');
        else console.table(rows);
      } finally {
        await store.close();
      }
    });

  common(keys.command('revoke'))
    .description('revoke an API key by its id or displayed prefix')
    .argument('<id-or-prefix>')
    .action(async (idOrPrefix: string, options: CommonOptions) => {
      const { store } = await openCliStore(options);
      try {
        const revoked = await store.revokeApiKey(idOrPrefix);
        if (!revoked) throw new Error(`no active key matches "${idOrPrefix}"`);
        process.stdout.write(`Revoked ${idOrPrefix}.\n`);
      } finally {
        await store.close();
      }
    });
}
