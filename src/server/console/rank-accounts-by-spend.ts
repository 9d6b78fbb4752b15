import type { UsageRecord } from '../../storage/ledger-store.ts';

export interface AccountSpend {
  accountId: string;
  requests: number;
  costMicros: bigint;
}

/** The accounts that spent most in these records, highest first (ties by account id). Pure. */
export function rankAccountsBySpend(
  records: readonly Pick<UsageRecord, 'accountId' | 'costMicros'>[],
  limit: number,
): AccountSpend[] {
  const byAccount = new Map<string, AccountSpend>();
  for (const record of records) {
    const spend = byAccount.get(record.accountId) ?? {
      accountId: record.accountId,
      requests: 0,
      costMicros: 0n,
    };
    spend.requests += 1;
    spend.costMicros += record.costMicros;
    byAccount.set(record.accountId, spend);
  }
  return [...byAccount.values()]
    .sort((first, second) =>
      first.costMicros === second.costMicros
        ? first.accountId.localeCompare(second.accountId)
        : first.costMicros > second.costMicros
          ? -1
          : 1,
    )
    .slice(0, limit);
}
