import { type Kysely, sql } from 'kysely';
import { createAccountQueries } from './account-queries.ts';
import { createApiKeyQueries } from './api-key-queries.ts';
import type { Database } from './database-schema.ts';
import type { Store } from './store.ts';

export interface KyselyStoreOptions {
  db: Kysely<Database>;
  /** Every clock read of the store goes through here. */
  now: () => Date;
  migrate: () => Promise<void>;
}

/** The one `Store` implementation: the SQL is the same on both engines. */
export function createKyselyStore(options: KyselyStoreOptions): Store {
  const { db, now } = options;
  let closed = false;
  return {
    ...createAccountQueries(db, now),
    ...createApiKeyQueries(db, now),
    async ping() {
      await sql`select 1`.execute(db);
    },
    migrate: options.migrate,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
