import type { Command } from 'commander';
import { openStore } from '../storage/open-store.ts';
import { loadCliConfig } from './load-cli-config.ts';

/** `shepherd migrate`: brings the database schema up to date (start does this too). */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations')
    .option('-c, --config <path>', 'YAML configuration file')
    .option('--database <url>', 'database URL')
    .action(async (options: { config?: string; database?: string }) => {
      const { config } = loadCliConfig(options);
      const store = await openStore({ url: config.database.url });
      await store.close();
      process.stdout.write(`Database ${describe(config.database.url)} is up to date.\n`);
    });
}

function describe(url: string): string {
  // Never print a password that may sit in a PostgreSQL URL.
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
