import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countOutputTokens } from './count-output-tokens.ts';

test('counts o200k tokens of plain text', () => {
  assert.equal(countOutputTokens(''), 0);
  assert.equal(countOutputTokens('Hello, world!'), 4);
  assert.equal(countOutputTokens(' '), 1);
  assert.ok(countOutputTokens('안녕하세요, 반갑습니다.') > 0);
});

test('special-token text in model output is counted as text, not rejected', () => {
  assert.equal(countOutputTokens('<|endoftext|>'), 7);
  assert.ok(countOutputTokens('before <|im_start|> after') > 3);
});
