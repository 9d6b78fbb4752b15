import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countFramesPerCommit, readWalFrames } from '../../bench/measure/read-wal-frames.ts';

const PAGE_SIZE = 512;

/** A WAL file as SQLite lays it out, with `frames` written under the salts given. */
function walFile(
  salts: readonly [number, number],
  frames: ReadonlyArray<{ page: number; commitSize: number; salts?: readonly [number, number] }>,
): Uint8Array {
  const bytes = new Uint8Array(32 + frames.length * (24 + PAGE_SIZE));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x377f0682);
  view.setUint32(4, 3007000);
  view.setUint32(8, PAGE_SIZE);
  view.setUint32(16, salts[0]);
  view.setUint32(20, salts[1]);
  frames.forEach((frame, index) => {
    const offset = 32 + index * (24 + PAGE_SIZE);
    const [salt1, salt2] = frame.salts ?? salts;
    view.setUint32(offset, frame.page);
    view.setUint32(offset + 4, frame.commitSize);
    view.setUint32(offset + 8, salt1);
    view.setUint32(offset + 12, salt2);
  });
  return bytes;
}

test('frames are read in order with the page each holds and where each commit ends', () => {
  const log = readWalFrames(
    walFile(
      [7, 9],
      [
        { page: 5, commitSize: 0 },
        { page: 2, commitSize: 40 },
        { page: 5, commitSize: 41 },
      ],
    ),
  );
  assert.equal(log.pageSize, PAGE_SIZE);
  assert.deepEqual(log.frames, [
    { page: 5, endsCommit: false },
    { page: 2, endsCommit: true },
    { page: 5, endsCommit: true },
  ]);
});

test('the log ends at the first frame of an older generation (other salts)', () => {
  const log = readWalFrames(
    walFile(
      [7, 9],
      [
        { page: 3, commitSize: 12 },
        { page: 4, commitSize: 12, salts: [6, 9] },
        { page: 8, commitSize: 12 },
      ],
    ),
  );
  assert.deepEqual(log.frames, [{ page: 3, endsCommit: true }]);
});

test('a file too short for a header is an empty log; anything else without the magic is refused', () => {
  assert.deepEqual(readWalFrames(new Uint8Array(10)), { pageSize: 0, frames: [] });
  assert.throws(() => readWalFrames(new Uint8Array(64)), /not a SQLite WAL file/);
});

test('frames per commit count complete commits only, by the owner of each page', () => {
  const owners = new Map([
    [1, 'usage_records'],
    [2, 'usage_records'],
    [3, 'ledger_entries'],
  ]);
  const counted = countFramesPerCommit(
    {
      pageSize: PAGE_SIZE,
      frames: [
        { page: 1, endsCommit: false },
        { page: 3, endsCommit: true },
        { page: 1, endsCommit: false },
        { page: 2, endsCommit: false },
        { page: 3, endsCommit: false },
        { page: 9, endsCommit: true },
        // An unfinished commit: not counted.
        { page: 3, endsCommit: false },
      ],
    },
    (page) => owners.get(page) ?? 'unknown',
  );
  assert.equal(counted.commits, 2);
  assert.equal(counted.frames, 3);
  assert.deepEqual(counted.byOwner, [
    { owner: 'usage_records', frames: 1.5 },
    { owner: 'ledger_entries', frames: 1 },
    { owner: 'unknown', frames: 0.5 },
  ]);
});

test('a log without a complete commit has no frames per commit', () => {
  const counted = countFramesPerCommit(
    { pageSize: PAGE_SIZE, frames: [{ page: 1, endsCommit: false }] },
    () => 'x',
  );
  assert.equal(counted.commits, 0);
  assert.ok(Number.isNaN(counted.frames));
  assert.deepEqual(counted.byOwner, []);
});
