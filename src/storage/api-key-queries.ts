import type { Kysely } from 'kysely';
import type { Database } from './database-schema.ts';
import { generateId } from './generate-id.ts';
import { mapAccountRow, mapApiKeyRow, toTimestamp } from './map-rows.ts';
import type { Store } from './store.ts';
import { AmbiguousKeyPrefixError } from './store-errors.ts';
import { toConstraintError } from './to-constraint-error.ts';

type ApiKeyQueries = Pick<
  Store,
  'insertApiKey' | 'findApiKeyByHash' | 'listApiKeys' | 'revokeApiKey' | 'touchApiKey'
>;

export function createApiKeyQueries(db: Kysely<Database>, now: () => Date): ApiKeyQueries {
  async function countLiveKeysWithPrefix(prefix: string): Promise<number> {
    const row = await db
      .selectFrom('api_keys')
      .select((expression) => expression.fn.countAll<bigint>().as('count'))
      .where('prefix', '=', prefix)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  return {
    async insertApiKey(input) {
      const row = {
        id: generateId('key'),
        account_id: input.accountId,
        name: input.name,
        prefix: input.prefix,
        last_four: input.lastFour,
        key_hash: input.keyHash,
        created_at: toTimestamp(now()),
        revoked_at: null,
        expires_at: input.expiresAt === undefined ? null : toTimestamp(input.expiresAt),
        last_used_at: null,
        monthly_spend_cap_micros: null,
        allowed_models: null,
      };
      try {
        await db.insertInto('api_keys').values(row).execute();
      } catch (error) {
        throw toConstraintError(error, 'An API key with this hash');
      }
      return mapApiKeyRow(row);
    },

    async findApiKeyByHash(keyHash) {
      const row = await db
        .selectFrom('api_keys')
        .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
        .selectAll('api_keys')
        .select([
          'accounts.name as account_name',
          'accounts.created_at as account_created_at',
          'accounts.disabled_at as account_disabled_at',
        ])
        .where('api_keys.key_hash', '=', keyHash)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const account = mapAccountRow({
        id: row.account_id,
        name: row.account_name,
        created_at: row.account_created_at,
        disabled_at: row.account_disabled_at,
      });
      // Not `{ ...key, account }`: V8 would give every such object a map of its own (decision 0007).
      return Object.assign(mapApiKeyRow(row), { account });
    },

    async listApiKeys(filter = {}) {
      let query = db.selectFrom('api_keys').selectAll();
      if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
      const rows = await query.orderBy('created_at').orderBy('id').execute();
      return rows.map(mapApiKeyRow);
    },

    // One conditional write: a prefix revokes only when exactly one live key carries it.
    async revokeApiKey(idOrPrefix) {
      const revokedAt = toTimestamp(now());
      if (idOrPrefix.startsWith('key_')) {
        const result = await db
          .updateTable('api_keys')
          .set({ revoked_at: revokedAt })
          .where('id', '=', idOrPrefix)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        return result.numUpdatedRows > 0n;
      }
      const result = await db
        .updateTable('api_keys')
        .set({ revoked_at: revokedAt })
        .where('prefix', '=', idOrPrefix)
        .where('revoked_at', 'is', null)
        .where((expression) =>
          expression(
            expression
              .selectFrom('api_keys as other')
              .select((inner) => inner.fn.countAll().as('count'))
              .where('other.prefix', '=', idOrPrefix)
              .where('other.revoked_at', 'is', null),
            '=',
            1,
          ),
        )
        .executeTakeFirst();
      if (result.numUpdatedRows > 0n) return true;
      const matchCount = await countLiveKeysWithPrefix(idOrPrefix);
      if (matchCount > 1) throw new AmbiguousKeyPrefixError(idOrPrefix, matchCount);
      return false;
    },

    async touchApiKey(id, at) {
      const usedAt = toTimestamp(at);
      await db
        .updateTable('api_keys')
        .set({ last_used_at: usedAt })
        .where('id', '=', id)
        .where((expression) =>
          expression.or([
            expression('last_used_at', 'is', null),
            expression('last_used_at', '<', usedAt),
          ]),
        )
        .execute();
    },
  };
}
