import { type FileHandle, open, unlink } from 'node:fs/promises';
import type { Command } from 'commander';
import { encodeVoucherCsv } from '../accounting/encode-voucher-csv.ts';
import { formatMicros } from '../accounting/format-micros.ts';
import { generateVoucherBatch } from '../accounting/generate-voucher-batch.ts';
import { explainRedeemFailure, redeemVoucher } from '../accounting/redeem-voucher.ts';
import type { CommonOptions } from './load-cli-config.ts';
import { parseCliAmount, parseCliCount, parseCliDate } from './parse-cli-input.ts';
import { withCliStore, withCommonOptions } from './with-cli-store.ts';

interface GenerateOptions extends CommonOptions {
  amount: string;
  count: string;
  name: string;
  expires?: string;
  out?: string;
  actor: string;
}

/** `shepherd vouchers generate|list|show|redeem`: prepaid codes, shown once at generation. */
export function registerVouchersCommand(program: Command): void {
  const vouchers = program
    .command('vouchers')
    .description('generate, list, inspect and redeem voucher codes');

  withCommonOptions(vouchers.command('generate'))
    .description('generate a batch of codes (printed or written once; only digests are stored)')
    .requiredOption('--amount <amount>', 'what each code is worth, in whole currency units')
    .requiredOption('--count <n>', 'how many codes (1 to 10000)')
    .requiredOption('--name <batch>', 'a name for the batch')
    .option('--expires <iso-date>', 'codes cannot be redeemed after this')
    .option('--out <file.csv>', 'write the codes as CSV to this new file instead of printing them')
    .option('--actor <name>', 'who generated them', 'cli')
    .action(async (options: GenerateOptions) => {
      const amountMicros = parseCliAmount(options.amount, '--amount');
      const count = parseCliCount(options.count, '--count');
      const expiresAt =
        options.expires === undefined ? undefined : parseCliDate(options.expires, '--expires');
      if (expiresAt !== undefined && expiresAt.getTime() <= Date.now()) {
        throw new Error('--expires: the date is in the past');
      }
      // Open the output file first (`wx`: never overwrite, owner-only): if it cannot be created, no
      // batch is saved, since a saved batch whose codes were never shown is money nobody can hand out.
      const output = options.out === undefined ? undefined : await openNewFile(options.out);
      let generated = false;
      try {
        await withCliStore(options, async ({ store, keyPepper, config }) => {
          const { batch, codes } = await generateVoucherBatch({
            store,
            pepper: keyPepper,
            name: options.name,
            amountMicros,
            count,
            createdBy: options.actor,
            ...(expiresAt === undefined ? {} : { expiresAt }),
          });
          generated = true;
          const currency = config.billing.currency;
          const summary = `Batch ${batch.id} "${batch.name}": ${count} code${count === 1 ? '' : 's'} worth ${formatMicros(amountMicros, currency)} each`;
          if (output === undefined) {
            process.stdout.write(
              `${codes.join('\n')}\n\n${summary}. Copy them now: they cannot be shown again.\n`,
            );
            return;
          }
          try {
            await output.handle.writeFile(encodeVoucherCsv({ batch, codes, currency }));
            await output.handle.close();
          } catch (error) {
            await output.handle.close().catch(() => undefined);
            // The batch is saved and its codes are redeemable: print them rather than lose them.
            process.stdout.write(
              `${codes.join('\n')}\n\n${summary}. Copy them now: they cannot be shown again.\n`,
            );
            throw new Error(
              `could not write ${output.path} (${error instanceof Error ? error.message : String(error)}); the batch was saved and its codes are printed above`,
            );
          }
          process.stdout.write(`${summary}, written to ${output.path}.\n`);
        });
      } finally {
        if (output !== undefined && !generated) {
          await output.handle.close().catch(() => undefined);
          await unlink(output.path).catch(() => undefined);
        }
      }
    });

  withCommonOptions(vouchers.command('list'))
    .description('list voucher batches')
    .action(async (options: CommonOptions) => {
      await withCliStore(options, async ({ store, config }) => {
        const batches = await store.listVoucherBatches();
        if (batches.length === 0) {
          process.stdout.write('No voucher batches.\n');
          return;
        }
        console.table(
          batches.map((batch) => ({
            id: batch.id,
            name: batch.name,
            amount: formatMicros(batch.amountMicros, config.billing.currency),
            codes: batch.count,
            redeemed: batch.redeemedCount,
            created: batch.createdAt.toISOString(),
            expires: batch.expiresAt?.toISOString() ?? 'never',
          })),
        );
      });
    });

  withCommonOptions(vouchers.command('show'))
    .description("show a batch's codes (last four characters) and their redemption state")
    .argument('<batch-id>')
    .action(async (batchId: string, options: CommonOptions) => {
      await withCliStore(options, async ({ store, config }) => {
        const batch = (await store.listVoucherBatches()).find((found) => found.id === batchId);
        if (batch === undefined) throw new Error(`no voucher batch with id ${batchId}`);
        process.stdout.write(
          `Batch ${batch.id} "${batch.name}": ${batch.count} codes worth ${formatMicros(batch.amountMicros, config.billing.currency)}, ${batch.redeemedCount} redeemed, expires ${batch.expiresAt?.toISOString() ?? 'never'}.\n`,
        );
        const now = Date.now();
        console.table(
          (await store.listVouchers(batch.id)).map((voucher) => ({
            code: `…${voucher.codeLastFour}`,
            state:
              voucher.redeemedAt !== null
                ? 'redeemed'
                : voucher.expiresAt !== null && voucher.expiresAt.getTime() <= now
                  ? 'expired'
                  : 'available',
            redeemedAt: voucher.redeemedAt?.toISOString() ?? '',
            redeemedBy: voucher.redeemedBy ?? '',
          })),
        );
      });
    });

  withCommonOptions(vouchers.command('redeem'))
    .description("redeem a code for an account (e.g. on a customer's behalf)")
    .argument('<code>')
    .requiredOption('--account <name>', 'the account to credit')
    .action(async (code: string, options: CommonOptions & { account: string }) => {
      await withCliStore(options, async ({ store, keyPepper, config, requireAccount }) => {
        const account = await requireAccount(options.account);
        const result = await redeemVoucher({
          store,
          pepper: keyPepper,
          code,
          accountId: account.id,
          now: new Date(),
        });
        if (result.status !== 'redeemed') throw new Error(explainRedeemFailure(result.status));
        const money = (micros: bigint) => formatMicros(micros, config.billing.currency);
        process.stdout.write(
          `Redeemed ${money(result.amountMicros)} for "${account.name}". Available: ${money(result.balance.availableMicros)}.\n`,
        );
      });
    });
}

/** Creates `path` for writing, failing if it exists; readable by its owner only. */
async function openNewFile(path: string): Promise<{ path: string; handle: FileHandle }> {
  try {
    return { path, handle: await open(path, 'wx', 0o600) };
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error && error.code === 'EEXIST'
        ? 'the file already exists (it is never overwritten)'
        : error instanceof Error
          ? error.message
          : String(error);
    throw new Error(`--out ${path}: ${reason}; no codes were generated`);
  }
}
