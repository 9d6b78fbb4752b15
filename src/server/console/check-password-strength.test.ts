import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPasswordStrength } from './check-password-strength.ts';

const EMAIL = 'minji.kim@example.com';

test('acceptable passwords pass', () => {
  for (const password of ['river-stone-42', 'Tkfkdgo!2024x', '비밀번호는길어요123', 'aB3$eF6&hI']) {
    assert.equal(checkPasswordStrength(password, EMAIL), undefined, password);
  }
});

test('each weakness has its own code and a message that says what to change', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['short1!', 'GW_ERR_PASSWORD_TOO_SHORT', /at least 10 characters long \(it has 7\)/],
    ['ab3$eF6&h', 'GW_ERR_PASSWORD_TOO_SHORT', /it has 9/],
    ['abcdefghijkl', 'GW_ERR_PASSWORD_ONE_CLASS', /one kind of character/],
    ['ABCDEFGHIJKL', 'GW_ERR_PASSWORD_ONE_CLASS', /one kind/],
    ['12345678901', 'GW_ERR_PASSWORD_ONE_CLASS', /one kind/],
    ['!@#$%^&*()_+', 'GW_ERR_PASSWORD_ONE_CLASS', /one kind/],
    ['Password123', 'GW_ERR_PASSWORD_COMMON', /most common/],
    ['qwerty123!!', 'GW_ERR_PASSWORD_COMMON', /most common/],
    ['!!iloveyou99', 'GW_ERR_PASSWORD_COMMON', /most common/],
    ['1234567890!', 'GW_ERR_PASSWORD_COMMON', /most common/],
    ['xMinji.Kim99', 'GW_ERR_PASSWORD_CONTAINS_EMAIL', /before the @/],
  ];
  for (const [password, code, message] of cases) {
    const weakness = checkPasswordStrength(password, EMAIL);
    assert.equal(weakness?.code, code, password);
    assert.match(weakness?.message ?? '', message, password);
  }
});

test('a local part shorter than 3 characters is not looked for', () => {
  assert.equal(checkPasswordStrength('jo-river-42', 'jo@example.com'), undefined);
});
