import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactUrlQuery } from './redact-url-query.ts';

test('credential-like parameters lose their values; the rest of the URL is kept as it came', () => {
  const cases: Array<[string, string]> = [
    ['/v1/models', '/v1/models'],
    ['/v1/usage?month=2026-11', '/v1/usage?month=2026-11'],
    ['/v1/models?key=AIzaSy123', '/v1/models?key=[redacted]'],
    ['/v1/models?API_KEY=x&month=1', '/v1/models?API_KEY=[redacted]&month=1'],
    ['/v1/models?api%5Fkey=x', '/v1/models?api%5Fkey=[redacted]'],
    ['/x?access_token=a&refresh_token=b', '/x?access_token=[redacted]&refresh_token=[redacted]'],
    ['/x?password=p&q=1', '/x?password=[redacted]&q=1'],
    ['/x?k=sk-shep-abc', '/x?k=[redacted]'],
    ['/x?h=Bearer%20sk', '/x?h=[redacted]'],
    ['/x?flag&q=%E0%A4%A', '/x?flag&q=%E0%A4%A'],
    ['/x?', '/x?'],
  ];
  for (const [url, logged] of cases) assert.equal(redactUrlQuery(url), logged, url);
});
