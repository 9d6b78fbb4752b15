import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectEvents } from '../../test/helpers/replay-fixture.ts';
import type { StreamEvent } from '../canonical/stream-event.ts';
import { GatewayError } from '../errors/gateway-error.ts';
import { commitOnFirstContent } from './commit-on-first-content.ts';

const START: StreamEvent = { type: 'response-start', id: 'r', model: 'm' };
const USAGE: StreamEvent = {
  type: 'usage',
  usage: {
    inputTokens: 1,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
  },
};
const TEXT: StreamEvent = { type: 'text-delta', text: 'a' };
const END: StreamEvent = { type: 'response-end', finishReason: 'stop' };

/** A source that counts how far it was read and whether it was closed. */
function trackedSource(events: StreamEvent[], failure?: unknown) {
  const track = { read: 0, closed: false };
  async function* generate(): AsyncGenerator<StreamEvent> {
    try {
      for (const event of events) {
        track.read += 1;
        yield event;
      }
      if (failure !== undefined) throw failure;
    } finally {
      track.closed = true;
    }
  }
  return { events: generate(), track };
}

describe('commitOnFirstContent', () => {
  test('reads up to the first content, then replays it and passes the rest through', async () => {
    const { events, track } = trackedSource([START, USAGE, TEXT, TEXT, END]);
    const committed = await commitOnFirstContent(events);
    assert.equal(track.read, 3);
    assert.deepEqual(await collectEvents(committed), [START, USAGE, TEXT, TEXT, END]);
  });

  test('a refusal is content: the stream commits on it', async () => {
    const refusal: StreamEvent = { type: 'refusal-delta', text: 'No.' };
    const { events, track } = trackedSource([START, refusal, END]);
    const committed = await commitOnFirstContent(events);
    assert.equal(track.read, 2);
    assert.deepEqual(await collectEvents(committed), [START, refusal, END]);
  });

  test('a failure before the first content rejects the commit itself', async () => {
    const failure = new GatewayError('GW_ERR_UPSTREAM_OVERLOADED', 'busy');
    const { events } = trackedSource([START], failure);
    await assert.rejects(commitOnFirstContent(events), (error) => error === failure);
  });

  test('a stream without content commits at its end', async () => {
    const { events, track } = trackedSource([START, END]);
    const committed = await commitOnFirstContent(events);
    assert.deepEqual(await collectEvents(committed), [START, END]);
    assert.equal(track.closed, true);
  });

  test('closing the committed stream early closes the source, during or after the replay', async () => {
    const during = trackedSource([START, TEXT, TEXT, END]);
    const committedDuring = await commitOnFirstContent(during.events);
    assert.deepEqual(await committedDuring.next(), { done: false, value: START });
    await committedDuring.return?.();
    assert.equal(during.track.closed, true);
    assert.deepEqual(await committedDuring.next(), { done: true, value: undefined });

    const after = trackedSource([START, TEXT, TEXT, TEXT, END]);
    const committedAfter = await commitOnFirstContent(after.events);
    for await (const event of committedAfter) if (event === TEXT) break;
    assert.equal(after.track.closed, true);
    assert.equal(after.track.read, 2);
  });
});
