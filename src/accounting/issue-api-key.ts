import type { Store } from '../storage/store.ts';
import { generateApiKey, hashApiKey } from './api-keys.ts';
import { openAccount } from './open-account.ts';

export interface IssueApiKeyOptions {
  store: Pick<
    Store,
    'ensureAccount' | 'postCredit' | 'insertApiKey' | 'listApiKeys' | 'revokeApiKey'
  >;
  pepper: string;
  /** Created if missing (and then credited its signup bonus once). */
  accountName: string;
  /** Micro-units credited once to a new account; 0 or absent for none. */
  signupBonusMicros?: bigint;
  keyName: string;
  expiresAt?: Date;
  /** Revoke the account's live keys with the same name first (e.g. the demo key made at start). */
  replaceSameName?: boolean;
}

export interface IssuedApiKey {
  /** The secret, for its owner's eyes once; only its hash is stored. */
  key: string;
  keyId: string;
  accountId: string;
  prefix: string;
  lastFour: string;
  expiresAt: Date | null;
}

/** Creates a key for an account (creating the account if needed) and stores only its digest. */
export async function issueApiKey(options: IssueApiKeyOptions): Promise<IssuedApiKey> {
  const { store } = options;
  const account = await openAccount({
    store,
    name: options.accountName,
    signupBonusMicros: options.signupBonusMicros ?? 0n,
  });
  if (options.replaceSameName === true) {
    const existing = await store.listApiKeys({ accountId: account.id });
    for (const key of existing) {
      if (key.name === options.keyName && key.revokedAt === null) await store.revokeApiKey(key.id);
    }
  }
  const generated = generateApiKey();
  const stored = await store.insertApiKey({
    accountId: account.id,
    name: options.keyName,
    prefix: generated.prefix,
    lastFour: generated.lastFour,
    keyHash: hashApiKey(generated.key, options.pepper),
    ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
  });
  return {
    key: generated.key,
    keyId: stored.id,
    accountId: account.id,
    prefix: stored.prefix,
    lastFour: stored.lastFour,
    expiresAt: stored.expiresAt,
  };
}
