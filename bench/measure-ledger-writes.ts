/**
 * What billing's storage costs per request on SQLite, the store alone (no gateway, no HTTP):
 *
 *   node --import tsx bench/measure-ledger-writes.ts [--batches 1,10,25,50] [--requests 20000]
 *     [--rounds 3]
 *
 * Each billed request is what the gateway writes for it: a reserve (the hold) and a settle (usage
 * transaction, entries, balances, hold resolved, usage row), through `openStore` and its group
 * commit, on a SQLite file in a temporary folder configured as the gateway's. A batch of N is N
 * requests in flight: N reserves and the previous N requests' settles share one commit, as under
 * load; a batch of 1 is a gateway serving one request at a time, where the reserve and the settle
 * each commit alone. Every batch size gets a fresh database, 2 000 unmeasured requests first, and
 * `--rounds` measurements interleaved with the other sizes; figures are medians over rounds.
 *
 * Printed per batch size: CPU per request (user + system time of this process ÷ requests), wall
 * time per request, how long callers waited for their commits (p50, p99, max: a WAL checkpoint
 * runs inside the commit that crosses `wal_autocheckpoint` and stalls it), and how many pages each
 * commit wrote to the WAL, with the tables and indexes that own them (read from the WAL file and
 * SQLite's `dbstat` after the last round). The process pins itself to CPU 1 with `taskset` where it
 * can, as `npm run bench` pins the gateway; the store runs through tsx, so compare runs of this
 * tool with each other, not with the bench's bundled gateway.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { issueApiKey } from '../src/accounting/issue-api-key.ts';
import { generateRequestId } from '../src/server/generate-request-id.ts';
import type { UsageRecordInput } from '../src/storage/ledger-store.ts';
import { openStore } from '../src/storage/open-store.ts';
import type { Store } from '../src/storage/store.ts';
import { guardBenchRun } from './child/guard-bench-run.ts';
import { canPinCpus } from './child/spawn-bench-child.ts';
import {
  countFramesPerCommit,
  type FramesPerCommit,
  readWalFrames,
} from './measure/read-wal-frames.ts';
import { median, percentile } from './measure/statistics.ts';
import { formatMarkdownTable, formatNumber } from './report/format-markdown-table.ts';

const PINNED_ENV = 'SHEPHERD_LEDGER_BENCH_PINNED';
const WARM_UP_REQUESTS = 2_000;
const HARD_LIMIT_MS = 600_000;

interface BatchReading {
  cpuMicrosPerRequest: number;
  userMicrosPerRequest: number;
  systemMicrosPerRequest: number;
  wallMicrosPerRequest: number;
  /** Milliseconds each caller waited for its commit. */
  commitWaitsMs: number[];
}

interface Ledger {
  store: Store;
  accountId: string;
  keyId: string;
  databaseFile: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      batches: { type: 'string', default: '1,10,25,50' },
      requests: { type: 'string', default: '20000' },
      rounds: { type: 'string', default: '3' },
    },
  });
  const batches = values.batches.split(',').map(Number);
  const requests = Number(values.requests);
  const rounds = Number(values.rounds);
  if (batches.some((batch) => !Number.isInteger(batch) || batch < 1 || batch > 200)) {
    throw new Error('--batches: whole numbers from 1 to 200, comma-separated');
  }
  if (!Number.isInteger(requests) || requests < 1_000 || requests > 200_000) {
    throw new Error('--requests: 1000–200000');
  }
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error('--rounds: 1–10');

  // The shared guard: the folder goes however the run ends (Ctrl-C too), and a run that hangs stops.
  const {
    dataDirectory: folder,
    cleanUp,
    disarm,
  } = guardBenchRun(HARD_LIMIT_MS, {
    onTimeout: () =>
      process.stderr.write(`[ledger bench] stopped after ${HARD_LIMIT_MS / 1000} s\n`),
  });
  try {
    const readings = new Map<number, BatchReading[]>(batches.map((batch) => [batch, []]));
    const frames = new Map<number, FramesPerCommit>();
    for (let round = 1; round <= rounds; round++) {
      for (const batch of batches) {
        const ledger = await openLedger(join(folder, `r${round}-b${batch}.db`));
        try {
          await runRequests(ledger, batch, WARM_UP_REQUESTS);
          readings.get(batch)?.push(await runRequests(ledger, batch, requests));
          if (round === rounds) frames.set(batch, readFramesPerCommit(ledger.databaseFile));
        } finally {
          await ledger.store.close();
        }
      }
      process.stderr.write(`[ledger bench] round ${round}/${rounds} done\n`);
    }
    process.stdout.write(`${formatReport(batches, requests, rounds, readings, frames)}\n`);
  } finally {
    cleanUp();
    disarm();
  }
}

async function openLedger(databaseFile: string): Promise<Ledger> {
  const store = await openStore({ url: `sqlite:${databaseFile}` });
  const issued = await issueApiKey({
    store,
    pepper: 'ledger-bench-pepper-ledger-bench-pepper',
    accountName: 'bench',
    keyName: 'bench',
  });
  await store.postCredit({
    kind: 'top_up',
    accountId: issued.accountId,
    amountMicros: 10n ** 15n,
    idempotencyKey: `ledger-bench:${issued.accountId}`,
  });
  return { store, accountId: issued.accountId, keyId: issued.keyId, databaseFile };
}

/** `count` billed requests, `batch` at a time (see the file's comment). */
async function runRequests(ledger: Ledger, batch: number, count: number): Promise<BatchReading> {
  const { store, accountId, keyId } = ledger;
  const reserve = (requestId: string) =>
    store.reserveCredit({
      requestId,
      accountId,
      keyId,
      amountMicros: 5_000_000n,
      expiresAt: new Date(Date.now() + 600_000),
      owner: 'ledger-bench',
    });
  const settle = (requestId: string) => store.settleUsage({ usage: usageRow(ledger, requestId) });
  const commitWaitsMs: number[] = [];
  const timed = async (work: Promise<unknown>) => {
    const started = performance.now();
    await work;
    commitWaitsMs.push(performance.now() - started);
  };
  // Whole batches: a count that does not divide by the batch makes a few more requests.
  const made = Math.ceil(count / batch) * batch;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  if (batch === 1) {
    for (let done = 0; done < made; done++) {
      const requestId = generateRequestId();
      await timed(reserve(requestId));
      await timed(settle(requestId));
    }
  } else {
    let inFlight: string[] = [];
    for (let done = 0; done < made; done += batch) {
      const arriving = Array.from({ length: batch }, () => generateRequestId());
      await timed(Promise.all([...arriving.map(reserve), ...inFlight.map(settle)]));
      inFlight = arriving;
    }
    await Promise.all(inFlight.map(settle));
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    cpuMicrosPerRequest: (cpu.user + cpu.system) / made,
    userMicrosPerRequest: cpu.user / made,
    systemMicrosPerRequest: cpu.system / made,
    wallMicrosPerRequest: (wallMs * 1000) / made,
    commitWaitsMs,
  };
}

/** A usage row of the shape the gateway writes for a short non-streaming answer. */
function usageRow(ledger: Ledger, requestId: string): UsageRecordInput {
  return {
    requestId,
    accountId: ledger.accountId,
    keyId: ledger.keyId,
    requestedModel: 'gpt-4.1',
    servedModel: 'gpt-4.1',
    provider: 'openai',
    upstreamModel: 'gpt-4.1-2025-04-14',
    status: 'ok',
    errorCode: null,
    inputTokens: 24,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 16,
    reasoningTokens: 0,
    costMicros: 208_320n,
    currency: 'KRW',
    exchangeRate: '1400',
    estimated: false,
    timeToFirstTokenMs: 0.61,
    timeToFirstReasoningMs: null,
    timeToFirstContentMs: 0.61,
    upstreamTimeToFirstByteMs: 0.42,
    totalMs: 0.65,
    tokensPerSecond: null,
    chunks: 1,
    gatewayOverheadMs: 0.12,
    attempts: '[{"provider":"openai","model":"gpt-4.1","status":"ok","errorCode":null}]',
    createdAt: new Date(),
  };
}

/** The WAL's pages per commit and their owners, read while the store is still open. */
function readFramesPerCommit(databaseFile: string): FramesPerCommit {
  const log = readWalFrames(readFileSync(`${databaseFile}-wal`));
  const reader = new BetterSqlite3(databaseFile, { readonly: true });
  try {
    const owners = new Map<number, string>();
    const pages = reader.prepare('select name, pageno from dbstat').all() as Array<{
      name: string;
      pageno: number;
    }>;
    for (const { name, pageno } of pages) owners.set(pageno, name);
    return countFramesPerCommit(log, (page) =>
      page === 1 ? 'database header' : (owners.get(page) ?? 'free or new'),
    );
  } finally {
    reader.close();
  }
}

function formatReport(
  batches: readonly number[],
  requests: number,
  rounds: number,
  readings: ReadonlyMap<number, BatchReading[]>,
  frames: ReadonlyMap<number, FramesPerCommit>,
): string {
  const medianOf = (batch: number, pick: (reading: BatchReading) => number) =>
    median((readings.get(batch) ?? []).map(pick));
  const rows = batches.map((batch) => {
    const log = frames.get(batch);
    return [
      String(batch),
      formatNumber(
        medianOf(batch, (reading) => reading.cpuMicrosPerRequest),
        1,
      ),
      formatNumber(
        medianOf(batch, (reading) => reading.userMicrosPerRequest),
        1,
      ),
      formatNumber(
        medianOf(batch, (reading) => reading.systemMicrosPerRequest),
        1,
      ),
      formatNumber(
        medianOf(batch, (reading) => reading.wallMicrosPerRequest),
        1,
      ),
      formatNumber(
        medianOf(batch, (reading) => percentile(reading.commitWaitsMs, 50)),
        3,
      ),
      formatNumber(
        medianOf(batch, (reading) => percentile(reading.commitWaitsMs, 99)),
        3,
      ),
      formatNumber(
        medianOf(batch, (reading) => Math.max(...reading.commitWaitsMs)),
        3,
      ),
      log === undefined ? 'n/a' : formatNumber(log.frames, 1),
      log === undefined
        ? ''
        : log.byOwner
            .slice(0, 4)
            .map((owner) => `${owner.owner} ${formatNumber(owner.frames, 1)}`)
            .join(', '),
    ];
  });
  return [
    `Billed requests on SQLite, the store alone: ${requests} requests per batch size and round, ${rounds} round(s), medians; pinned to CPU 1: ${process.env[PINNED_ENV] === '1' ? 'yes' : 'no'}`,
    '',
    formatMarkdownTable(
      [
        'requests per commit',
        'CPU µs/request',
        'user',
        'system',
        'wall µs/request',
        'commit wait p50 ms',
        'p99 ms',
        'max ms',
        'WAL pages per commit',
        'most pages per commit',
      ],
      rows,
      ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
    ),
  ].join('\n');
}

/** Runs this tool again under `taskset -c 1` where it can pin, and exits with its status. */
function pinnedOrRun(): void {
  if (process.env[PINNED_ENV] !== undefined || !canPinCpus()) {
    main().catch((error: unknown) => {
      process.stderr.write(
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    });
    return;
  }
  const run = spawnSync(
    'taskset',
    ['-c', '1', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit', env: { ...process.env, [PINNED_ENV]: '1' } },
  );
  process.exit(run.status ?? 1);
}

pinnedOrRun();
