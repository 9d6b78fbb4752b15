import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DONE,
  isPullStream,
  nextOfPullStream,
  type PullStream,
  toPullStream,
} from './pull-stream.ts';

async function* generate(items: string[], failure?: Error): AsyncGenerator<string> {
  for (const item of items) yield item;
  if (failure !== undefined) throw failure;
}

/** Everything the stream gives through `takeNow` and `whenReady` alone. */
async function drain(stream: PullStream<string>): Promise<{ items: string[]; error?: unknown }> {
  const items: string[] = [];
  try {
    for (;;) {
      const result = stream.takeNow();
      if (result === undefined) {
        await stream.whenReady();
        continue;
      }
      if (result.done === true) return { items };
      items.push(result.value);
    }
  } catch (error) {
    return { items, error };
  }
}

describe('toPullStream', () => {
  test('reads a plain async iterable one item ahead, only when asked to wait', async () => {
    let pulled = 0;
    const source = {
      async *[Symbol.asyncIterator]() {
        for (const item of ['a', 'b']) {
          pulled += 1;
          yield item;
        }
      },
    };
    const stream = toPullStream(source);
    assert.equal(isPullStream(stream), true);
    assert.equal(stream.takeNow(), undefined);
    assert.equal(pulled, 0);
    await stream.whenReady();
    assert.equal(pulled, 1);
    assert.deepEqual(stream.takeNow(), { done: false, value: 'a' });
    assert.equal(stream.takeNow(), undefined);
    assert.deepEqual(await drain(stream), { items: ['b'] });
    assert.deepEqual(stream.takeNow(), DONE);
  });

  test('throws the source failure once, after the items before it, then is done', async () => {
    const failure = new Error('cut');
    const stream = toPullStream(generate(['a'], failure));
    const drained = await drain(stream);
    assert.deepEqual(drained.items, ['a']);
    assert.equal(drained.error, failure);
    assert.deepEqual(stream.takeNow(), DONE);
    assert.deepEqual(await stream.next(), DONE);
  });

  test('returns a pull stream as it is, and next() follows takeNow and whenReady', async () => {
    const stream = toPullStream(generate(['a', 'b']));
    assert.equal(toPullStream(stream), stream);
    assert.deepEqual(await nextOfPullStream(stream), { done: false, value: 'a' });
    const collected: string[] = [];
    for await (const item of stream) collected.push(item);
    assert.deepEqual(collected, ['b']);
  });

  test('return() closes the source early', async () => {
    let closed = false;
    async function* source(): AsyncGenerator<string> {
      try {
        yield 'a';
        yield 'b';
      } finally {
        closed = true;
      }
    }
    const stream = toPullStream(source());
    assert.deepEqual(await stream.next(), { done: false, value: 'a' });
    assert.deepEqual(await stream.return(), DONE);
    assert.equal(closed, true);
    assert.deepEqual(stream.takeNow(), DONE);
  });

  test('isPullStream tells a pull stream from a plain async iterator', () => {
    assert.equal(isPullStream(generate([])), false);
    assert.equal(isPullStream(toPullStream(generate([]))), true);
  });
});
