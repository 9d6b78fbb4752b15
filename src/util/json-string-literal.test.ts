import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isPlainText, readJsonStringLiteral } from './json-string-literal.ts';

/** Any text a model may stream: ASCII, Hangul, emoji (surrogate pairs), lone surrogates, controls. */
const anyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    '"',
    '\\',
    '\n',
    '\u0000',
    '\u001f',
    '\ud800',
    '\udfff',
    '😀',
    '안녕하세요',
    '\u2028',
  ),
);

test('reads back every string from its JSON literal inside a message, whatever surrounds it', () => {
  fc.assert(
    fc.property(
      anyText,
      fc.string({ maxLength: 20 }),
      fc.string({ maxLength: 20 }),
      (text, before, after) => {
        const literal = JSON.stringify(text);
        const data = `${before}${literal}${after}`;
        assert.equal(
          readJsonStringLiteral(data, before.length, before.length + literal.length),
          text,
        );
      },
    ),
  );
});

test('reads short plain tokens, long tokens and escaped tokens alike', () => {
  for (const text of [
    '',
    'a',
    ' answer',
    '123456789012',
    '1234567890123',
    ' 한국어',
    'tab\there',
    'q"uote',
    'x'.repeat(200),
  ]) {
    const literal = JSON.stringify(text);
    const data = `{"content":${literal}}`;
    const start = '{"content":'.length;
    assert.equal(readJsonStringLiteral(data, start, start + literal.length), text);
  }
});

test('refuses anything that is not exactly one valid JSON string', () => {
  const cases = [
    'abc', // no quotes
    '"abc', // unterminated
    'abc"',
    '"a"b"', // a bare quote inside: two strings
    '"a\\"', // the closing quote is escaped
    '"\\x"', // not a JSON escape
    '"\\u12"', // a short unicode escape
    '"tab\there"', // a raw control character
    '"line\nbreak"',
    '"',
    '',
  ];
  for (const literal of cases) {
    assert.equal(
      readJsonStringLiteral(literal, 0, literal.length),
      undefined,
      JSON.stringify(literal),
    );
  }
});

test('a plain text is its own JSON string content, and only a plain text is said to be', () => {
  fc.assert(
    fc.property(anyText, (text) => {
      const plain = isPlainText(text, 0, text.length);
      if (plain) assert.equal(`"${text}"`, JSON.stringify(text));
      // Every character JSON.stringify would escape makes the text not plain.
      if (JSON.stringify(text) !== `"${text}"`) assert.equal(plain, false);
    }),
  );
  assert.equal(isPlainText('a"b', 0, 3), false);
  assert.equal(isPlainText('a"b', 2, 3), true);
  assert.equal(isPlainText('😀', 0, 2), false);
});
