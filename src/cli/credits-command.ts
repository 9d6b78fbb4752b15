import type { Command } from 'commander';
import { type AccountCreditKind, creditAccount } from '../accounting/credit-account.ts';
import { formatMicros } from '../accounting/format-micros.ts';
import type { CommonOptions } from './load-cli-config.ts';
import { parseCliAmount, parseCliCount } from './parse-cli-input.ts';
import { withCliStore, withCommonOptions } from './with-cli-store.ts';

interface CreditOptions extends CommonOptions {
  reference?: string;
  reason?: string;
  actor?: string;
}

/**
 * `shepherd credits top-up|adjust|refund|balance|history`. Credits use the admin API's idempotency
 * keys (`top-up:<reference>` …), so a payment entered on either side is credited once.
 */
export function registerCreditsCommand(program: Command): void {
  const credits = program
    .command('credits')
    .description('top up, adjust, refund and inspect account credit');

  const post =
    (kind: AccountCreditKind, allowNegative: boolean) =>
    async (accountName: string, amountText: string, options: CreditOptions) => {
      const amountMicros = parseCliAmount(amountText, 'amount', { allowNegative });
      await withCliStore(options, async ({ store, config, requireAccount }) => {
        const account = await requireAccount(accountName);
        const result = await creditAccount({
          store,
          kind,
          accountId: account.id,
          amountMicros,
          actor: options.actor ?? 'cli',
          ...(options.reference === undefined ? {} : { reference: options.reference }),
          ...(options.reason === undefined ? {} : { reason: options.reason }),
        });
        const money = (micros: bigint) => formatMicros(micros, config.billing.currency);
        const available = money(result.balance.availableMicros);
        process.stdout.write(
          result.status === 'duplicate'
            ? `Already posted for reference "${options.reference}" (${result.transactionId}); nothing changed. Available: ${available}.\n`
            : `Posted ${kind.replace('_', '-')} of ${money(amountMicros)} to "${account.name}" (${result.transactionId}). Available: ${available}.\n`,
        );
      });
    };

  withCommonOptions(credits.command('top-up'))
    .description('credit a payment, once per reference')
    .argument('<account>', 'account name')
    .argument('<amount>', 'whole currency units, e.g. 10000 or 12.5')
    .requiredOption('--reference <ref>', 'the payment reference (bank transfer id): credited once')
    .option('--actor <name>', 'who is posting it', 'cli')
    .option('--reason <text>', 'a note')
    .action(post('top_up', false));

  withCommonOptions(credits.command('adjust'))
    .description('credit (positive) or debit (negative) an account by hand')
    .argument('<account>', 'account name')
    .argument('<amount>', 'signed whole currency units, e.g. 500 or -500')
    .requiredOption('--reason <text>', 'why (kept on the ledger)')
    .requiredOption('--actor <name>', 'who is adjusting (kept on the ledger)')
    .option('--reference <ref>', 'makes the adjustment idempotent')
    .action(post('adjustment', true));

  withCommonOptions(credits.command('refund'))
    .description('refund usage to an account, once per reference')
    .argument('<account>', 'account name')
    .argument('<amount>', 'whole currency units')
    .requiredOption('--reference <ref>', 'e.g. the ticket number: refunded once')
    .requiredOption('--reason <text>', 'why (kept on the ledger)')
    .option('--actor <name>', 'who is refunding', 'cli')
    .action(post('refund', false));

  withCommonOptions(credits.command('balance'))
    .description("show an account's balance")
    .argument('<account>', 'account name')
    .action(async (accountName: string, options: CommonOptions) => {
      await withCliStore(options, async ({ store, config, requireAccount }) => {
        const account = await requireAccount(accountName);
        const balance = await store.getBalance(account.id);
        const money = (micros: bigint) => formatMicros(micros, config.billing.currency);
        process.stdout.write(
          `Available: ${money(balance.availableMicros)}\nPosted:    ${money(balance.postedMicros)}\nHeld:      ${money(balance.heldMicros)}\n`,
        );
      });
    });

  withCommonOptions(credits.command('history'))
    .description("list an account's ledger entries, newest first")
    .argument('<account>', 'account name')
    .option('--limit <n>', 'how many entries', '20')
    .action(async (accountName: string, options: CommonOptions & { limit: string }) => {
      const limit = parseCliCount(options.limit, '--limit');
      if (limit < 1 || limit > 1000) throw new Error('--limit: between 1 and 1000');
      await withCliStore(options, async ({ store, config, requireAccount }) => {
        const account = await requireAccount(accountName);
        const entries = await store.listLedgerEntries({ accountId: account.id, limit });
        if (entries.length === 0) {
          process.stdout.write('No ledger entries.\n');
          return;
        }
        console.table(
          entries.map((entry) => ({
            at: entry.createdAt.toISOString(),
            kind: entry.kind,
            amount: formatMicros(entry.amountMicros, config.billing.currency),
            actor: entry.actor ?? '',
            reason: entry.reason ?? '',
            request: entry.requestId ?? '',
            transaction: entry.transactionId,
          })),
        );
      });
    });
}
