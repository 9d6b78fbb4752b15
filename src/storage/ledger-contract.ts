import { after, before, describe } from 'node:test';
import { registerBreachContract } from './ledger-contract-breaches.ts';
import { registerCreditContract } from './ledger-contract-credits.ts';
import { registerModelContract } from './ledger-contract-model.ts';
import { registerRaceContract } from './ledger-contract-races.ts';
import { registerUsageContract } from './ledger-contract-usage.ts';
import { registerVoucherContract } from './ledger-contract-vouchers.ts';
import type { LedgerContractTarget, LedgerTestDatabase } from './ledger-test-kit.ts';

/**
 * Registers the credit-ledger contract (docs/decisions/0003-credit-ledger.md, ledger.md I1–I10)
 * for one engine: behaviour, races across two connections, a model-based property and planted
 * breaches. Every engine must pass all of it unchanged.
 */
export function registerLedgerContract(label: string, target: LedgerContractTarget): void {
  describe(`${label} ledger contract`, () => {
    let shared: LedgerTestDatabase | undefined;
    before(async () => {
      shared = await target.createDatabase();
    });
    after(() => {
      shared = undefined;
    });
    const database = (): LedgerTestDatabase => {
      if (shared === undefined) throw new Error('The shared ledger database is not open.');
      return shared;
    };
    registerCreditContract(database);
    registerUsageContract(database);
    registerVoucherContract(database);
    registerRaceContract(database);
    registerBreachContract(() => target.createDatabase());
    registerModelContract(() => target.createDatabase());
  });
}
