import { sql } from 'kysely';
import { createAccountQueries } from './account-queries.ts';
import { createApiKeyQueries } from './api-key-queries.ts';
import { createConsoleActivityQueries } from './console-activity-queries.ts';
import { createConsoleUserQueries } from './console-user-queries.ts';
import { createLedgerQueries } from './create-ledger-queries.ts';
import type { Store } from './store.ts';
import type { StoreContext } from './store-context.ts';

export interface KyselyStoreOptions extends StoreContext {
  migrate: () => Promise<void>;
}

/** The one `Store` implementation: the SQL is the same on both engines. */
export function createKyselyStore(options: KyselyStoreOptions): Store {
  const { db, now } = options;
  let closed = false;
  // Object.assign rather than a literal that starts with spreads (docs/decisions/0007).
  return Object.assign(
    {},
    createAccountQueries(options),
    createApiKeyQueries(db, now),
    createLedgerQueries(options),
    createConsoleUserQueries(options),
    createConsoleActivityQueries(options),
    {
      async ping() {
        await sql`select 1`.execute(db);
      },
      migrate: options.migrate,
      async close() {
        if (closed) return;
        closed = true;
        await db.destroy();
      },
    },
  );
}
