import type { BenchChild } from '../child/spawn-bench-child.ts';

/**
 * Reads a process's resident set every `intervalMs` until `done` settles; resolves with the
 * highest reading, or NaN when a read failed (the caller's own outcome tells why). Never rejects.
 */
export async function samplePeakRss(
  processUnderTest: BenchChild,
  done: Promise<unknown>,
  intervalMs: number,
): Promise<number> {
  let finished = false;
  const stop = done.then(
    () => undefined,
    () => undefined,
  );
  void stop.then(() => {
    finished = true;
  });
  let peak = 0;
  try {
    while (!finished) {
      const snapshot = await processUnderTest.memory();
      peak = Math.max(peak, snapshot.rssBytes);
      await Promise.race([stop, new Promise((resolve) => setTimeout(resolve, intervalMs))]);
    }
    return peak;
  } catch {
    return Number.NaN;
  }
}
