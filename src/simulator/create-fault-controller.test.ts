import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createFaultController } from './create-fault-controller.ts';
import type { StreamFrame } from './response-plan.ts';
import { faultPosition } from './write-stream-plan.ts';

describe('createFaultController', () => {
  test('applies a fault `times` times, only to its model, in insertion order', () => {
    const faults = createFaultController();
    faults.add({ model: 'gpt-4.1', status: 500, times: 2 });
    faults.add({ status: 503 });
    assert.equal(faults.take('claude')?.status, 503);
    assert.equal(faults.take('gpt-4.1')?.status, 500);
    assert.deepEqual(faults.list(), [{ model: 'gpt-4.1', status: 500, times: 1 }, { status: 503 }]);
    assert.equal(faults.take('gpt-4.1')?.status, 500);
    assert.equal(faults.take('gpt-4.1')?.status, 503);
    faults.clear();
    assert.equal(faults.take('gpt-4.1'), undefined);
  });

  test('a probable fault fires when the draw is below its probability, using up `times` only then', () => {
    const draws = [0.7, 0.2, 0.5, 0.49, 0.1];
    const faults = createFaultController(() => {
      const draw = draws.shift();
      assert.ok(draw !== undefined, 'drew more often than scripted');
      return draw;
    });
    faults.add({ status: 500, probability: 0.5, times: 2 });
    faults.add({ status: 503 });
    assert.equal(faults.take('gpt-4.1'), undefined, '0.7 misses: answered normally');
    assert.equal(faults.take('gpt-4.1')?.status, 500, '0.2 hits');
    assert.deepEqual(faults.list()[0], { status: 500, probability: 0.5, times: 1 });
    assert.equal(faults.take('gpt-4.1'), undefined, '0.5 misses (the share is exclusive)');
    assert.deepEqual(faults.list()[0], { status: 500, probability: 0.5, times: 1 });
    assert.equal(faults.take('gpt-4.1')?.status, 500, '0.49 hits and uses up the last time');
    assert.equal(faults.take('gpt-4.1')?.status, 503, 'a certain fault draws nothing');
    assert.equal(faults.fires({ status: 500, probability: 0.25 }), true, '0.1 hits');
    assert.deepEqual(draws, []);
  });

  test('rejects invalid specs', () => {
    const faults = createFaultController();
    assert.throws(() => faults.add({ model: 'x' }), /at least one effect/);
    assert.throws(() => faults.add({ stallAfterChunks: 2 }), /stallAfterChunks needs stallMs/);
    assert.throws(() => faults.add({ status: 200 }), /status/);
    assert.throws(() => faults.add({ status: 500, probability: 0 }), /probability/);
    assert.throws(() => faults.add({ status: 500, probability: 1.5 }), /probability/);
  });
});

describe('faultPosition', () => {
  const frame = (content: boolean, final = false): StreamFrame => ({
    text: '',
    tokens: 1,
    content,
    final,
  });
  const frames = [frame(false), frame(true), frame(true), frame(true), frame(false, true)];

  test('fires before the (N+1)-th content frame, at the latest before the first final frame', () => {
    assert.equal(faultPosition(frames, 0), 1);
    assert.equal(faultPosition(frames, 2), 3);
    assert.equal(faultPosition(frames, 50), 4);
    assert.equal(faultPosition(frames, undefined), -1);
  });
});
