import { Command } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { ConfigError } from '../config/load-config.ts';

type RegisterCommand = (program: Command) => void;

/**
 * Each top-level command's module, loaded only when that command runs (or for help, which lists
 * them all): `shepherd start` then never evaluates the report, bench or simulator code and the
 * schemas they build at import, which the gateway would otherwise carry in memory for its life.
 * Listed in help order; `keys` brings its `policy` subcommand, registered after it.
 */
const COMMANDS: ReadonlyArray<readonly [string, () => Promise<RegisterCommand[]>]> = [
  ['start', async () => [(await import('./start-command.ts')).registerStartCommand]],
  ['simulate', async () => [(await import('./simulate-command.ts')).registerSimulateCommand]],
  [
    'keys',
    async () => {
      const [keys, policy] = await Promise.all([
        import('./keys-command.ts'),
        import('./keys-policy-command.ts'),
      ]);
      return [keys.registerKeysCommand, policy.registerKeysPolicyCommand];
    },
  ],
  ['accounts', async () => [(await import('./accounts-command.ts')).registerAccountsCommand]],
  ['credits', async () => [(await import('./credits-command.ts')).registerCreditsCommand]],
  ['vouchers', async () => [(await import('./vouchers-command.ts')).registerVouchersCommand]],
  [
    'console-users',
    async () => [(await import('./console-users-command.ts')).registerConsoleUsersCommand],
  ],
  ['migrate', async () => [(await import('./migrate-command.ts')).registerMigrateCommand]],
  ['report', async () => [(await import('./report-command.ts')).registerReportCommand]],
  ['ledger', async () => [(await import('./ledger-command.ts')).registerLedgerCommand]],
  ['bench', async () => [(await import('./bench-command.ts')).registerBenchCommand]],
];

/** The named command's registration alone; every command for help, an unknown name or none. */
async function commandsFor(name: string | undefined): Promise<RegisterCommand[]> {
  const named = COMMANDS.find(([command]) => command === name);
  const loaders = named === undefined ? COMMANDS : [named];
  const loaded = await Promise.all(loaders.map(([, load]) => load()));
  return loaded.flat();
}

try {
  const program = new Command()
    .name('shepherd')
    .description('Shepherd: one OpenAI-compatible API for Claude, GPT, Gemini and DeepSeek')
    .version(packageJson.version, '-V, --version', 'print the version')
    .showHelpAfterError();
  for (const register of await commandsFor(process.argv[2])) register(program);
  await program.parseAsync(process.argv);
} catch (error) {
  // Configuration and usage problems are the user's to fix: say what, without a stack trace.
  const message =
    error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`shepherd: ${message}\n`);
  process.exit(1);
}
