import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { CreditInput, UsageRecordInput } from './ledger-store.ts';
import {
  balanceOf,
  type Clock,
  createClock,
  type LedgerTestDatabase,
  unique,
  usageRecord,
} from './ledger-test-kit.ts';
import type { Store } from './store.ts';
import { LedgerConflictError } from './store-errors.ts';

/** Pinned so a failure reproduces; override with SHEPHERD_LEDGER_SEED to explore. */
const SEED = Number(process.env.SHEPHERD_LEDGER_SEED ?? 20_261_124);
const NUM_RUNS = 25;
const MAX_COMMANDS = 30;
const DAY = 86_400_000;
const INITIAL_BALANCE = 2_000n;

interface ModelHold {
  account: 0 | 1;
  amount: bigint;
  state: 'open' | 'settled' | 'expired';
  expiresAt: number;
}

interface LedgerModel {
  posted: [bigint, bigint];
  held: [bigint, bigint];
  holds: Map<string, ModelHold>;
  /** Request ids whose reserve placed a hold, in order. */
  reserved: string[];
  settled: UsageRecordInput[];
  credits: Array<{ input: CreditInput; transactionId: string }>;
  vouchers: Array<{
    codeHash: string;
    amount: bigint;
    expiresAt: number | null;
    redeemed: boolean;
  }>;
  nextId: number;
}

interface LedgerReal {
  handle: { store: Store };
  database: LedgerTestDatabase;
  clock: Clock;
  accounts: [string, string];
  runId: string;
}

type LedgerCommand = fc.AsyncCommand<LedgerModel, LedgerReal>;

async function verify(model: LedgerModel, real: LedgerReal): Promise<void> {
  const { store } = real.handle;
  for (const index of [0, 1] as const) {
    assert.deepEqual(
      await store.getBalance(real.accounts[index]),
      balanceOf(model.posted[index], model.held[index]),
    );
  }
  const open = [...model.holds.values()].filter((hold) => hold.state === 'open').length;
  assert.equal(await store.countOpenHolds(), open);
  assert.deepEqual(await store.checkLedger(real.clock.now()), []);
}

function command(
  label: string,
  check: (model: Readonly<LedgerModel>) => boolean,
  run: (model: LedgerModel, real: LedgerReal) => Promise<void>,
): LedgerCommand {
  return {
    check,
    async run(model, real) {
      await run(model, real);
      await verify(model, real);
    },
    toString: () => label,
  };
}

function nextRequestId(model: LedgerModel, real: LedgerReal): string {
  model.nextId += 1;
  return `${real.runId}-req-${model.nextId}`;
}

function expireInModel(model: LedgerModel, now: number): number {
  let expired = 0;
  for (const hold of model.holds.values()) {
    if (hold.state !== 'open' || hold.expiresAt >= now) continue;
    hold.state = 'expired';
    model.held[hold.account] -= hold.amount;
    expired += 1;
  }
  return expired;
}

const account = fc.constantFrom(0 as const, 1 as const);

const topUp = fc
  .record({ account, amount: fc.bigInt(1n, 2_000n) })
  .map(({ account: index, amount }) =>
    command(
      `TopUp(${index}, ${amount})`,
      () => true,
      async (model, real) => {
        model.nextId += 1;
        const input: CreditInput = {
          kind: 'top_up',
          accountId: real.accounts[index],
          amountMicros: amount,
          idempotencyKey: `${real.runId}-credit-${model.nextId}`,
        };
        const result = await real.handle.store.postCredit(input);
        assert.equal(result.status, 'posted');
        model.posted[index] += amount;
        model.credits.push({ input, transactionId: result.transactionId });
      },
    ),
  );

const reserve = fc
  .record({ account, amount: fc.bigInt(1n, 1_500n), ttl: fc.integer({ min: 1_000, max: 120_000 }) })
  .map(({ account: index, amount, ttl }) =>
    command(
      `Reserve(${index}, ${amount}, ${ttl}ms)`,
      () => true,
      async (model, real) => {
        const requestId = nextRequestId(model, real);
        const expiresAt = real.clock.now().getTime() + ttl;
        const result = await real.handle.store.reserveCredit({
          requestId,
          accountId: real.accounts[index],
          keyId: 'key_model',
          amountMicros: amount,
          expiresAt: new Date(expiresAt),
        });
        // A hold of 0 (a free model) fits any balance, an overdrawn one too.
        const fits = amount === 0n || model.posted[index] - model.held[index] >= amount;
        assert.equal(result.status, fits ? 'reserved' : 'insufficient_balance');
        if (!fits) return;
        model.held[index] += amount;
        model.holds.set(requestId, { account: index, amount, state: 'open', expiresAt });
        model.reserved.push(requestId);
      },
    ),
  );

const settle = fc
  .record({
    pick: fc.nat(),
    mode: fc.constantFrom('below', 'above', 'zero'),
    delta: fc.bigInt(0n, 600n),
  })
  .map(({ pick, mode, delta }) =>
    command(
      `Settle(#${pick}, ${mode}, ${delta})`,
      (model) => model.reserved.length > 0,
      async (model, real) => {
        const requestId = model.reserved[pick % model.reserved.length] ?? '';
        const hold = model.holds.get(requestId);
        assert.ok(hold !== undefined);
        const alreadySettled = model.settled.some((usage) => usage.requestId === requestId);
        const cost =
          mode === 'zero'
            ? 0n
            : mode === 'below'
              ? delta >= hold.amount
                ? 0n
                : hold.amount - delta
              : hold.amount + 1n + delta;
        const usage = usageRecord({
          requestId,
          accountId: real.accounts[hold.account],
          costMicros: cost,
          createdAt: real.clock.now(),
        });
        const result = await real.handle.store.settleUsage({ usage });
        assert.equal(result.status, alreadySettled ? 'already_settled' : 'settled');
        if (alreadySettled) return;
        if (hold.state === 'open') model.held[hold.account] -= hold.amount;
        hold.state = 'settled';
        model.posted[hold.account] -= cost;
        model.settled.push(usage);
      },
    ),
  );

const settleUnreserved = fc
  .record({ account, cost: fc.bigInt(0n, 300n) })
  .map(({ account: index, cost }) =>
    command(
      `SettleUnreserved(${index}, ${cost})`,
      () => true,
      async (model, real) => {
        const usage = usageRecord({
          requestId: nextRequestId(model, real),
          accountId: real.accounts[index],
          costMicros: cost,
          createdAt: real.clock.now(),
        });
        assert.equal((await real.handle.store.settleUsage({ usage })).status, 'settled');
        model.posted[index] -= cost;
        model.settled.push(usage);
      },
    ),
  );

const expire = fc.integer({ min: 1, max: 150_000 }).map((milliseconds) =>
  command(
    `Expire(+${milliseconds}ms)`,
    () => true,
    async (model, real) => {
      real.clock.advance(milliseconds);
      const now = real.clock.now();
      const expired = await real.handle.store.expireHolds(now);
      assert.equal(expired, expireInModel(model, now.getTime()));
    },
  ),
);

const replay = fc
  .record({ pick: fc.nat(), kind: fc.constantFrom('credit', 'conflict', 'settle', 'reserve') })
  .map(({ pick, kind }) =>
    command(
      `Replay(${kind}, #${pick})`,
      (model) =>
        (kind === 'settle' ? model.settled : kind === 'reserve' ? model.reserved : model.credits)
          .length > 0,
      async (model, real) => {
        const { store } = real.handle;
        if (kind === 'settle') {
          const usage = model.settled[pick % model.settled.length];
          assert.ok(usage !== undefined);
          assert.equal((await store.settleUsage({ usage })).status, 'already_settled');
        } else if (kind === 'reserve') {
          const requestId = model.reserved[pick % model.reserved.length] ?? '';
          const result = await store.reserveCredit({
            requestId,
            accountId: real.accounts[0],
            keyId: 'key_model',
            amountMicros: 1n,
            expiresAt: new Date(real.clock.now().getTime() + DAY),
          });
          assert.deepEqual(result, { status: 'duplicate_request' });
        } else {
          const credit = model.credits[pick % model.credits.length];
          assert.ok(credit !== undefined);
          if (kind === 'credit') {
            const result = await store.postCredit(credit.input);
            assert.equal(result.status, 'duplicate');
            assert.equal(result.transactionId, credit.transactionId);
          } else {
            const changed = { ...credit.input, amountMicros: credit.input.amountMicros + 1n };
            await assert.rejects(store.postCredit(changed), LedgerConflictError);
          }
        }
      },
    ),
  );

const redeem = fc
  .record({ voucher: fc.integer({ min: 0, max: 2 }), account })
  .map(({ voucher, account: index }) =>
    command(
      `Redeem(${voucher}, ${index})`,
      () => true,
      async (model, real) => {
        const entry = model.vouchers[voucher];
        assert.ok(entry !== undefined);
        const now = real.clock.now();
        const result = await real.handle.store.redeemVoucher({
          codeHash: entry.codeHash,
          accountId: real.accounts[index],
          now,
        });
        if (entry.redeemed) {
          assert.deepEqual(result, { status: 'already_redeemed' });
        } else if (entry.expiresAt !== null && entry.expiresAt <= now.getTime()) {
          assert.deepEqual(result, { status: 'expired' });
        } else {
          assert.equal(result.status, 'redeemed');
          entry.redeemed = true;
          model.posted[index] += entry.amount;
        }
      },
    ),
  );

const crash = fc.constant(
  command(
    'Crash()',
    () => true,
    async (model, real) => {
      await real.handle.store.close();
      real.handle.store = await real.database.open({ now: real.clock.now });
      const now = real.clock.now();
      // Recovery after a restart is the sweep.
      assert.equal(await real.handle.store.expireHolds(now), expireInModel(model, now.getTime()));
    },
  ),
);

/**
 * Model-based property (ledger.md): random command sequences against a plain model of balances,
 * holds, credits and vouchers, with `checkLedger` clean after every command. Every run gets a
 * fresh database, so a failing run shrinks to its own minimal sequence.
 */
export function registerModelContract(createDatabase: () => Promise<LedgerTestDatabase>): void {
  test('ledger model-based property (fast-check)', async (context) => {
    context.diagnostic(`fast-check seed ${SEED} (set SHEPHERD_LEDGER_SEED to change)`);
    let current: { store: Store } | undefined;
    const closeCurrent = async () => {
      await current?.store.close();
      current = undefined;
    };
    const setup = async () => {
      const database = await createDatabase();
      const clock = createClock();
      current = { store: await database.open({ now: clock.now }) };
      return newRun(current, database, clock);
    };
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.commands([topUp, reserve, settle, settleUnreserved, expire, replay, redeem, crash], {
            maxCommands: MAX_COMMANDS,
            size: 'max',
          }),
          async (commands) => {
            await closeCurrent();
            await fc.asyncModelRun(setup, commands);
          },
        ),
        // verbose: a failing run reports the error it threw, not only the command list.
        { seed: SEED, numRuns: NUM_RUNS, verbose: 1 },
      );
    } finally {
      await closeCurrent();
    }
  });
}

async function newRun(handle: { store: Store }, database: LedgerTestDatabase, clock: Clock) {
  const runId = unique('run');
  const { store } = handle;
  const first = await store.createAccount({ name: `${runId}-a` });
  const second = await store.createAccount({ name: `${runId}-b` });
  for (const accountId of [first.id, second.id]) {
    await store.postCredit({
      kind: 'signup_bonus',
      accountId,
      amountMicros: INITIAL_BALANCE,
      idempotencyKey: `${runId}-bonus-${accountId}`,
    });
  }
  const now = clock.now().getTime();
  const vouchers: LedgerModel['vouchers'] = [
    { codeHash: `${runId}-v0`, amount: 500n, expiresAt: null, redeemed: false },
    { codeHash: `${runId}-v1`, amount: 500n, expiresAt: null, redeemed: false },
    { codeHash: `${runId}-v2`, amount: 800n, expiresAt: now + 30_000, redeemed: false },
  ];
  for (const voucher of vouchers) {
    await store.createVoucherBatch({
      name: voucher.codeHash,
      amountMicros: voucher.amount,
      codes: [{ codeHash: voucher.codeHash, codeLastFour: voucher.codeHash.slice(-4) }],
      createdBy: 'model',
      ...(voucher.expiresAt === null ? {} : { expiresAt: new Date(voucher.expiresAt) }),
    });
  }
  const model: LedgerModel = {
    posted: [INITIAL_BALANCE, INITIAL_BALANCE],
    held: [0n, 0n],
    holds: new Map(),
    reserved: [],
    settled: [],
    credits: [],
    vouchers,
    nextId: 0,
  };
  const real: LedgerReal = { handle, database, clock, accounts: [first.id, second.id], runId };
  return { model, real };
}
