import { openAccount } from '../../accounting/open-account.ts';
import { GatewayError } from '../../errors/gateway-error.ts';
import type { ConsoleUser } from '../../storage/console-store.ts';
import type { Store } from '../../storage/store.ts';
import { StoreConstraintError } from '../../storage/store-errors.ts';
import { checkPasswordStrength } from './check-password-strength.ts';
import { hashPassword } from './hash-password.ts';

/**
 * A console user with an account of its own (`console:<email>`, credited the signup bonus once):
 * the one way both self-signup and the operator's `shepherd console-users create` make users, so
 * both apply the same password rules. `email` is already trimmed and lower-cased.
 */
export async function createConsoleUser(options: {
  store: Store;
  email: string;
  password: string;
  role: 'user' | 'admin';
  locale: 'ko' | 'en';
  signupBonusMicros: bigint;
}): Promise<ConsoleUser> {
  const { store, email } = options;
  const weakness = checkPasswordStrength(options.password, email);
  if (weakness !== undefined) {
    throw new GatewayError(weakness.code, weakness.message, { param: 'password' });
  }
  if ((await store.findConsoleUserByEmail(email)) !== undefined) throw emailTaken();
  const passwordHash = await hashPassword(options.password);
  const account = await openAccount({
    store,
    name: `console:${email}`,
    signupBonusMicros: options.signupBonusMicros,
  });
  try {
    return await store.createConsoleUser({
      email,
      passwordHash,
      accountId: account.id,
      role: options.role,
      locale: options.locale,
    });
  } catch (error) {
    // A concurrent signup with the same email won the unique index.
    if (error instanceof StoreConstraintError && error.constraint === 'unique') throw emailTaken();
    throw error;
  }
}

function emailTaken(): GatewayError {
  return new GatewayError(
    'GW_ERR_CONSOLE_EMAIL_TAKEN',
    'An account with this email already exists; sign in instead.',
    { param: 'email' },
  );
}
