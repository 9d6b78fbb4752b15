import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreEngine } from '../database-schema.ts';

/**
 * Users of the web console (`/console`) and their cookie sessions. A console user owns exactly one
 * ledger account; emails are unique whatever their case (an expression index on `lower(email)`,
 * which both engines support). Sessions are keyed by the SHA-256 of the cookie's id, so a leaked
 * table cannot be replayed as cookies.
 */
export function createMigration0004(_engine: StoreEngine): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('console_users')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('email', 'text', (column) => column.notNull())
        .addColumn('password_hash', 'text', (column) => column.notNull())
        .addColumn('account_id', 'text', (column) =>
          column.notNull().references('accounts.id').onDelete('restrict'),
        )
        .addColumn('role', 'text', (column) =>
          column.notNull().check(sql`role in ('user', 'admin')`),
        )
        .addColumn('locale', 'text', (column) => column.notNull())
        .addColumn('disabled', 'bigint', (column) => column.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('last_login_at', 'text')
        .execute();
      await db.schema
        .createIndex('console_users_email_lower')
        .on('console_users')
        .unique()
        .expression(sql`lower(email)`)
        .execute();
      await db.schema
        .createIndex('console_users_account_id')
        .on('console_users')
        .column('account_id')
        .execute();

      await db.schema
        .createTable('console_sessions')
        .addColumn('id_hash', 'text', (column) => column.primaryKey())
        .addColumn('user_id', 'text', (column) =>
          column.notNull().references('console_users.id').onDelete('cascade'),
        )
        .addColumn('csrf_token_hash', 'text', (column) => column.notNull())
        .addColumn('created_at', 'text', (column) => column.notNull())
        .addColumn('expires_at', 'text', (column) => column.notNull())
        .execute();
      await db.schema
        .createIndex('console_sessions_user_id')
        .on('console_sessions')
        .column('user_id')
        .execute();
      await db.schema
        .createIndex('console_sessions_expires_at')
        .on('console_sessions')
        .column('expires_at')
        .execute();
    },
  };
}
