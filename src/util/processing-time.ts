/**
 * Where a stream's stages add the time they spend on its chunks (decoding and mapping each
 * upstream read; metering, encoding and writing what it gave), in milliseconds. The request's
 * timings are one: its usage row counts this time in the gateway's overhead (protocols.md §6).
 * Read with `performance.now()` around each read's synchronous work, once per read rather than
 * per event.
 */
export interface ProcessingTime {
  chunkProcessingMs?: number;
}

/** Adds the time since `startedAt` (a `performance.now()` reading) to `sink`. */
export function addProcessingTime(sink: ProcessingTime, startedAt: number): void {
  sink.chunkProcessingMs = (sink.chunkProcessingMs ?? 0) + (performance.now() - startedAt);
}
