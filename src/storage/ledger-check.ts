import { type RawBuilder, sql } from 'kysely';
import type { StoreEngine } from './database-schema.ts';
import { usageIdempotencyKey } from './ledger-idempotency-keys.ts';
import { type LedgerViolation, SYSTEM_ACCOUNTS } from './ledger-store.ts';
import { toTimestamp } from './map-rows.ts';
import { type SqlProgram, selectRows } from './sql-program.ts';
import type { StoreContext } from './store-context.ts';

type Invariant = LedgerViolation['invariant'];
type Row = Record<string, unknown>;

interface Check {
  invariant: Invariant;
  /** Every row it returns is one breach. */
  query: RawBuilder<Row>;
  describe(row: Row): string;
}

function query(fragments: TemplateStringsArray, ...values: unknown[]): RawBuilder<Row> {
  return sql<Row>(fragments, ...values);
}

function check(invariant: Invariant, rows: RawBuilder<Row>, describe: Check['describe']): Check {
  return { invariant, query: rows, describe };
}

/**
 * The idempotency key of the usage transaction of the request named by `column`
 * (`usageIdempotencyKey` in SQL): every check finds that transaction through its unique index.
 * The `usage:` namespace is usage's alone, so the key also says the kind; a join that tested
 * `kind` too could lead SQLite's planner to scan usage transactions by (kind, created_at) and
 * search the other table for each.
 */
function usageKeyOf(column: string): RawBuilder<string> {
  return sql<string>`${sql.lit(usageIdempotencyKey(''))} || ${sql.ref(column)}`;
}

/** Whether the request named by `column` has its usage transaction. */
function usageTransactionExists(column: string): RawBuilder<unknown> {
  return sql`exists (select 1 from ledger_transactions t
    where t.idem_key = ${usageKeyOf(column)})`;
}

/**
 * Verifies I1 to I10 of ledger.md with one SQL query per rule, all in one read-only snapshot, and
 * returns every breach found ([] when the ledger is sound). I7 is checked at `now`; I4 as far as
 * the rows show it (an estimated cost above its hold, beyond what failed attempts were billed);
 * I8 as the stored key and payload hash of every credit; I9 as the triggers that refuse changes to
 * entries and transactions; I10 per request, in all and per UTC month.
 *
 * I11 and I12 cannot be verified from the data alone: no row stores the prices a request was
 * charged at (only its tokens and cost), so neither the model an attempt was priced at nor the
 * rounding of its cost can be recomputed. What the rows can show of them is checked already: each
 * request's charge equals its recorded cost (I10), hence Σ charged = Σ per-request rounded cost.
 */
export function checkLedger(context: StoreContext, now: Date): Promise<LedgerViolation[]> {
  const checks = buildChecks(context.engine, now);
  return context.runner.read(() => checkProgram(context, checks));
}

function* checkProgram(context: StoreContext, checks: Check[]): SqlProgram<LedgerViolation[]> {
  const violations: LedgerViolation[] = [];
  for (const check of checks) {
    const rows = yield* selectRows(check.query.compile(context.db));
    for (const row of rows) {
      violations.push({ invariant: check.invariant, detail: check.describe(row) });
    }
  }
  return violations;
}

/**
 * What the provider billed for the failed attempts of the usage record `u` (I11): the
 * `costMicros` (decimal text) its `attempts` JSON records on each billed attempt.
 */
function failedAttemptsCost(engine: StoreEngine): RawBuilder<unknown> {
  return engine === 'sqlite'
    ? sql`(select coalesce(sum(cast(json_extract(a.value, '$.costMicros') as integer)), 0)
        from json_each(u.attempts) a)`
    : sql`(select coalesce(sum(cast(a ->> 'costMicros' as numeric)), 0)
        from jsonb_array_elements(cast(u.attempts as jsonb)) a)`;
}

/** The append-only tables (I9) and, per engine, the trigger that refuses each change. */
const APPEND_ONLY = ['ledger_entries', 'ledger_transactions'].flatMap((table) =>
  (['update', 'delete'] as const).map((event) => ({
    table,
    event,
    sqlite: `${table}_no_${event}`,
    postgres: `${table}_append_only`,
  })),
);

/**
 * Each append-only table and change (I9) whose refusing trigger (migration 0002's, rebuilt by
 * 0003 and 0005 on SQLite) is missing, disabled, on another table, fires on other events or does
 * not raise. PostgreSQL resolves the table through the search path, as the store's statements do.
 */
function missingAppendOnlyTriggers(engine: StoreEngine): RawBuilder<Row> {
  const expected = sql.join(
    APPEND_ONLY.map(
      (each) => sql`select ${sql.lit(each.table)} as table_name, ${sql.lit(each.event)} as event,
        ${sql.lit(engine === 'sqlite' ? each.sqlite : each.postgres)} as trigger_name,
        ${sql.lit(each.event === 'update' ? 16 : 8)} as event_bit`,
    ),
    sql` union all `,
  );
  if (engine === 'sqlite') {
    return query`select x.table_name, x.event, x.trigger_name from (${expected}) as x
      where not exists (select 1 from sqlite_master m where m.type = 'trigger'
        and m.name = x.trigger_name and m.tbl_name = x.table_name
        and lower(m.sql) like '%before ' || x.event || '%'
        and lower(m.sql) like '%raise(abort%')`;
  }
  // pg_trigger.tgtype: bit 8 = DELETE, 16 = UPDATE; tgenabled 'D' (disabled) and 'R' (replica
  // only) do not fire in an ordinary session.
  return query`select x.table_name, x.event, x.trigger_name from (${expected}) as x
    where not exists (select 1 from pg_trigger g join pg_proc p on p.oid = g.tgfoid
      where g.tgrelid = to_regclass(x.table_name) and g.tgname = x.trigger_name
        and g.tgenabled in ('O', 'A') and (g.tgtype & x.event_bit) <> 0
        and p.prosrc ilike '%raise exception%')`;
}

function buildChecks(engine: StoreEngine, now: Date): Check[] {
  const systemAccounts = sql.join(Object.values(SYSTEM_ACCOUNTS));
  return [
    check(
      'I1',
      query`select txn_id, cast(sum(amount_micros) as bigint) as total from ledger_entries
        group by txn_id having sum(amount_micros) <> 0`,
      (row) => `transaction ${row.txn_id} entries sum to ${row.total}, not 0`,
    ),
    check(
      'I1',
      query`select total from (select cast(coalesce(sum(amount_micros), 0) as bigint) as total
        from ledger_entries) as ledger where total <> 0`,
      (row) => `all entries sum to ${row.total}, not 0`,
    ),
    check(
      'I2',
      query`select b.account_id, b.posted_micros, cast(coalesce(e.total, 0) as bigint) as total
        from ledger_balances b left join (select account_id, sum(amount_micros) as total
          from ledger_entries group by account_id) e on e.account_id = b.account_id
        where b.posted_micros <> coalesce(e.total, 0)`,
      (row) =>
        `account ${row.account_id} caches posted ${row.posted_micros}, entries sum to ${row.total}`,
    ),
    check(
      'I2',
      query`select b.account_id, b.held_micros, cast(coalesce(h.total, 0) as bigint) as total
        from ledger_balances b left join (select account_id, sum(amount_micros) as total
          from ledger_holds where state = 'open' group by account_id) h
          on h.account_id = b.account_id
        where b.held_micros <> coalesce(h.total, 0)`,
      (row) =>
        `account ${row.account_id} caches held ${row.held_micros}, open holds sum to ${row.total}`,
    ),
    check(
      'I3',
      query`select account_id, held_micros from ledger_balances where held_micros < 0`,
      (row) => `account ${row.account_id} holds ${row.held_micros}, below 0`,
    ),
    // Available may fall below 0 only by what settles charged beyond their open holds (I4): a
    // cost above its hold by the difference, a settle without an open hold by its whole cost.
    // Credits pay that back, so the bound is the overage still unpaid, not every overage the
    // account ever had: walking its entries in the order they were written, each overage adds to
    // it and each credit takes from it down to 0, which is the running sum of the steps less its
    // lowest point (0 included). Debits are no step: they must fit the balance when written.
    check(
      'I3',
      query`select b.account_id, cast(b.posted_micros - b.held_micros as bigint) as available,
          cast(coalesce(w.unpaid, 0) as bigint) as unpaid
        from ledger_balances b left join (
          select account_id,
            sum(step) - min(case when running < 0 then running else 0 end) as unpaid
          from (select account_id, step, sum(step) over (partition by account_id order by id
              rows unbounded preceding) as running
            from (select e.id, e.account_id, case
                when t.kind <> 'usage' then
                  case when e.amount_micros > 0 then -e.amount_micros else 0 end
                when h.state = 'settled' and h.account_id = e.account_id then
                  case when -e.amount_micros > h.amount_micros
                    then -e.amount_micros - h.amount_micros else 0 end
                else -e.amount_micros end as step
              from ledger_entries e
              join ledger_transactions t on t.id = e.txn_id
              left join ledger_holds h on h.request_id = t.request_id
              where e.account_id not in (${systemAccounts})) as steps) as walk
          group by account_id) w on w.account_id = b.account_id
        where b.account_id not in (${systemAccounts})
          and b.posted_micros - b.held_micros + coalesce(w.unpaid, 0) < 0`,
      (row) =>
        `account ${row.account_id} has ${row.available} available, below the −${row.unpaid} its unpaid overage allows`,
    ),
    // Only a provider-reported cost may exceed its hold (I4): an estimate is capped at the hold,
    // and then the failed attempts the provider billed are added (recorded per attempt, I11).
    // The attempts are read only for an estimate above its hold, which should never be.
    check(
      'I4',
      query`select u.request_id, u.cost_micros, h.amount_micros from usage_records u
        join ledger_holds h on h.request_id = u.request_id
        where u.estimated <> 0 and u.cost_micros > h.amount_micros
          and case when u.cost_micros > h.amount_micros
            then u.cost_micros - ${failedAttemptsCost(engine)} else 0 end > h.amount_micros`,
      (row) =>
        `request ${row.request_id} was charged an estimate of ${row.cost_micros}, above its hold of ${row.amount_micros}`,
    ),
    check(
      'I5',
      query`select request_id, count(*) as count from ledger_transactions where kind = 'usage'
        group by request_id having count(*) > 1`,
      (row) => `request ${row.request_id} has ${row.count} usage transactions`,
    ),
    // The checks below find a request's usage transaction by this key: sound while each usage
    // transaction's key names its own request.
    check(
      'I5',
      query`select id, request_id, idem_key from ledger_transactions where kind = 'usage'
        and (request_id is null or idem_key <> ${usageKeyOf('request_id')})`,
      (row) =>
        `usage transaction ${row.id} has the key ${row.idem_key}, not that of its request ${row.request_id}`,
    ),
    check(
      'I5',
      query`select u.request_id from usage_records u
        where not ${usageTransactionExists('u.request_id')}`,
      (row) => `usage record ${row.request_id} has no usage transaction`,
    ),
    check(
      'I5',
      query`select t.request_id from ledger_transactions t where t.kind = 'usage'
        and not exists (select 1 from usage_records u where u.request_id = t.request_id)`,
      (row) => `usage transaction of request ${row.request_id} has no usage record`,
    ),
    check(
      'I5',
      query`select h.request_id from ledger_holds h where h.state = 'settled'
        and not ${usageTransactionExists('h.request_id')}`,
      (row) => `hold ${row.request_id} is settled but no usage transaction was posted`,
    ),
    check(
      'I6',
      query`select request_id, state from ledger_holds
        where (state <> 'open' and resolved_at is null) or (state = 'open' and resolved_at is not null)`,
      (row) => `hold ${row.request_id} is ${row.state} with an inconsistent resolved_at`,
    ),
    check(
      'I6',
      query`select h.request_id from ledger_holds h where h.state = 'open'
        and ${usageTransactionExists('h.request_id')}`,
      (row) => `hold ${row.request_id} is open though its request was settled`,
    ),
    check(
      'I7',
      query`select request_id, expires_at from ledger_holds
        where state = 'open' and expires_at < ${toTimestamp(now)}`,
      (row) => `hold ${row.request_id} is open past its expiry ${row.expires_at}`,
    ),
    // A credit (every kind but usage, whose key I5 checks) is idempotent only on its external
    // key, and a replay is told from a conflict only by the stored payload hash: both must be there.
    check(
      'I8',
      query`select id, kind, account_id from ledger_transactions where kind <> 'usage'
        and (idem_key is null or trim(idem_key) = '' or payload_hash is null
          or trim(payload_hash) = '')`,
      (row) =>
        `${row.kind} transaction ${row.id} of account ${row.account_id} lacks its idempotency key or payload hash`,
    ),
    check(
      'I9',
      missingAppendOnlyTriggers(engine),
      (row) =>
        `${row.table_name} accepts ${String(row.event).toUpperCase()}: its trigger ${row.trigger_name} is missing or does not refuse it`,
    ),
    check(
      'I10',
      query`select u.request_id, u.cost_micros, cast(coalesce(-e.total, 0) as bigint) as charged
        from usage_records u
        join ledger_transactions t on t.idem_key = ${usageKeyOf('u.request_id')}
        left join (select txn_id, account_id, sum(amount_micros) as total from ledger_entries
          group by txn_id, account_id) e on e.txn_id = t.id and e.account_id = t.account_id
        where u.cost_micros <> coalesce(-e.total, 0)`,
      (row) => `request ${row.request_id} costs ${row.cost_micros} but was charged ${row.charged}`,
    ),
    check(
      'I10',
      query`select recorded, charged from (
          select cast((select coalesce(sum(cost_micros), 0) from usage_records) as bigint)
            as recorded,
          cast((select coalesce(-sum(e.amount_micros), 0) from ledger_entries e
            join ledger_transactions t on t.id = e.txn_id
            where t.kind = 'usage' and e.account_id = t.account_id) as bigint) as charged
        ) as totals where recorded <> charged`,
      (row) => `usage records total ${row.recorded}, usage entries charged ${row.charged}`,
    ),
    // The monthly report's period (I10). Timestamps are ISO-8601 UTC text on both engines
    // (`toTimestamp`), so a row's UTC month is its first seven characters, the same SQL on both.
    check(
      'I10',
      query`select month, cast(sum(recorded) as bigint) as recorded,
          cast(sum(charged) as bigint) as charged
        from (select substr(created_at, 1, 7) as month, cost_micros as recorded, 0 as charged
            from usage_records
          union all
          select substr(e.created_at, 1, 7), 0, -e.amount_micros from ledger_entries e
            join ledger_transactions t on t.id = e.txn_id
            where t.kind = 'usage' and e.account_id = t.account_id) as sides
        group by month having sum(recorded) <> sum(charged)`,
      (row) =>
        `usage records of ${row.month} total ${row.recorded}, usage entries of ${row.month} charged ${row.charged}`,
    ),
  ];
}
