import { Command } from 'commander';
import { ConfigError } from '../config/load-config.ts';
import { registerAccountsCommand } from './accounts-command.ts';
import { registerBenchCommand } from './bench-command.ts';
import { registerConsoleUsersCommand } from './console-users-command.ts';
import { registerCreditsCommand } from './credits-command.ts';
import { registerKeysCommand } from './keys-command.ts';
import { registerKeysPolicyCommand } from './keys-policy-command.ts';
import { registerLedgerCommand } from './ledger-command.ts';
import { registerMigrateCommand } from './migrate-command.ts';
import { registerReportCommand } from './report-command.ts';
import { registerSimulateCommand } from './simulate-command.ts';
import { registerStartCommand } from './start-command.ts';
import { registerVouchersCommand } from './vouchers-command.ts';

const program = new Command()
  .name('shepherd')
  .description('Shepherd: one OpenAI-compatible API for Claude, GPT, Gemini and DeepSeek')
  .showHelpAfterError();
registerStartCommand(program);
registerSimulateCommand(program);
registerKeysCommand(program);
registerKeysPolicyCommand(program);
registerAccountsCommand(program);
registerCreditsCommand(program);
registerVouchersCommand(program);
registerConsoleUsersCommand(program);
registerMigrateCommand(program);
registerReportCommand(program);
registerLedgerCommand(program);
registerBenchCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Configuration and usage problems are the user's to fix: say what, without a stack trace.
  const message =
    error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`shepherd: ${message}\n`);
  process.exit(1);
}
