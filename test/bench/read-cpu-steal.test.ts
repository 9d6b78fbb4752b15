import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCpuTicks, readCpuTicks, stealShare } from '../../bench/report/read-cpu-steal.ts';

const STAT_AT_START = `cpu  259120 0 52556 1240640 3508 0 14939 124 0 0
cpu0 129000 0 26000 620000 1700 0 7400 60 0 0
intr 123`;
const STAT_LATER = `cpu  259520 0 52656 1240940 3508 0 14939 224 50 0
cpu0 129200 0 26050 620150 1700 0 7400 110 25 0`;

test('the aggregate cpu line gives steal and the total without guest time', () => {
  assert.deepEqual(parseCpuTicks(STAT_AT_START), {
    steal: 124,
    total: 259120 + 52556 + 1240640 + 3508 + 14939 + 124,
  });
});

test('steal share is the steal ticks over all ticks between two readings', () => {
  // 400 user + 100 system + 300 idle + 100 steal = 900 ticks, of which 100 stolen.
  const share = stealShare(parseCpuTicks(STAT_AT_START), parseCpuTicks(STAT_LATER));
  assert.equal(share, 100 / 900);
});

test('no reading, a malformed line or no elapsed ticks give no share', () => {
  assert.equal(parseCpuTicks('intr 1\nctxt 2'), undefined);
  assert.equal(parseCpuTicks('cpu  1 2 three 4 5 6 7 8'), undefined);
  const ticks = parseCpuTicks(STAT_AT_START);
  assert.equal(stealShare(undefined, ticks), undefined);
  assert.equal(stealShare(ticks, ticks), undefined);
});

test('the machine is read where /proc/stat exists (Linux), and nothing is guessed elsewhere', () => {
  const ticks = readCpuTicks();
  if (process.platform === 'linux')
    assert.ok(ticks !== undefined && ticks.total > 0 && ticks.steal >= 0);
  else assert.equal(ticks, undefined);
});
