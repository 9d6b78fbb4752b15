import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBatchedLogWriter } from './create-batched-log-writer.ts';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function errorWithCode(code: string): Error {
  return Object.assign(new Error(code), { code });
}

/** A fake output: records each write call; `refuse` decides per call whether to throw instead. */
function recordingOutput(refuse: (call: number) => string | undefined = () => undefined) {
  const writes: string[] = [];
  let calls = 0;
  const writeSyncTo = (_fd: number, buffer: Buffer, offset: number, length: number) => {
    calls += 1;
    const code = refuse(calls);
    if (code !== undefined) throw errorWithCode(code);
    writes.push(buffer.subarray(offset, offset + length).toString('utf8'));
    return length;
  };
  return { writes, writeSyncTo };
}

test('the lines of one turn are written together, in order, after the turn', async () => {
  const output = recordingOutput();
  const writer = createBatchedLogWriter({ fd: 99, writeSyncTo: output.writeSyncTo });
  writer.write('{"n":1}\n');
  writer.write('{"n":2}\n');
  writer.write('{"n":3}\n');
  assert.deepEqual(output.writes, [], 'nothing is written while the turn runs');
  await nextTurn();
  assert.deepEqual(output.writes, ['{"n":1}\n{"n":2}\n{"n":3}\n']);
  writer.write('{"n":4}\n');
  await nextTurn();
  assert.deepEqual(output.writes.at(-1), '{"n":4}\n');
  writer.close();
});

test('flush writes at once; a real file receives every byte, multi-byte text included', () => {
  const directory = mkdtempSync(join(tmpdir(), 'shepherd-log-'));
  const path = join(directory, 'out.log');
  const fd = openSync(path, 'w');
  try {
    const writer = createBatchedLogWriter({ fd });
    writer.write('{"msg":"요청 완료"}\n');
    writer.write('{"msg":"done"}\n');
    writer.flush();
    assert.equal(readFileSync(path, 'utf8'), '{"msg":"요청 완료"}\n{"msg":"done"}\n');
    writer.close();
  } finally {
    closeSync(fd);
    rmSync(directory, { recursive: true, force: true });
  }
});

/** A writer on an output that refuses (EAGAIN) until `drain()`; retries every 5 ms. */
function fullPipe(maxPendingBytes?: number) {
  let refusing = true;
  const output = recordingOutput(() => (refusing ? 'EAGAIN' : undefined));
  const writer = createBatchedLogWriter({
    fd: 99,
    writeSyncTo: output.writeSyncTo,
    retryAfterMs: 5,
    ...(maxPendingBytes === undefined ? {} : { maxPendingBytes }),
  });
  const drain = async () => {
    refusing = false;
    await sleep(30);
    return output.writes.join('');
  };
  return { output, writer, drain };
}

test('a full output (EAGAIN) keeps what was refused and writes it first, later', async () => {
  const { output, writer, drain } = fullPipe();
  writer.write('a\n');
  await nextTurn();
  writer.write('b\n');
  await nextTurn();
  assert.deepEqual(output.writes, []);
  assert.equal(await drain(), 'a\nb\n');
  writer.close();
});

test('while the output refuses, lines beyond the cap are dropped, counted and reported', async () => {
  const { writer, drain } = fullPipe(10);
  for (const line of ['1234\n', '5678\n', 'dropped\n', 'also\n']) writer.write(line);
  assert.equal(writer.droppedLines, 2);
  await nextTurn();
  const written = await drain();
  assert.ok(written.endsWith('1234\n5678\n'), written);
  const [report] = written.split('\n');
  assert.match(report ?? '', /"msg":"2 log lines were dropped/);
  writer.close();
});

test('a closed output (EPIPE) stops logging without throwing into the caller', async () => {
  const output = recordingOutput(() => 'EPIPE');
  const writer = createBatchedLogWriter({ fd: 99, writeSyncTo: output.writeSyncTo });
  writer.write('lost\n');
  await nextTurn();
  assert.doesNotThrow(() => writer.write('after\n'));
  assert.doesNotThrow(() => writer.flush());
  assert.deepEqual(output.writes, []);
  writer.close();
});
