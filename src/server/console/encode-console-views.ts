import { microsToDecimalText } from '../../accounting/micros-to-decimal-text.ts';
import type { ConsoleUser } from '../../storage/console-store.ts';
import type { Balance } from '../../storage/ledger-store.ts';
import { encodeBalance } from '../admin/encode-admin-views.ts';

/** Money as the admin API writes it: decimal text of whole units plus micro-units, both strings. */
function encodeMoney(micros: bigint) {
  return { amount: microsToDecimalText(micros), amountMicros: micros.toString() };
}

/** `GET /me`, and the `user` of the signup and login answers. */
export function encodeConsoleMe(options: {
  user: ConsoleUser;
  balance: Balance;
  currency: string;
  /** The signup bonus credited to the account, if it was. */
  signupBonusMicros: bigint | undefined;
}) {
  const { user, currency } = options;
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    locale: user.locale,
    accountId: user.accountId,
    currency,
    balance: encodeBalance(options.balance, currency),
    signupBonus: {
      credited: options.signupBonusMicros !== undefined,
      ...encodeMoney(options.signupBonusMicros ?? 0n),
    },
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}
