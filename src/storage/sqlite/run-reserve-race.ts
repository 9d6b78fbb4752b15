import { Worker } from 'node:worker_threads';
import * as z from 'zod';
import type { ReserveRaceInput } from './reserve-race-worker.ts';

const replySchema = z.union([
  z.object({ statuses: z.array(z.string()) }),
  z.object({ error: z.string() }),
]);

/**
 * Runs reserves on one SQLite file from several worker threads at once, each with its own
 * connection: the only way to make two connections really contend for the write lock, since
 * one thread runs a whole transaction synchronously. Returns every reserve's status.
 */
export async function runReserveRace(
  input: Omit<ReserveRaceInput, 'requestIds' | 'barrier' | 'workerCount'> & {
    requestIdsPerWorker: string[][];
  },
): Promise<string[]> {
  const barrier = new SharedArrayBuffer(4);
  const workerCount = input.requestIdsPerWorker.length;
  const script = new URL('./reserve-race-worker.ts', import.meta.url).href;
  // Workers do not inherit tsx's loader from --import on Node 20: register it, then load the file.
  const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const bootstrap = `import(${tsxApi}).then(({ register }) => { register(); return import(${JSON.stringify(script)}); })`;
  const replies = input.requestIdsPerWorker.map((requestIds) => {
    const workerData: ReserveRaceInput = {
      filename: input.filename,
      accountId: input.accountId,
      amountMicros: input.amountMicros,
      expiresAt: input.expiresAt,
      requestIds,
      barrier,
      workerCount,
    };
    const worker = new Worker(bootstrap, { eval: true, workerData });
    return new Promise<string[]>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (message: unknown) => {
        void worker.terminate();
        const reply = replySchema.parse(message);
        if ('error' in reply) reject(new Error(reply.error));
        else resolve(reply.statuses);
      });
    });
  });
  return (await Promise.all(replies)).flat();
}
