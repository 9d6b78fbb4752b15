import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeHeapSnapshot } from 'node:v8';
import {
  heapGrowthPerStream,
  heapKindOf,
  summarizeHeapSnapshot,
} from '../../bench/measure/summarize-heap-snapshot.ts';

/** A snapshot in V8's layout: nodes of [type, name, id, self_size, edge_count]. */
function snapshotOf(nodes: ReadonlyArray<[type: number, name: string, size: number]>) {
  const strings: string[] = [];
  const indexOf = (text: string) => {
    const at = strings.indexOf(text);
    return at === -1 ? strings.push(text) - 1 : at;
  };
  return {
    snapshot: {
      meta: {
        node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
        node_types: [['hidden', 'array', 'string', 'object', 'closure', 'native', 'sliced string']],
      },
    },
    nodes: nodes.flatMap(([type, name, size], id) => [type, indexOf(name), id, size, 0]),
    strings,
  };
}

test('nodes are summed by kind: objects by constructor, strings together, buffers apart', () => {
  const summary = summarizeHeapSnapshot(
    snapshotOf([
      [3, 'Socket', 300],
      [3, 'Socket', 320],
      [2, 'keep-alive', 32],
      [6, '(sliced string)', 40],
      [4, 'onData', 56],
      [5, 'system / JSArrayBufferData', 65_536],
      [1, '(object elements)', 24],
    ]),
  );
  assert.equal(summary.totalBytes, 300 + 320 + 32 + 40 + 56 + 65_536 + 24);
  assert.deepEqual(Object.fromEntries(summary.byKind), {
    Socket: { bytes: 620, count: 2 },
    '(strings)': { bytes: 72, count: 2 },
    '(closures)': { bytes: 56, count: 1 },
    '(buffer contents)': { bytes: 65_536, count: 1 },
    '(arrays: elements and properties)': { bytes: 24, count: 1 },
  });
});

test('growth is per stream, largest first, with what shrank listed too', () => {
  const before = summarizeHeapSnapshot(
    snapshotOf([
      [3, 'Socket', 300],
      [4, 'timer', 56],
    ]),
  );
  const after = summarizeHeapSnapshot(
    snapshotOf([
      [3, 'Socket', 300],
      [3, 'Socket', 300],
      [3, 'Socket', 300],
      [2, 'abc', 40],
      [2, 'def', 40],
    ]),
  );
  assert.deepEqual(heapGrowthPerStream(before, after, 2), [
    { kind: 'Socket', bytesPerStream: 300, countPerStream: 1 },
    { kind: '(strings)', bytesPerStream: 40, countPerStream: 1 },
    { kind: '(closures)', bytesPerStream: -28, countPerStream: -0.5 },
  ]);
  assert.throws(() => heapGrowthPerStream(before, after, 0), /positive/);
});

test('what is not a heap snapshot is refused', () => {
  assert.throws(() => summarizeHeapSnapshot({ nodes: [] }));
  const partial = snapshotOf([[3, 'Socket', 300]]);
  partial.nodes.pop();
  assert.throws(() => summarizeHeapSnapshot(partial), /partial node/);
  assert.equal(heapKindOf('native', 'system / JSArrayBufferData'), '(buffer contents)');
  assert.equal(heapKindOf('weird', 'x'), '(weird)');
});

class HeapProbeRecord {
  constructor(
    readonly index: number,
    readonly label: string,
  ) {}
}

test('a real snapshot of this process counts objects made between two snapshots', () => {
  const directory = mkdtempSync(join(tmpdir(), 'shepherd-heap-test-'));
  try {
    const read = (name: string) =>
      summarizeHeapSnapshot(
        JSON.parse(readFileSync(writeHeapSnapshot(join(directory, name)), 'utf8')),
      );
    const before = read('before.heapsnapshot');
    const kept = Array.from(
      { length: 2_000 },
      (_, index) => new HeapProbeRecord(index, `record number ${index} of the probe`),
    );
    const after = read('after.heapsnapshot');
    assert.equal(kept.length, 2_000);
    const growth = heapGrowthPerStream(before, after, 2_000);
    const records = growth.find((row) => row.kind === 'HeapProbeRecord');
    assert.ok(records !== undefined, 'the records are in the second snapshot');
    assert.equal(records.countPerStream, 1);
    assert.ok(records.bytesPerStream >= 16, `${records.bytesPerStream} bytes per record`);
    const strings = growth.find((row) => row.kind === '(strings)');
    assert.ok(strings !== undefined && strings.countPerStream >= 1, 'each label is a string');
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
