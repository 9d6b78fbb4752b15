import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertSafeAdminToken, isLoopbackHost } from './assert-safe-admin-token.ts';

const STRONG = '9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c';

test('loopback hosts are 127.0.0.0/8, ::1 and localhost', () => {
  for (const host of [
    '127.0.0.1',
    '127.8.9.10',
    'localhost',
    'LOCALHOST',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
  ]) {
    assert.ok(isLoopbackHost(host), host);
  }
  for (const host of [
    '0.0.0.0',
    '::',
    '10.0.0.1',
    '192.168.1.2',
    '128.0.0.1',
    'example.com',
    '',
    '::2',
    'localhost.example.com',
  ]) {
    assert.ok(!isLoopbackHost(host), host);
  }
});

test('on loopback any token is accepted and the API is on exactly when one is set', () => {
  assert.equal(assertSafeAdminToken({ token: undefined, host: '127.0.0.1' }), false);
  assert.equal(assertSafeAdminToken({ token: '', host: 'localhost' }), false);
  assert.equal(assertSafeAdminToken({ token: 'admin', host: '::1' }), true);
  assert.equal(assertSafeAdminToken({ token: STRONG, host: '127.0.0.1' }), true);
});

test('beyond loopback a strong token is required (F6)', () => {
  assert.equal(assertSafeAdminToken({ token: STRONG, host: '0.0.0.0' }), true);
  const refused: Array<[string | undefined, RegExp]> = [
    [undefined, /not set/],
    ['', /not set/],
    ['   ', /not set/],
    ['short-token', /shorter than 24/],
    ['changeme', /shorter than 24/],
    ['changemechangemechangeme', /well-known default/],
    ['CHANGE-ME-CHANGE-ME-CHANGE-ME', /well-known default/],
    ['password-password-password', /well-known default/],
    ['secretsecretsecretsecret', /well-known default/],
    ['admin_admin_admin_admin_admin', /well-known default/],
    ['abcabcabcabcabcabcabcabc', /repeated/],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', /repeated/],
    ['ababababababababababababababbbba', /fewer than 8 distinct/],
  ];
  for (const [token, message] of refused) {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'gateway.internal']) {
      assert.throws(
        () => assertSafeAdminToken({ token, host }),
        (error: unknown) =>
          error instanceof Error &&
          message.test(error.message) &&
          error.message.includes(host) &&
          error.message.includes('SHEPHERD_ADMIN_TOKEN'),
        `${String(token)} on ${host}`,
      );
    }
  }
});
