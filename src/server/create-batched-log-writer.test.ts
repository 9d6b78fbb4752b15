import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  closeSync,
  mkdtempSync,
  openSync,
  read,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createBatchedLogWriter } from './create-batched-log-writer.ts';

const readAsync = promisify(read);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function errorWithCode(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

type Completion = (error: NodeJS.ErrnoException | null, written: number) => void;

/**
 * A fake output whose writes complete only when the test says so: `writes` are the buffers
 * handed to it, `complete` answers the oldest open one (all of it written, or an error code).
 */
function manualOutput() {
  const writes: string[] = [];
  const open: Array<{ buffer: Buffer; callback: Completion }> = [];
  return {
    writes,
    get openWrites() {
      return open.length;
    },
    writeTo(_fd: number, buffer: Buffer, callback: Completion) {
      writes.push(buffer.toString('utf8'));
      open.push({ buffer, callback });
    },
    complete(code?: string, bytes?: number) {
      const next = open.shift();
      assert.ok(next !== undefined, 'no write is open');
      if (code === undefined) next.callback(null, bytes ?? next.buffer.length);
      else next.callback(errorWithCode(code), 0);
    },
  };
}

test('the lines of one turn go out in one write, after the turn', async () => {
  const output = manualOutput();
  const writer = createBatchedLogWriter({ fd: 99, writeTo: output.writeTo });
  writer.write('{"n":1}\n');
  writer.write('{"n":2}\n');
  assert.deepEqual(output.writes, [], 'nothing is written while the turn runs');
  await nextTurn();
  assert.deepEqual(output.writes, ['{"n":1}\n{"n":2}\n']);
  output.complete();
  await writer.close();
});

test('lines logged while a write is in flight go out together in the next one', async () => {
  const output = manualOutput();
  const writer = createBatchedLogWriter({ fd: 99, writeTo: output.writeTo });
  writer.write('a\n');
  await nextTurn();
  writer.write('b\n');
  await nextTurn();
  writer.write('c\n');
  await nextTurn();
  assert.deepEqual(output.writes, ['a\n'], 'one write at a time: the reader is slow');
  output.complete();
  await nextTurn();
  assert.deepEqual(output.writes, ['a\n', 'b\nc\n']);
  output.complete();
  await writer.close();
});

test('a partial write goes on from where it stopped', async () => {
  const output = manualOutput();
  const writer = createBatchedLogWriter({ fd: 99, writeTo: output.writeTo });
  writer.write('hello\n');
  await nextTurn();
  output.complete(undefined, 2);
  assert.deepEqual(output.writes, ['hello\n', 'llo\n']);
  output.complete();
  await writer.close();
});

test('on a real file: written after the turn by default, and at once by flush', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'shepherd-log-'));
  const path = join(directory, 'out.log');
  const fd = openSync(path, 'w');
  try {
    const writer = createBatchedLogWriter({ fd });
    writer.write('{"msg":"요청 완료"}\n');
    writer.write('{"msg":"done"}\n');
    for (let tries = 0; tries < 100 && readFileSync(path, 'utf8') === ''; tries++) await sleep(5);
    assert.equal(readFileSync(path, 'utf8'), '{"msg":"요청 완료"}\n{"msg":"done"}\n');
    await writer.close();
    writer.write('{"msg":"after close"}\n');
    writer.flush();
    assert.equal(
      readFileSync(path, 'utf8'),
      '{"msg":"요청 완료"}\n{"msg":"done"}\n{"msg":"after close"}\n',
    );
  } finally {
    closeSync(fd);
    rmSync(directory, { recursive: true, force: true });
  }
});

test('on a regular file, each turn goes out in one synchronous write, not on the thread pool', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'shepherd-log-'));
  const path = join(directory, 'out.log');
  const fd = openSync(path, 'w');
  const syncWrites: string[] = [];
  try {
    const writer = createBatchedLogWriter({
      fd,
      writeSyncTo: (target, buffer) => {
        syncWrites.push(buffer.toString('utf8'));
        return writeSync(target, buffer);
      },
    });
    writer.write('{"msg":"one"}\n');
    writer.write('{"msg":"two"}\n');
    assert.deepEqual(syncWrites, [], 'nothing is written during the turn');
    await nextTurn();
    assert.deepEqual(syncWrites, ['{"msg":"one"}\n{"msg":"two"}\n']);
    // Written when the write returned: no completion to wait for.
    assert.equal(readFileSync(path, 'utf8'), '{"msg":"one"}\n{"msg":"two"}\n');
    writer.write('{"msg":"three"}\n');
    await nextTurn();
    assert.deepEqual(syncWrites.slice(1), ['{"msg":"three"}\n']);
    await writer.close();
  } finally {
    closeSync(fd);
    rmSync(directory, { recursive: true, force: true });
  }
});

test('a refusing output (EAGAIN) is retried with the same bytes, and order is kept', async () => {
  const output = manualOutput();
  const writer = createBatchedLogWriter({ fd: 99, writeTo: output.writeTo, retryAfterMs: 5 });
  writer.write('a\n');
  await nextTurn();
  writer.write('b\n');
  output.complete('EAGAIN');
  await sleep(20);
  assert.deepEqual(output.writes, ['a\n', 'a\n'], 'the refused write is tried again first');
  output.complete();
  await nextTurn();
  assert.deepEqual(output.writes, ['a\n', 'a\n', 'b\n']);
  output.complete();
  await writer.close();
});

test('while the output does not keep up, lines beyond the cap are dropped and reported', async () => {
  const output = manualOutput();
  const writer = createBatchedLogWriter({ fd: 99, writeTo: output.writeTo, maxPendingBytes: 12 });
  writer.write('12345\n');
  await nextTurn();
  for (const line of ['abcde\n', 'dropped\n', 'also\n']) writer.write(line);
  assert.equal(writer.droppedLines, 2);
  output.complete();
  await nextTurn();
  const [report, kept] = (output.writes[1] ?? '').split('\n');
  assert.match(report ?? '', /"msg":"2 log lines were dropped/);
  assert.equal(kept, 'abcde');
  output.complete();
  await writer.close();
});

test('a closed output (EPIPE) stops logging without throwing into the caller', async () => {
  const output = manualOutput();
  const writer = createBatchedLogWriter({ fd: 99, writeTo: output.writeTo });
  writer.write('lost\n');
  await nextTurn();
  output.complete('EPIPE');
  assert.doesNotThrow(() => writer.write('after\n'));
  await nextTurn();
  assert.equal(output.openWrites, 0, 'nothing more is written');
  await writer.close();
});

test('close waits for the write in flight, then writes what is queued after it', async () => {
  const output = manualOutput();
  const flushed: string[] = [];
  const writer = createBatchedLogWriter({
    fd: 99,
    writeTo: output.writeTo,
    writeSyncTo: (_fd, buffer) => {
      flushed.push(buffer.toString('utf8'));
      return buffer.length;
    },
  });
  writer.write('first\n');
  await nextTurn();
  writer.write('second\n');
  const closing = writer.close();
  await nextTurn();
  assert.deepEqual(flushed, [], 'nothing is flushed before the write in flight ends');
  output.complete();
  await closing;
  assert.deepEqual(flushed, ['second\n']);
});

test('a flush on a full non-blocking output (EAGAIN) waits for it, then writes everything in order', async () => {
  const output = manualOutput();
  const flushed: string[] = [];
  let refusals = 2;
  const writer = createBatchedLogWriter({
    fd: 99,
    writeTo: output.writeTo,
    writeSyncTo: (_fd, buffer) => {
      if (refusals > 0) {
        refusals -= 1;
        throw errorWithCode('EAGAIN');
      }
      // Half of what is asked, as a pipe with little room takes it.
      const taken = Math.max(1, Math.floor(buffer.length / 2));
      flushed.push(buffer.subarray(0, taken).toString('utf8'));
      return taken;
    },
  });
  writer.write('one\n');
  writer.write('two\n');
  writer.flush();
  assert.equal(refusals, 0);
  assert.equal(flushed.join(''), 'one\ntwo\n');
  writer.write('three\n');
  await nextTurn();
  assert.deepEqual(output.writes, ['three\n'], 'the writer goes on after the flush');
  output.complete();
  await writer.close();
});

test('a flush gives up on an output that stays full beyond flushWaitMs, and logging stops', async () => {
  const output = manualOutput();
  let attempts = 0;
  const writer = createBatchedLogWriter({
    fd: 99,
    writeTo: output.writeTo,
    flushWaitMs: 30,
    writeSyncTo: () => {
      attempts += 1;
      throw errorWithCode('EAGAIN');
    },
  });
  writer.write('stuck\n');
  const started = performance.now();
  writer.flush();
  const waited = performance.now() - started;
  assert.ok(waited >= 25, `waited ${waited} ms`);
  assert.ok(attempts >= 2 && attempts <= 8, `${attempts} attempts`);
  writer.write('after\n');
  await nextTurn();
  assert.equal(output.openWrites, 0, 'nothing more is written');
  await writer.close();
});

test('at exit, lines queued for a full non-blocking stdout pipe reach its reader once it reads', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'shepherd-log-exit-'));
  const script = join(directory, 'exit-with-queued-lines.ts');
  const lines = 2_000;
  const writerModule = new URL('./create-batched-log-writer.ts', import.meta.url).href;
  // \`process.stdout\` opens the pipe through libuv, which makes fd 1 non-blocking, as in the
  // gateway (its start banner); the lines, 2 MB, are far more than the pipe's 64 KiB buffer.
  writeFileSync(
    script,
    `import { createBatchedLogWriter } from ${JSON.stringify(writerModule)};
     void process.stdout;
     const writer = createBatchedLogWriter({ fd: 1 });
     for (let index = 0; index < ${lines}; index++) writer.write(JSON.stringify({ index, pad: 'x'.repeat(1000) }) + '\\n');
     process.exit(0);`,
  );
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.pause();
    // Nobody reads for a while: the exit flush finds the pipe full and must wait for its reader.
    await sleep(300);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stdout.resume();
    const [code] = await once(child, 'close');
    assert.equal(code, 0);
    const received = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
    assert.equal(received.length, lines);
    assert.deepEqual(JSON.parse(received.at(-1) ?? '{}').index, lines - 1);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test('a pipe nobody reads does not hold up the event loop; its reader later gets every line', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'shepherd-log-'));
  const fifo = join(directory, 'stalled');
  execFileSync('mkfifo', [fifo]);
  // Read-write: opening does not wait for a reader, and the descriptor is blocking, as Node's
  // stdout is on a pipe under Linux. Nothing reads it until the end: writes beyond the pipe's
  // 64 KiB buffer block.
  const fd = openSync(fifo, 'r+');
  // A writer that blocked the event loop would also block this test's own timers: a process of
  // its own ends this one instead of letting the suite hang.
  const watchdog = spawn(
    process.execPath,
    ['-e', `setTimeout(() => process.kill(${process.pid}, 'SIGKILL'), 20_000)`],
    { stdio: 'ignore' },
  );
  try {
    const writer = createBatchedLogWriter({ fd });
    const line = `${JSON.stringify({ msg: 'x'.repeat(1_000) })}\n`;
    let turns = 0;
    for (let batch = 0; batch < 40; batch++) {
      for (let index = 0; index < 10; index++) writer.write(line);
      await nextTurn();
      turns += 1;
    }
    await sleep(20);
    assert.equal(turns, 40, 'the event loop kept turning while the pipe was full');
    assert.equal(writer.droppedLines, 0);
    const expected = line.length * 400;
    const received = Buffer.alloc(expected);
    let offset = 0;
    // Read on the thread pool, exactly what is due: the event loop must stay free to start the
    // writer's next write, and no read may be left waiting once everything has arrived.
    while (offset < expected) {
      const { bytesRead } = await readAsync(fd, received, offset, expected - offset, null);
      offset += bytesRead;
    }
    assert.equal(received.toString('utf8'), line.repeat(400));
    await writer.close();
  } finally {
    watchdog.kill();
    closeSync(fd);
    rmSync(directory, { recursive: true, force: true });
  }
});
