import type { ConsoleUser } from '../../storage/console-store.ts';
import type { Store } from '../../storage/store.ts';

/**
 * Whether an operator has shut this console user out: its own flag or its ledger account
 * disabled. Every route that disables an account now flags its users too
 * (`set-account-disabled.ts`), but accounts the admin API or the CLI disabled before that left
 * their users unflagged: the account is the truth, the flag alone would let those users keep
 * signing in and making keys.
 */
export async function isConsoleUserLockedOut(
  store: Pick<Store, 'getAccountById'>,
  user: Pick<ConsoleUser, 'disabled' | 'accountId'>,
): Promise<boolean> {
  if (user.disabled) return true;
  const account = await store.getAccountById(user.accountId);
  return account === undefined || account.disabledAt !== null;
}
