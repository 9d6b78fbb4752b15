import { writeSync } from 'node:fs';

/** What pino needs of a destination, plus an explicit flush for shutdown. */
export interface BatchedLogWriter {
  /** Queues one serialized log line (with its newline); written at the end of this turn. */
  write(line: string): boolean;
  /** Writes everything queued now, synchronously. */
  flush(): void;
  /** Flushes and stops flushing at process exit (the app closed). Later lines are still written. */
  close(): void;
  /** Lines dropped because the output could not keep up (see `maxPendingBytes`). */
  readonly droppedLines: number;
}

export interface BatchedLogWriterOptions {
  /** The file descriptor to write to (1: stdout). */
  fd: number;
  /**
   * Most bytes held while the output refuses more (a full non-blocking pipe); later lines are
   * dropped and counted, and a line saying how many is written once the output drains. Default
   * 16 MiB.
   */
  maxPendingBytes?: number;
  /** How long to wait before writing again after the output refused more, ms. Default 20. */
  retryAfterMs?: number;
  /** The write call (tests); default `fs.writeSync`. */
  writeSyncTo?: (fd: number, buffer: Buffer, offset: number, length: number) => number;
}

/** Writers flushed when the process exits: one `exit` listener for all of them. */
const flushedAtExit = new Set<() => void>();
let exitListenerAdded = false;

function flushAtExit(flush: () => void): void {
  flushedAtExit.add(flush);
  if (exitListenerAdded) return;
  exitListenerAdded = true;
  process.once('exit', () => {
    for (const pending of flushedAtExit) pending();
  });
}

const DEFAULT_MAX_PENDING_BYTES = 16 * 1024 * 1024;
const DEFAULT_RETRY_AFTER_MS = 20;

function isErrorWithCode(error: unknown, ...codes: string[]): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    codes.includes(error.code)
  );
}

/**
 * Request logs, written once per event-loop turn in one synchronous write. pino's default
 * destination hands every write to libuv's thread pool (a thread wake-up and a completion callback
 * each time): the gateway spent about 7 µs of CPU per request on that alone at 50 connections. Here
 * every line logged during a turn (under load, all the requests that turn finished) is joined and
 * written with one `write(2)` in a `setImmediate`, so a line reaches the output at most one turn
 * after it was logged, and at most one turn of lines is lost if the process is killed with
 * SIGKILL (a normal exit or `close` flushes). A full non-blocking pipe (EAGAIN) keeps the rest and
 * retries after `retryAfterMs`, holding at most `maxPendingBytes` meanwhile; a closed output
 * (EPIPE) or another write error stops logging rather than failing requests.
 */
export function createBatchedLogWriter(options: BatchedLogWriterOptions): BatchedLogWriter {
  const { fd } = options;
  const maxPendingBytes = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
  const retryAfterMs = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  const writeTo =
    options.writeSyncTo ??
    ((target: number, buffer: Buffer, offset: number, length: number) =>
      writeSync(target, buffer, offset, length));
  let lines: string[] = [];
  let pendingLength = 0;
  /** Bytes that a refused write left over, written before any newer line. */
  let leftover: Buffer | undefined;
  let scheduled = false;
  let retrying = false;
  let stopped = false;
  let droppedLines = 0;
  let droppedSinceReport = 0;

  function schedule(): void {
    if (scheduled || retrying) return;
    scheduled = true;
    setImmediate(flushFromLoop);
  }

  function flushFromLoop(): void {
    scheduled = false;
    flush();
  }

  function retryLater(): void {
    retrying = true;
    setTimeout(() => {
      retrying = false;
      flush();
    }, retryAfterMs).unref();
  }

  /** Writes `buffer` from `offset`; returns what was left when the output refused more. */
  function writeAll(buffer: Buffer): Buffer | undefined {
    let offset = 0;
    while (offset < buffer.length) {
      try {
        offset += writeTo(fd, buffer, offset, buffer.length - offset);
      } catch (error) {
        if (isErrorWithCode(error, 'EAGAIN', 'EWOULDBLOCK', 'EBUSY')) {
          return buffer.subarray(offset);
        }
        // EPIPE (nobody reads any more), EBADF and the like: logging stops, requests go on.
        stopped = true;
        lines = [];
        pendingLength = 0;
        return undefined;
      }
    }
    return undefined;
  }

  function flush(): void {
    if (stopped || retrying) return;
    if (leftover !== undefined) {
      leftover = writeAll(leftover);
      if (leftover !== undefined) {
        retryLater();
        return;
      }
    }
    if (droppedSinceReport > 0) {
      lines.unshift(
        `${JSON.stringify({ level: 40, time: Date.now(), msg: `${droppedSinceReport} log lines were dropped: the log output was not being read fast enough` })}\n`,
      );
      droppedSinceReport = 0;
    }
    if (lines.length === 0) return;
    const text = lines.length === 1 ? (lines[0] ?? '') : lines.join('');
    lines = [];
    pendingLength = 0;
    leftover = writeAll(Buffer.from(text, 'utf8'));
    if (leftover !== undefined) retryLater();
  }

  flushAtExit(flush);

  return {
    write(line) {
      if (stopped) return true;
      const held = pendingLength + (leftover?.length ?? 0);
      if (held + line.length > maxPendingBytes) {
        droppedLines += 1;
        droppedSinceReport += 1;
        return true;
      }
      lines.push(line);
      pendingLength += line.length;
      schedule();
      return true;
    },
    flush,
    close() {
      flush();
      flushedAtExit.delete(flush);
    },
    get droppedLines() {
      return droppedLines;
    },
  };
}
