import type { Command } from 'commander';
import { formatMicros } from '../accounting/format-micros.ts';
import { resolveAllowedModels } from '../accounting/resolve-allowed-models.ts';
import type { ApiKeyPolicy } from '../storage/ledger-store.ts';
import type { CommonOptions } from './load-cli-config.ts';
import { parseCliAmount, parseCliDate } from './parse-cli-input.ts';
import { withCliStore, withCommonOptions } from './with-cli-store.ts';

interface PolicyOptions extends CommonOptions {
  monthlyCap?: string;
  models?: string;
  expires?: string;
}

/**
 * `shepherd keys policy <key id> [--monthly-cap <amount>|none] [--models a,b|all]
 * [--expires <iso>|never]`: shows the policy, or changes the parts given. Adds to the `keys`
 * command that `registerKeysCommand` made, so register it after that one.
 */
export function registerKeysPolicyCommand(program: Command): void {
  const keys = program.commands.find((command) => command.name() === 'keys');
  if (keys === undefined) throw new Error('register the keys command before keys policy');

  withCommonOptions(keys.command('policy'))
    .description("show or change a key's monthly spend cap, model allow-list and expiry")
    .argument('<key-id>')
    .option('--monthly-cap <amount>', 'monthly spend cap in whole currency units, or "none"')
    .option('--models <ids>', 'comma-separated models the key may use, or "all"')
    .option('--expires <iso-date>', 'expiry, or "never"')
    .action(async (keyId: string, options: PolicyOptions) => {
      await withCliStore(options, async ({ store, config }) => {
        const current = await store.getApiKeyPolicy(keyId);
        if (current === undefined) throw new Error(`no API key with id ${keyId}`);
        const next: ApiKeyPolicy = { ...current };
        if (options.monthlyCap !== undefined) {
          next.monthlySpendCapMicros =
            options.monthlyCap === 'none'
              ? null
              : parseCliAmount(options.monthlyCap, '--monthly-cap');
        }
        if (options.models !== undefined) {
          next.allowedModels =
            options.models === 'all' ? null : parseModels(options.models, config.models);
        }
        if (options.expires !== undefined) {
          next.expiresAt =
            options.expires === 'never' ? null : parseCliDate(options.expires, '--expires');
        }
        const changed =
          options.monthlyCap !== undefined ||
          options.models !== undefined ||
          options.expires !== undefined;
        if (changed) await store.setApiKeyPolicy(keyId, next);
        const cap = next.monthlySpendCapMicros;
        process.stdout.write(
          `${[
            `${changed ? 'Updated' : 'Policy of'} ${keyId}:`,
            `  monthly cap: ${cap === null ? 'none' : formatMicros(cap, config.billing.currency)}`,
            `  models:      ${next.allowedModels === null ? 'all' : next.allowedModels.join(', ') || '(none)'}`,
            `  expires:     ${next.expiresAt?.toISOString() ?? 'never'}`,
          ].join('\n')}\n`,
        );
        // A running gateway trusts a looked-up key for a few seconds before asking again.
        if (changed) process.stdout.write('A running gateway applies it within 5 seconds.\n');
      });
    });
}

function parseModels(text: string, models: Parameters<typeof resolveAllowedModels>[1]): string[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new Error('--models: name at least one model, or "all"');
  try {
    return resolveAllowedModels(names, models);
  } catch (error) {
    throw new Error(`--models: ${error instanceof Error ? error.message : String(error)}`);
  }
}
