import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTextDeltaTemplate } from './create-text-delta-template.ts';

const HEAD = '{"id":"c1","choices":[{"index":0,"delta":{"content":';
const TAIL = '},"finish_reason":null}]}';

/** A message of the learned shape with `literal` (raw JSON text) in the text's place. */
function message(literal: string): string {
  return `${HEAD}${literal}${TAIL}`;
}

/** Learns `message(JSON.stringify(text))`, the probe accepted; returns the probes seen. */
function learned(text = 'Hello') {
  const template = createTextDeltaTemplate();
  const probes: string[] = [];
  template.learn(message(JSON.stringify(text)), text, (probe, probeText) => {
    probes.push(probe);
    return probe === message(JSON.stringify(probeText));
  });
  return { template, probes };
}

describe('createTextDeltaTemplate', () => {
  test('reads the text of a message that differs from the learned one only in its text', () => {
    const { template, probes } = learned();
    assert.equal(probes.length, 1);
    assert.equal(template.read(message('" world"')), ' world');
    assert.equal(template.read(message('"안녕 😀"')), '안녕 😀');
    assert.equal(template.read(message('"a\\"b\\\\c\\nd\\u00e9"')), 'a"b\\c\nd\u00e9');
    assert.equal(template.read(message('""')), '');
  });

  test('leaves every other message to the full mapping, and then forgets the learned one', () => {
    const others = [
      `{"id":"c2","choices":[{"index":0,"delta":{"content":"x"}},"finish_reason":null}]}`,
      `${HEAD}"x"},"finish_reason":"stop"}]}`,
      message('"a","content":"b"'),
      message('"a\u0001b"'),
      message('"a'),
      message('"a\\"'),
      message('5'),
      message('null'),
      '[DONE]',
      '',
    ];
    for (const other of others) {
      const { template } = learned();
      assert.equal(template.read(other), undefined, other);
      assert.equal(template.read(message('"again"')), undefined, `forgotten after ${other}`);
    }
  });

  test('learns only a text that sits once in the message, where a probe proves it is the text', () => {
    const template = createTextDeltaTemplate();
    let probed = 0;
    template.learn(message('"c1"'), 'c1', () => {
      probed += 1;
      return true;
    });
    assert.equal(probed, 0, 'the text also appears as the id: not learned');
    assert.equal(template.read(message('"x"')), undefined);

    template.learn(message('"Hi"'), 'Hi', () => false);
    assert.equal(template.read(message('"x"')), undefined, 'the probe refused it');

    const escaped = createTextDeltaTemplate();
    // The provider escapes differently from JSON.stringify: the text is not found.
    escaped.learn(message('"\\u00e9"'), '\u00e9', () => true);
    assert.equal(escaped.read(message('"x"')), undefined);
  });

  test('stops learning after three learned messages that were never matched', () => {
    const template = createTextDeltaTemplate();
    let probed = 0;
    const learn = (text: string) =>
      template.learn(message(JSON.stringify(text)), text, () => {
        probed += 1;
        return true;
      });
    for (let round = 0; round < 3; round += 1) {
      learn('Hello');
      assert.equal(template.read(`${message('"x"')} `), undefined);
    }
    learn('Hello');
    assert.equal(probed, 3);
    assert.equal(template.read(message('"x"')), undefined);
  });

  test('a learned message that matched does not count against learning', () => {
    const template = createTextDeltaTemplate();
    for (let round = 0; round < 5; round += 1) {
      template.learn(message('"Hello"'), 'Hello', () => true);
      assert.equal(template.read(message('"x"')), 'x');
      assert.equal(template.read('[DONE]'), undefined);
    }
    template.learn(message('"Hello"'), 'Hello', () => true);
    assert.equal(template.read(message('"y"')), 'y');
  });
});
