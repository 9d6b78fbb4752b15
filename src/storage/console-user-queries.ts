import { type Selectable, sql } from 'kysely';
import type { ConsoleSession, ConsoleStore, ConsoleUser } from './console-store.ts';
import type { ConsoleUsersTable } from './database-schema.ts';
import { generateId } from './generate-id.ts';
import { toTimestamp } from './map-rows.ts';
import type { StoreContext } from './store-context.ts';
import { toConstraintError } from './to-constraint-error.ts';

type ConsoleUserQueries = Pick<
  ConsoleStore,
  | 'createConsoleUser'
  | 'findConsoleUserByEmail'
  | 'listConsoleUsers'
  | 'setConsoleUserRole'
  | 'setConsoleUsersDisabled'
  | 'recordConsoleLogin'
  | 'setConsoleUserLocale'
  | 'createConsoleSession'
  | 'findConsoleSession'
  | 'deleteConsoleSession'
  | 'deleteExpiredConsoleSessions'
>;

function mapConsoleUserRow(row: Selectable<ConsoleUsersTable>): ConsoleUser {
  return {
    id: row.id,
    email: row.email,
    passwordHash: row.password_hash,
    accountId: row.account_id,
    role: row.role,
    locale: row.locale,
    disabled: row.disabled !== 0n,
    createdAt: new Date(row.created_at),
    lastLoginAt: row.last_login_at === null ? null : new Date(row.last_login_at),
  };
}

/** Matches the unique index on `lower(email)`, so the lookup uses it on both engines. */
const lowerEmail = sql<string>`lower(email)`;

export function createConsoleUserQueries(context: StoreContext): ConsoleUserQueries {
  const { db, now } = context;
  return {
    async createConsoleUser(input) {
      const row = {
        id: generateId('cusr'),
        email: input.email.toLowerCase(),
        password_hash: input.passwordHash,
        account_id: input.accountId,
        role: input.role,
        locale: input.locale,
        disabled: 0n,
        created_at: toTimestamp(now()),
        last_login_at: null,
      };
      try {
        await db.insertInto('console_users').values(row).execute();
      } catch (error) {
        throw toConstraintError(error, 'A console user with this email');
      }
      return mapConsoleUserRow(row);
    },

    async findConsoleUserByEmail(email) {
      const row = await db
        .selectFrom('console_users')
        .selectAll()
        .where(lowerEmail, '=', email.toLowerCase())
        .executeTakeFirst();
      return row === undefined ? undefined : mapConsoleUserRow(row);
    },

    async listConsoleUsers(filter = {}) {
      let query = db.selectFrom('console_users').selectAll();
      if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
      const rows = await query.orderBy('created_at').orderBy('id').execute();
      return rows.map(mapConsoleUserRow);
    },

    async setConsoleUserRole(email, role) {
      const result = await db
        .updateTable('console_users')
        .set({ role })
        .where(lowerEmail, '=', email.toLowerCase())
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async setConsoleUsersDisabled(accountId, disabled) {
      const result = await db
        .updateTable('console_users')
        .set({ disabled: disabled ? 1 : 0 })
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async recordConsoleLogin(userId, at) {
      await db
        .updateTable('console_users')
        .set({ last_login_at: toTimestamp(at) })
        .where('id', '=', userId)
        .execute();
    },

    async setConsoleUserLocale(userId, locale) {
      await db.updateTable('console_users').set({ locale }).where('id', '=', userId).execute();
    },

    async createConsoleSession(session) {
      try {
        await db
          .insertInto('console_sessions')
          .values({
            id_hash: session.idHash,
            user_id: session.userId,
            csrf_token_hash: session.csrfTokenHash,
            created_at: toTimestamp(session.createdAt),
            expires_at: toTimestamp(session.expiresAt),
          })
          .execute();
      } catch (error) {
        throw toConstraintError(error, 'A console session');
      }
    },

    async findConsoleSession(idHash, at) {
      const row = await db
        .selectFrom('console_sessions')
        .innerJoin('console_users', 'console_users.id', 'console_sessions.user_id')
        .selectAll('console_users')
        .select([
          'console_sessions.id_hash',
          'console_sessions.csrf_token_hash',
          'console_sessions.created_at as session_created_at',
          'console_sessions.expires_at',
        ])
        .where('console_sessions.id_hash', '=', idHash)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const session: ConsoleSession = {
        idHash: row.id_hash,
        userId: row.id,
        csrfTokenHash: row.csrf_token_hash,
        createdAt: new Date(row.session_created_at),
        expiresAt: new Date(row.expires_at),
      };
      if (session.expiresAt.getTime() <= at.getTime()) {
        await db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
        return undefined;
      }
      return { session, user: mapConsoleUserRow(row) };
    },

    async deleteConsoleSession(idHash) {
      await db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
    },

    async deleteExpiredConsoleSessions(at) {
      const result = await db
        .deleteFrom('console_sessions')
        .where('expires_at', '<=', toTimestamp(at))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
