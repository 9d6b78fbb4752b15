import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import type { DailyUsageCharge } from '../../storage/console-store.ts';
import type { LedgerEntryView } from '../../storage/ledger-store.ts';

export type CreditHistoryItem =
  | {
      type: 'credit';
      /** `top_up`, `signup_bonus`, `voucher`, `adjustment` or `refund`. */
      kind: string;
      transactionId: string;
      amount: string;
      amountMicros: string;
      reason: string | null;
      at: string;
    }
  | {
      type: 'usage';
      /** `YYYY-MM-DD` (UTC). */
      date: string;
      requests: number;
      /** Negative: what the day's requests cost. */
      amount: string;
      amountMicros: string;
      /** The day's end, for ordering beside credits (exclusive, ISO-8601). */
      at: string;
    };

const DAY_MS = 86_400_000;

/**
 * One newest-first list of the account's money movements: every credit on its own, usage charges
 * summed per UTC day (a day sorts at its end, so after that day's credits). Pure.
 */
export function buildCreditHistory(
  credits: readonly LedgerEntryView[],
  usageDays: readonly DailyUsageCharge[],
): CreditHistoryItem[] {
  const items: CreditHistoryItem[] = [
    ...credits.map(
      (entry): CreditHistoryItem => ({
        type: 'credit',
        kind: entry.kind,
        transactionId: entry.transactionId,
        amount: microsToDecimalText(entry.amountMicros),
        amountMicros: entry.amountMicros.toString(),
        reason: entry.reason,
        at: entry.createdAt.toISOString(),
      }),
    ),
    ...usageDays.map(
      (day): CreditHistoryItem => ({
        type: 'usage',
        date: day.date,
        requests: day.transactions,
        amount: microsToDecimalText(-day.chargedMicros),
        amountMicros: (-day.chargedMicros).toString(),
        at: new Date(Date.parse(`${day.date}T00:00:00.000Z`) + DAY_MS).toISOString(),
      }),
    ),
  ];
  return items.sort((first, second) => (first.at < second.at ? 1 : first.at > second.at ? -1 : 0));
}
