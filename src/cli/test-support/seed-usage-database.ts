import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../storage/open-store.ts';
import type { Store } from '../../storage/store.ts';

export interface SeededDatabase {
  /** `sqlite:<file>` */
  url: string;
  /** The SQLite file itself, for planting breaches. */
  file: string;
  accountIds: Record<'teamA' | 'teamB', string>;
}

/**
 * A SQLite file with two accounts and settled requests: team-a spends ₩1.5 on gpt-4.1 and
 * ₩0.25 on claude-sonnet-4 in November 2026 plus ₩9 in December; team-b ₩2 on gpt-4.1 in November.
 */
export async function seedUsageDatabase(): Promise<SeededDatabase> {
  const file = join(mkdtempSync(join(tmpdir(), 'shepherd-report-')), 'shepherd.db');
  const url = `sqlite:${file}`;
  const store = await openStore({ url });
  try {
    const teamA = await store.createAccount({ name: 'team-a' });
    const teamB = await store.createAccount({ name: 'team-b' });
    for (const account of [teamA, teamB]) {
      await store.postCredit({
        kind: 'top_up',
        accountId: account.id,
        amountMicros: 100_000_000n,
        idempotencyKey: `seed:${account.id}`,
      });
    }
    await settle(store, teamA.id, 'req_a1', 'gpt-4.1', 1_500_000n, '2026-11-01T00:00:00.000Z');
    await settle(
      store,
      teamA.id,
      'req_a2',
      'claude-sonnet-4',
      250_000n,
      '2026-11-30T23:59:59.999Z',
    );
    await settle(store, teamA.id, 'req_a3', 'gpt-4.1', 9_000_000n, '2026-12-01T00:00:00.000Z');
    await settle(store, teamB.id, 'req_b1', 'gpt-4.1', 2_000_000n, '2026-11-15T12:00:00.000Z');
    return { url, file, accountIds: { teamA: teamA.id, teamB: teamB.id } };
  } finally {
    await store.close();
  }
}

async function settle(
  store: Store,
  accountId: string,
  requestId: string,
  model: string,
  costMicros: bigint,
  at: string,
): Promise<void> {
  const createdAt = new Date(at);
  const reserved = await store.reserveCredit({
    requestId,
    accountId,
    keyId: 'key_seed',
    amountMicros: costMicros,
    // Far in the future so `ledger check` never finds the (settled) hold past its expiry.
    expiresAt: new Date('2100-01-01T00:00:00.000Z'),
  });
  if (reserved.status !== 'reserved') throw new Error(`seed reserve: ${reserved.status}`);
  await store.settleUsage({
    usage: {
      requestId,
      accountId,
      keyId: 'key_seed',
      requestedModel: model,
      servedModel: model,
      provider: 'simulated',
      upstreamModel: model,
      status: 'ok',
      errorCode: null,
      inputTokens: 100,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      outputTokens: 20,
      reasoningTokens: 0,
      costMicros,
      currency: 'KRW',
      exchangeRate: '1400',
      estimated: false,
      timeToFirstTokenMs: 120,
      timeToFirstReasoningMs: null,
      timeToFirstContentMs: 120,
      upstreamTimeToFirstByteMs: 100,
      totalMs: 400,
      tokensPerSecond: 50,
      chunks: 5,
      gatewayOverheadMs: 1,
      attempts: '[]',
      createdAt,
    },
  });
}
