import { fstatSync, write as writeAsync, writeSync } from 'node:fs';

/** What pino needs of a destination, plus explicit flushing for shutdown. */
export interface BatchedLogWriter {
  /** Queues one serialized log line (with its newline); written after this turn. */
  write(line: string): boolean;
  /**
   * Writes everything queued now, synchronously (process exit). A write already handed to the
   * thread pool is left to finish there, so what is queued may land before it.
   */
  flush(): void;
  /**
   * Waits (at most `closeWaitMs`) for the write in flight, then flushes, in order, and stops
   * flushing at process exit (the app closed). Later lines are still written.
   */
  close(): Promise<void>;
  /** Lines dropped because the output could not keep up (see `maxPendingBytes`). */
  readonly droppedLines: number;
}

type WriteCallback = (error: NodeJS.ErrnoException | null, written: number) => void;

export interface BatchedLogWriterOptions {
  /** The file descriptor to write to (1: stdout). */
  fd: number;
  /**
   * Most bytes held while the output does not keep up (a slow or full pipe); later lines are
   * dropped and counted, and a line saying how many is written once the output catches up.
   * Default 16 MiB.
   */
  maxPendingBytes?: number;
  /** How long to wait before writing again after the output refused more (EAGAIN), ms. Default 20. */
  retryAfterMs?: number;
  /** The asynchronous write (tests); default `fs.write`, which runs on libuv's thread pool. */
  writeTo?: (fd: number, buffer: Buffer, callback: WriteCallback) => void;
  /** The synchronous write for `flush` (tests); default `fs.writeSync`. */
  writeSyncTo?: (fd: number, buffer: Buffer) => number;
  /** How long `close` waits for a write in flight, ms. Default 1000. */
  closeWaitMs?: number;
  /**
   * How long a synchronous flush (exit, `close`) keeps retrying an output that refuses more
   * (EAGAIN) before it gives up on what is left, ms. Default 1000.
   */
  flushWaitMs?: number;
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
const DEFAULT_CLOSE_WAIT_MS = 1_000;
const DEFAULT_FLUSH_WAIT_MS = 1_000;
/** The pause between two synchronous attempts on a refusing output: a reader drains a pipe in less. */
const FLUSH_RETRY_MS = 5;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread for `ms` (only at exit or close, where nothing else is left to run). */
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

function isRegularFile(fd: number): boolean {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

function isRefusal(error: unknown): boolean {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EBUSY';
}

function droppedReport(count: number): string {
  return `${JSON.stringify({ level: 40, time: Date.now(), msg: `${count} log lines were dropped: the log output was not being read fast enough` })}\n`;
}

/**
 * Request logs, gathered per event-loop turn and written with at most one write in flight.
 * pino's default destination starts a thread-pool write as soon as the previous one finished,
 * which under load meant about one write, one thread wake-up and one completion callback per
 * request: about 7 µs of the gateway's CPU per request at 50 connections. Here the lines of a turn
 * (all the requests that turn finished) go out together in one write after the turn, and lines
 * logged while that write is in flight go out together in the next one.
 *
 * The write stays on the thread pool, so a slow reader of stdout (a pipe to a log shipper that
 * stalls) never blocks the event loop: lines wait in memory, at most `maxPendingBytes`, beyond
 * which they are dropped and counted, and a warning line says how many once the output catches up.
 * A regular file is the exception: a write there only copies into the page cache, so
 * each turn's lines go out in one synchronous write after the turn. Handing that write to the thread
 * pool cost far more than making it: a thread wake-up and a completion callback, and where the
 * gateway shares one core with the thread pool, the thread's whole run (bench, requests phase:
 * about 190 µs of the event loop per write, 13 µs per request; written at once, a few µs).
 * A non-blocking output that refuses more (EAGAIN) is retried after `retryAfterMs`; a closed one
 * (EPIPE) or any other write error stops logging rather than failing requests. A normal exit and
 * `close` write what is queued synchronously, waiting up to `flushWaitMs` for a full non-blocking
 * output to take it; a SIGKILL loses what was queued (at most a turn's lines when the output keeps
 * up).
 */
export function createBatchedLogWriter(options: BatchedLogWriterOptions): BatchedLogWriter {
  const { fd } = options;
  const maxPendingBytes = options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES;
  const retryAfterMs = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  const writeTo =
    options.writeTo ??
    ((target: number, buffer: Buffer, callback: WriteCallback) =>
      writeAsync(target, buffer, 0, buffer.length, null, callback));
  const writeSyncTo =
    options.writeSyncTo ?? ((target: number, buffer: Buffer) => writeSync(target, buffer));
  // A regular file's writes go to the page cache and never wait for a reader: written at once.
  // Pipes, sockets and terminals can stall, and a test's own `writeTo` is asynchronous.
  const synchronous = options.writeTo === undefined && isRegularFile(fd);
  let lines: string[] = [];
  let queuedLength = 0;
  /** The bytes of the write in flight (or refused and waiting for a retry) not yet written. */
  let inFlight: Buffer | undefined;
  /** A write call is outstanding on the thread pool (not merely waiting for a retry). */
  let active = false;
  /** Told when nothing is in flight any more (`close` waits for it). */
  let onIdle: (() => void) | undefined;
  let scheduled = false;
  let stopped = false;
  let droppedLines = 0;
  let droppedSinceReport = 0;

  function stop(): void {
    stopped = true;
    lines = [];
    queuedLength = 0;
    inFlight = undefined;
    onIdle?.();
  }

  function schedule(): void {
    if (scheduled || inFlight !== undefined || stopped) return;
    scheduled = true;
    setImmediate(startWrite);
  }

  /** The queued lines as one buffer (the drop report first), emptying the queue. */
  function takeQueued(): Buffer | undefined {
    if (droppedSinceReport > 0) {
      lines.unshift(droppedReport(droppedSinceReport));
      droppedSinceReport = 0;
    }
    if (lines.length === 0) return undefined;
    const text = lines.length === 1 ? (lines[0] ?? '') : lines.join('');
    lines = [];
    queuedLength = 0;
    return Buffer.from(text, 'utf8');
  }

  function startWrite(): void {
    scheduled = false;
    if (synchronous) {
      flush();
      return;
    }
    if (stopped || inFlight !== undefined) return;
    inFlight = takeQueued();
    if (inFlight !== undefined) continueWrite();
  }

  function continueWrite(): void {
    const buffer = inFlight;
    if (buffer === undefined || stopped) return;
    active = true;
    writeTo(fd, buffer, (error, written) => {
      active = false;
      if (stopped || inFlight !== buffer) return onIdle?.();
      if (error !== null) {
        if (!isRefusal(error)) return stop();
        setTimeout(continueWrite, retryAfterMs).unref();
        return;
      }
      if (written < buffer.length) {
        inFlight = buffer.subarray(written);
        continueWrite();
        return;
      }
      inFlight = undefined;
      onIdle?.();
      if (lines.length > 0 || droppedSinceReport > 0) schedule();
    });
  }

  function flush(): void {
    if (stopped) return;
    // A refused write waiting for its retry is written here, first; one on the thread pool is not.
    const pending = [active ? undefined : inFlight, takeQueued()].filter(
      (part) => part !== undefined,
    );
    if (!active) inFlight = undefined;
    try {
      for (const part of pending) writeAllSync(part);
    } catch {
      stop();
    }
  }

  /**
   * Writes all of `part` synchronously. A non-blocking output (a pipe libuv opened for stdout)
   * refuses with EAGAIN while it is full: at exit that is the last chance to write these lines, so
   * the write is retried every FLUSH_RETRY_MS while its reader may drain it, up to `flushWaitMs`.
   */
  function writeAllSync(part: Buffer): void {
    const flushWaitMs = options.flushWaitMs ?? DEFAULT_FLUSH_WAIT_MS;
    let offset = 0;
    let waitedMs = 0;
    while (offset < part.length) {
      try {
        offset += writeSyncTo(fd, part.subarray(offset));
      } catch (error) {
        if (!isRefusal(error) || waitedMs >= flushWaitMs) throw error;
        sleepSync(FLUSH_RETRY_MS);
        waitedMs += FLUSH_RETRY_MS;
      }
    }
  }

  flushAtExit(flush);

  return {
    write(line) {
      if (stopped) return true;
      if (queuedLength + (inFlight?.length ?? 0) + line.length > maxPendingBytes) {
        droppedLines += 1;
        droppedSinceReport += 1;
        return true;
      }
      lines.push(line);
      queuedLength += line.length;
      schedule();
      return true;
    },
    flush,
    async close() {
      if (active) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.closeWaitMs ?? DEFAULT_CLOSE_WAIT_MS);
          onIdle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        onIdle = undefined;
      }
      flush();
      flushedAtExit.delete(flush);
    },
    get droppedLines() {
      return droppedLines;
    },
  };
}
