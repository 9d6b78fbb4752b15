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
    // The lesson is taken by the next read, before it reads its own message.
    assert.equal(probes.length, 0);
    assert.equal(template.read(message('" world"')), ' world');
    assert.equal(probes.length, 1);
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
    assert.equal(template.read(message('"x"')), undefined);
    assert.equal(probed, 0, 'the text also appears as the id: not learned');

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

  test('a lesson is taken by the next read, which runs the probe then', () => {
    const template = createTextDeltaTemplate();
    let accepting = true;
    template.learn(message('"Hello"'), 'Hello', () => accepting);
    // A lesson still pending is taken by whichever read comes next; the caller's state (here
    // `accepting`) is read then, so the caller must leave it as it was until that read.
    assert.equal(template.read(message('"x"')), 'x');
    template.read('[DONE]');
    template.learn(message('"Hello"'), 'Hello', () => accepting);
    accepting = false;
    assert.equal(template.read(message('"y"')), undefined);
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

  describe('with a padding field', () => {
    const PADDED_TAIL = '},"finish_reason":null}],"usage":null,"obfuscation":"';
    const padded = (literal: string, padding: string) =>
      `${HEAD}${literal}${PADDED_TAIL}${padding}"}`;

    function learnedPadded(padding = 'Xy3') {
      const template = createTextDeltaTemplate({ paddingField: 'obfuscation' });
      const probes: string[] = [];
      template.learn(padded('"Hello"', padding), 'Hello', (probe, probeText) => {
        probes.push(probe);
        // A full mapping that ignores the padding: the probe must be a padded message.
        const prefix = `${HEAD}${JSON.stringify(probeText)}${PADDED_TAIL}`;
        return probe.startsWith(prefix) && probe.endsWith('"}');
      });
      return { template, probes };
    }

    test('reads the text whatever the padding holds, its length included', () => {
      const { template, probes } = learnedPadded();
      assert.equal(template.read(padded('" world"', 'a')), ' world');
      assert.equal(probes.length, 1);
      // The probe changes the padding too, to a value of another length.
      assert.notEqual(probes[0], padded('"\u0001"', 'Xy3'));
      assert.equal(template.read(padded('"안녕 😀"', 'QwErTy12345678')), '안녕 😀');
      assert.equal(template.read(padded('"a\\"b"', '')), 'a"b');
      // A text that looks like the tail is still read as the one string it is.
      const lookalike = `x${PADDED_TAIL}y`;
      assert.equal(template.read(padded(JSON.stringify(lookalike), 'zz')), lookalike);
    });

    test('leaves a message whose padding or text is not plain JSON string content to the full mapping', () => {
      const others = [
        padded('"x"', 'a"b'),
        padded('"x"', 'a\\b'),
        padded('"x"', 'a\u0001b'),
        padded('"x"', 'a\nb'),
        padded('"x","content":"y"', 'ab'),
        padded('"x', 'ab'),
        `${HEAD}"x"},"finish_reason":"stop"}],"usage":null,"obfuscation":"ab"}`,
        `${padded('"x"', 'ab')} `,
        `${HEAD}"x"${PADDED_TAIL}ab","more":1}`,
        `${HEAD}"x"${PADDED_TAIL}ab"]`,
      ];
      for (const other of others) {
        const { template } = learnedPadded();
        assert.equal(template.read(other), undefined, other);
        assert.equal(template.read(padded('"again"', 'ab')), undefined, `forgotten after ${other}`);
      }
    });

    test('without the padding field a message is compared whole; with it twice, only the first is skipped', () => {
      const template = createTextDeltaTemplate({ paddingField: 'obfuscation' });
      template.learn(message('"Hello"'), 'Hello', () => true);
      assert.equal(template.read(message('"x"')), 'x');

      const twice = (literal: string, first: string, second: string) =>
        `${HEAD}${literal},"obfuscation":"${first}"${PADDED_TAIL}${second}"}`;
      const doubled = createTextDeltaTemplate({ paddingField: 'obfuscation' });
      doubled.learn(twice('"Hello"', 'ab', 'cd'), 'Hello', () => true);
      assert.equal(doubled.read(twice('"x"', 'ab', 'cd')), 'x');
      assert.equal(doubled.read(twice('"y"', 'zzz', 'cd')), 'y');
      assert.equal(doubled.read(twice('"x"', 'ab', 'ef')), undefined);
    });

    test('a probe that the changed padding fails leaves the template unlearned', () => {
      const template = createTextDeltaTemplate({ paddingField: 'obfuscation' });
      template.learn(padded('"Hello"', 'ab'), 'Hello', (probe) => probe.endsWith('"ab"}'));
      assert.equal(template.read(padded('"x"', 'ab')), undefined);
    });

    test('without the option, a varying padding is compared like everything else', () => {
      const template = createTextDeltaTemplate();
      template.learn(padded('"Hello"', 'ab'), 'Hello', () => true);
      assert.equal(template.read(padded('"x"', 'ab')), 'x');
      assert.equal(template.read(padded('"y"', 'cd')), undefined);
    });
  });
});
