import type { Balance } from '../ledger-store.ts';
import type { LedgerStatements } from './prepare-ledger-statements.ts';

/** A `readBalance` row as a balance; zero for an account without a balance row (as `toBalance`). */
export function balanceOf(row: readonly [posted: bigint, held: bigint] | undefined): Balance {
  const postedMicros = row?.[0] ?? 0n;
  const heldMicros = row?.[1] ?? 0n;
  return { postedMicros, heldMicros, availableMicros: postedMicros - heldMicros };
}

export function readBalance(statements: LedgerStatements, accountId: string): Balance {
  return balanceOf(statements.readBalance.get(accountId));
}
