import { timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../errors/gateway-error.ts';
import type { ApiKeyPolicy } from '../storage/ledger-store.ts';
import type { ApiKeyWithAccount, Store } from '../storage/store.ts';
import { hashApiKey, isWellFormedApiKey } from './api-keys.ts';
import { createBoundedCache } from './create-bounded-cache.ts';

/** Who a request's key belongs to. Holds neither the key nor its hash. */
export interface AuthenticatedKey {
  readonly keyId: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly name: string;
  readonly prefix: string;
  readonly lastFour: string;
  readonly expiresAt: Date | null;
  /** Public model ids the key may use; null = every model. */
  readonly allowedModels: readonly string[] | null;
  readonly monthlySpendCapMicros: bigint | null;
}

export interface ApiKeyAuthenticatorOptions {
  store: Pick<Store, 'findApiKeyByHash' | 'getApiKeyPolicy'>;
  /** Server secret for `hashApiKey`; never empty. */
  pepper: string;
  /** How long a found key is trusted without asking the store again, ms (default 5000). */
  cacheTtlMs?: number;
  /** How long an unknown key is remembered as unknown, ms (default 1000; 0 disables). */
  negativeCacheTtlMs?: number;
  /** Most cached keys, found and unknown together (default 10,000; least recently used go). */
  maxCacheEntries?: number;
  now?: () => Date;
  /**
   * Told when a valid key is read from the store (its first use, then at most once per cache TTL
   * while it keeps being used), so "last used" costs one write per key per TTL, not per request.
   * Must not throw; the authentication does not wait for it.
   */
  onKeyUsed?: (keyId: string, at: Date) => void;
}

export interface ApiKeyAuthenticator {
  /**
   * The key's owner, or undefined for a missing, malformed, unknown or revoked key. An expired key
   * throws `GW_ERR_API_KEY_EXPIRED` (403): its owner is known and deserves to be told why.
   */
  authenticate(bearerToken: string | undefined): Promise<AuthenticatedKey | undefined>;
  /**
   * `authenticate`'s answer when it needs no store lookup (a malformed key, or a cached answer
   * still valid), wrapped as `{ key }`; undefined when only `authenticate` can tell. Throws as it
   * does for an expired key.
   */
  authenticateNow(
    bearerToken: string | undefined,
  ): { key: AuthenticatedKey | undefined } | undefined;
  /** Forgets every cached answer, e.g. right after a key is revoked or an account disabled. */
  invalidate(): void;
}

/** `key` undefined: unknown, revoked or disabled, whatever the clock says. */
interface CacheEntry {
  key: AuthenticatedKey | undefined;
  validUntilMs: number;
}

function sameDigest(leftHex: string, rightHex: string): boolean {
  const left = Buffer.from(leftHex, 'hex');
  const right = Buffer.from(rightHex, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

function toAuthenticatedKey(
  found: ApiKeyWithAccount,
  policy: ApiKeyPolicy | undefined,
): AuthenticatedKey | undefined {
  if (found.revokedAt !== null || found.account.disabledAt !== null) return undefined;
  return Object.freeze({
    keyId: found.id,
    accountId: found.accountId,
    accountName: found.account.name,
    name: found.name,
    prefix: found.prefix,
    lastFour: found.lastFour,
    expiresAt: found.expiresAt,
    allowedModels: policy?.allowedModels ? Object.freeze([...policy.allowedModels]) : null,
    monthlySpendCapMicros: policy?.monthlySpendCapMicros ?? null,
  });
}

/**
 * Resolves bearer tokens to accounts. Malformed tokens never reach the store; a hash is looked up
 * at most once per TTL however many requests race for it. Expiry is checked on every call, so an
 * expiring key stops at its deadline even while cached.
 */
export function createApiKeyAuthenticator(
  options: ApiKeyAuthenticatorOptions,
): ApiKeyAuthenticator {
  const { store, pepper } = options;
  if (pepper === '') throw new Error('The API key pepper must not be empty.');
  const cacheTtlMs = options.cacheTtlMs ?? 5_000;
  const negativeCacheTtlMs = options.negativeCacheTtlMs ?? 1_000;
  const now = options.now ?? (() => new Date());
  const cache = createBoundedCache<CacheEntry>(options.maxCacheEntries ?? 10_000);
  const inFlight = new Map<string, Promise<CacheEntry>>();
  // Lookups started before an invalidate() must not refill the cache with what they read.
  let generation = 0;

  async function load(token: string): Promise<CacheEntry> {
    const startedIn = generation;
    const keyHash = hashApiKey(token, pepper);
    let found: ApiKeyWithAccount | undefined;
    let policy: ApiKeyPolicy | undefined;
    try {
      found = await store.findApiKeyByHash(keyHash);
      if (found !== undefined) policy = await store.getApiKeyPolicy(found.id);
    } catch (error) {
      throw new GatewayError('GW_ERR_STORAGE_UNAVAILABLE', 'API keys cannot be checked now.', {
        cause: error,
        retryAfterSeconds: 1,
      });
    }
    const match = found !== undefined && sameDigest(found.keyHash, keyHash) ? found : undefined;
    const key = match === undefined ? undefined : toAuthenticatedKey(match, policy);
    const ttlMs = match === undefined ? negativeCacheTtlMs : cacheTtlMs;
    const at = now();
    if (key !== undefined) options.onKeyUsed?.(key.keyId, at);
    const entry = { key, validUntilMs: at.getTime() + ttlMs };
    if (ttlMs > 0 && startedIn === generation) cache.set(token, entry);
    return entry;
  }

  /**
   * Cached answers are keyed by the presented key itself, not its HMAC: hashing every request's
   * key cost about 5 µs of CPU per request, and the key stays in this process's memory only while
   * cached (a few seconds, like the request headers that carried it); it is never stored, logged
   * or returned. The HMAC is computed once per lookup in the store.
   */
  async function lookUp(token: string): Promise<CacheEntry> {
    const cached = cache.get(token);
    if (cached !== undefined && cached.validUntilMs > now().getTime()) return cached;
    const pending = inFlight.get(token);
    if (pending !== undefined) return pending;
    const loading = load(token).finally(() => {
      if (inFlight.get(token) === loading) inFlight.delete(token);
    });
    inFlight.set(token, loading);
    return loading;
  }

  /** The entry's key, unless it expired (thrown: its owner deserves to be told why). */
  function unexpired({ key }: CacheEntry): AuthenticatedKey | undefined {
    if (key !== undefined && key.expiresAt !== null && key.expiresAt.getTime() <= now().getTime()) {
      throw new GatewayError(
        'GW_ERR_API_KEY_EXPIRED',
        `This API key expired at ${key.expiresAt.toISOString()}. Ask the gateway operator for a new key.`,
      );
    }
    return key;
  }

  return {
    async authenticate(bearerToken) {
      if (bearerToken === undefined || !isWellFormedApiKey(bearerToken)) return undefined;
      return unexpired(await lookUp(bearerToken));
    },
    authenticateNow(bearerToken) {
      if (bearerToken === undefined || !isWellFormedApiKey(bearerToken)) return { key: undefined };
      const cached = cache.get(bearerToken);
      if (cached === undefined || cached.validUntilMs <= now().getTime()) return undefined;
      return { key: unexpired(cached) };
    },
    invalidate() {
      generation += 1;
      cache.clear();
      inFlight.clear();
    },
  };
}
