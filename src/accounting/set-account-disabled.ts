import type { Store } from '../storage/store.ts';

/**
 * Disables an account (its API keys stop) together with its web console users (they are signed
 * out and cannot sign in), or enables both again. The admin API, the console's admin pages and the
 * CLI all go through here, so an account is never half disabled: keys refused while its console
 * still makes new keys and redeems vouchers into it.
 */
export async function setAccountDisabled(options: {
  store: Pick<Store, 'setAccountDisabled' | 'setConsoleUsersDisabled'>;
  accountId: string;
  disabled: boolean;
}): Promise<void> {
  const { store, accountId, disabled } = options;
  await store.setAccountDisabled(accountId, disabled);
  await store.setConsoleUsersDisabled(accountId, disabled);
}
