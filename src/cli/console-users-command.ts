import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { parseScaledDecimal } from '../accounting/parse-scaled-decimal.ts';
import { isGatewayError } from '../errors/gateway-error.ts';
import { createConsoleUser } from '../server/console/create-console-user.ts';
import type { CommonOptions } from './load-cli-config.ts';
import { withCliStore, withCommonOptions } from './with-cli-store.ts';

interface CreateOptions extends CommonOptions {
  admin?: boolean;
  locale: string;
  passwordStdin?: boolean;
}

/** Reads the whole of stdin (a password piped in, so it never shows in `ps` or shell history). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * `shepherd console-users list|create|promote|demote`: the operator's side of the web console —
 * users for a gateway with self-signup off, and the admin role (never granted by signing up).
 */
export function registerConsoleUsersCommand(program: Command): void {
  const users = program
    .command('console-users')
    .description('list and create web console users; grant or take back the admin role');

  withCommonOptions(users.command('list'))
    .description('list console users with their role and account')
    .action(async (options: CommonOptions) => {
      await withCliStore(options, async ({ store }) => {
        const rows = (await store.listConsoleUsers()).map((user) => ({
          email: user.email,
          role: user.role,
          account: user.accountId,
          disabled: user.disabled,
          lastLogin: user.lastLoginAt?.toISOString() ?? '',
        }));
        if (rows.length === 0) process.stdout.write('No console users.\n');
        else console.table(rows);
      });
    });

  withCommonOptions(users.command('create'))
    .description('create a console user with its own account (credited the signup bonus once)')
    .argument('<email>')
    .option('--admin', 'give the user the admin role')
    .option('--locale <ko|en>', 'the console language', 'ko')
    .option('--password-stdin', 'read the password from stdin instead of generating one')
    .action(async (email: string, options: CreateOptions) => {
      if (options.locale !== 'ko' && options.locale !== 'en') {
        throw new Error(`--locale must be ko or en, not "${options.locale}"`);
      }
      const locale = options.locale;
      const generated = options.passwordStdin !== true;
      const password = generated ? randomBytes(18).toString('base64url') : await readStdin();
      await withCliStore(options, async ({ store, config }) => {
        try {
          const user = await createConsoleUser({
            store,
            email: email.trim().toLowerCase(),
            password,
            role: options.admin === true ? 'admin' : 'user',
            locale,
            signupBonusMicros: parseScaledDecimal(config.billing.signupBonus),
          });
          process.stdout.write(
            `Console user ${user.email} (${user.role}) created with account ${user.accountId}.\n`,
          );
          if (generated) process.stdout.write(`Password (shown once): ${password}\n`);
        } catch (error) {
          // The same refusals a signup gets (weak password, email taken), as one line.
          if (isGatewayError(error)) throw new Error(error.message);
          throw error;
        }
      });
    });

  for (const [action, role] of [
    ['promote', 'admin'],
    ['demote', 'user'],
  ] as const) {
    withCommonOptions(users.command(action))
      .description(action === 'promote' ? 'grant the admin role' : 'take back the admin role')
      .argument('<email>')
      .action(async (email: string, options: CommonOptions) => {
        await withCliStore(options, async ({ store }) => {
          const normalised = email.trim().toLowerCase();
          if (!(await store.setConsoleUserRole(normalised, role))) {
            throw new Error(`no console user has the email ${normalised}`);
          }
          process.stdout.write(
            `${normalised} is now ${role === 'admin' ? 'an admin' : 'a user'}.\n`,
          );
        });
      });
  }
}
