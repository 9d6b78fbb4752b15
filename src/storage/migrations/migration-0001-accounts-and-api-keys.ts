import type { Kysely, Migration } from 'kysely';
import type { StoreEngine } from '../database-schema.ts';

/**
 * Accounts and API keys. Timestamps are text (ISO-8601 UTC) on both engines, so this migration
 * needs no dialect switch; later ones use `engine` where types differ (BIGINT money on PostgreSQL,
 * INTEGER on SQLite, which is 64-bit).
 */
export function createMigration0001(_engine: StoreEngine): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull().unique())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('disabled_at', 'text')
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('account_id', 'text', (column) =>
          column.notNull().references('accounts.id').onDelete('restrict'),
        )
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('prefix', 'text', (column) => column.notNull())
        .addColumn('last_four', 'text', (column) => column.notNull())
        .addColumn('key_hash', 'text', (column) => column.notNull().unique())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('expires_at', 'text')
        .addColumn('last_used_at', 'text')
        .execute();

      await db.schema
        .createIndex('api_keys_account_id')
        .on('api_keys')
        .column('account_id')
        .execute();
      await db.schema.createIndex('api_keys_prefix').on('api_keys').column('prefix').execute();
    },
  };
}
