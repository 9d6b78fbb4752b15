import type { Selectable } from 'kysely';
import type { AccountsTable, ApiKeysTable } from './database-schema.ts';
import type { Account, ApiKey } from './store.ts';

// The last two distinct instants and their text (a reserve alternates "now" and its expiry).
let recentMillis = Number.NaN;
let recentText = '';
let olderMillis = Number.NaN;
let olderText = '';

/**
 * ISO-8601 UTC text. The last two answers are kept: a billed request stamps four timestamps, and
 * under load most of them repeat one of the two before (same millisecond, same expiry).
 */
export function toTimestamp(date: Date): string {
  const millis = date.getTime();
  if (millis === recentMillis) return recentText;
  if (millis === olderMillis) return olderText;
  olderMillis = recentMillis;
  olderText = recentText;
  recentText = date.toISOString();
  recentMillis = millis;
  return recentText;
}

function toDate(text: string): Date {
  return new Date(text);
}

function toNullableDate(text: string | null): Date | null {
  return text === null ? null : new Date(text);
}

export function mapAccountRow(row: Selectable<AccountsTable>): Account {
  return {
    id: row.id,
    name: row.name,
    createdAt: toDate(row.created_at),
    disabledAt: toNullableDate(row.disabled_at),
  };
}

export function mapApiKeyRow(row: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    prefix: row.prefix,
    lastFour: row.last_four,
    keyHash: row.key_hash,
    createdAt: toDate(row.created_at),
    revokedAt: toNullableDate(row.revoked_at),
    expiresAt: toNullableDate(row.expires_at),
    lastUsedAt: toNullableDate(row.last_used_at),
  };
}
