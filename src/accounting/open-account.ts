import type { Account, Store } from '../storage/store.ts';

/**
 * Returns the account with this name, creating it if needed, and makes sure it received its signup
 * bonus exactly once (the credit is idempotent on `signup-bonus:<account id>`, so calling this again,
 * or concurrently, never credits twice).
 */
export async function openAccount(options: {
  store: Pick<Store, 'ensureAccount' | 'postCredit'>;
  name: string;
  /** Micro-units of the wallet currency; 0 for none. */
  signupBonusMicros: bigint;
}): Promise<Account> {
  const account = await options.store.ensureAccount(options.name);
  if (options.signupBonusMicros > 0n) {
    await options.store.postCredit({
      kind: 'signup_bonus',
      accountId: account.id,
      amountMicros: options.signupBonusMicros,
      idempotencyKey: `signup-bonus:${account.id}`,
      actor: 'system',
      reason: 'signup bonus',
    });
  }
  return account;
}
