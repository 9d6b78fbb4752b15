import { parentPort, workerData } from 'node:worker_threads';
import * as z from 'zod';
import { openStore } from '../open-store.ts';

/** What `runReserveRace` sends each worker thread. */
export const reserveRaceInputSchema = z.object({
  filename: z.string(),
  accountId: z.string(),
  amountMicros: z.bigint(),
  requestIds: z.array(z.string()),
  expiresAt: z.date(),
  /** One Int32 counter: every worker waits until all have opened their connection. */
  barrier: z.instanceof(SharedArrayBuffer),
  workerCount: z.number().int().positive(),
});

export type ReserveRaceInput = z.infer<typeof reserveRaceInputSchema>;

/** Opens its own connection, waits for the others, then reserves once per request id. */
async function runReserveRaceWorker(input: ReserveRaceInput): Promise<string[]> {
  const store = await openStore({ url: `sqlite:${input.filename}`, migrate: false });
  try {
    const counter = new Int32Array(input.barrier);
    Atomics.add(counter, 0, 1);
    Atomics.notify(counter, 0);
    for (let seen = Atomics.load(counter, 0); seen < input.workerCount; ) {
      Atomics.wait(counter, 0, seen, 5_000);
      seen = Atomics.load(counter, 0);
    }
    const statuses: string[] = [];
    for (const requestId of input.requestIds) {
      const result = await store.reserveCredit({
        requestId,
        accountId: input.accountId,
        keyId: 'key_thread',
        amountMicros: input.amountMicros,
        expiresAt: input.expiresAt,
      });
      statuses.push(result.status);
    }
    return statuses;
  } finally {
    await store.close();
  }
}

if (parentPort !== null) {
  const port = parentPort;
  void runReserveRaceWorker(reserveRaceInputSchema.parse(workerData)).then(
    (statuses) => port.postMessage({ statuses }),
    (error: unknown) => port.postMessage({ error: String(error) }),
  );
}
