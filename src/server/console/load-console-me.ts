import type { ConsoleUser } from '../../storage/console-store.ts';
import type { ConsoleRouteContext } from './console-api-dependencies.ts';
import { encodeConsoleMe } from './encode-console-views.ts';

/** Credits other than usage are few (top-ups, vouchers), so the bonus is found among them. */
const CREDITS_SEARCHED = 500;

/** The `/me` view of a user: their account's balance and whether its signup bonus was credited. */
export async function loadConsoleMe(
  context: Pick<ConsoleRouteContext, 'store' | 'currency'>,
  user: ConsoleUser,
) {
  const { store } = context;
  const credits = await store.listNonUsageLedgerEntries({
    accountId: user.accountId,
    limit: CREDITS_SEARCHED,
  });
  const bonus = credits.find((entry) => entry.kind === 'signup_bonus');
  return encodeConsoleMe({
    user,
    balance: await store.getBalance(user.accountId),
    currency: context.currency,
    signupBonusMicros: bonus?.amountMicros,
  });
}
