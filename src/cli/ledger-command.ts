import type { Command } from 'commander';
import type { CommonOptions } from './load-cli-config.ts';
import { openCliStore } from './open-cli-store.ts';

/**
 * The invariants `checkLedger` verifies (docs/decisions/0003, ledger.md): I4 as far as the rows
 * show it; not I11 and I12, which need the prices each request was charged at, stored on no row.
 */
const CHECKED = 'I1–I10';

/**
 * `shepherd ledger check`: verifies the ledger.md invariants against the database and prints
 * `Ledger OK: …` or one line per breach (invariant, detail); any breach exits 1.
 */
export function registerLedgerCommand(program: Command): void {
  const ledger = program.command('ledger').description('inspect the credit ledger');
  ledger
    .command('check')
    .description(
      `verify the ledger invariants ${CHECKED} (I4 as far as the rows show; I11 and I12 need the prices, stored on no row); exits 1 on any breach`,
    )
    .option('-c, --config <path>', 'YAML configuration file')
    .option('--database <url>', 'database URL')
    .action(async (options: CommonOptions) => {
      const { store } = await openCliStore(options);
      try {
        const checkedAt = new Date();
        const violations = await store.checkLedger(checkedAt);
        if (violations.length === 0) {
          const openHolds = await store.countOpenHolds();
          process.stdout.write(
            `Ledger OK: ${CHECKED} hold (${openHolds} open ${openHolds === 1 ? 'hold' : 'holds'}, checked at ${checkedAt.toISOString()}).\n`,
          );
          return;
        }
        for (const violation of violations) {
          process.stdout.write(`${violation.invariant}  ${violation.detail}\n`);
        }
        process.stderr.write(
          `Ledger check failed: ${violations.length} ${violations.length === 1 ? 'breach' : 'breaches'} of ${CHECKED}.\n`,
        );
        process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}
