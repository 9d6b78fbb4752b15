import type { ErrorCode } from '../../errors/error-catalog.ts';

export const MIN_PASSWORD_LENGTH = 10;

/**
 * Passwords people pick first (lowercased); a password equal to one of them, give or take leading
 * and trailing digits and symbols, is refused.
 */
const COMMON_PASSWORDS = new Set([
  'password',
  'passw0rd',
  'qwerty',
  'qwertyuiop',
  'qwerty123',
  'asdfghjkl',
  'zxcvbnm',
  'iloveyou',
  'letmein',
  'welcome',
  'admin',
  'administrator',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'shepherd',
  'changeme',
  'trustno1',
  '1q2w3e4r',
  '1q2w3e4r5t',
  'q1w2e3r4',
  'abc123',
  'abcdefghij',
  'starwars',
  'superman',
  'master',
  'secret',
  'hello',
  'loveme',
  'whatever',
  'computer',
  'internet',
  'samsung',
  'korea',
  'sarang',
  'saranghae',
  '1234567890',
  '0123456789',
  '0987654321',
  '1234512345',
  '1122334455',
  '1111111111',
]);

export interface PasswordWeakness {
  code: Extract<
    ErrorCode,
    | 'GW_ERR_PASSWORD_TOO_SHORT'
    | 'GW_ERR_PASSWORD_ONE_CLASS'
    | 'GW_ERR_PASSWORD_COMMON'
    | 'GW_ERR_PASSWORD_CONTAINS_EMAIL'
  >;
  message: string;
}

function characterClass(character: string): string {
  if (/\p{Ll}/u.test(character)) return 'lower';
  if (/\p{Lu}/u.test(character)) return 'upper';
  if (/\p{N}/u.test(character)) return 'digit';
  if (/\p{L}/u.test(character)) return 'letter';
  return 'symbol';
}

/**
 * Why a password is too weak for a console account with this email, or undefined when it is
 * acceptable. Checks, in order: at least 10 characters (code points), more than one character
 * class, not a common password, not containing the email's local part (when it has 3+ characters).
 */
export function checkPasswordStrength(
  password: string,
  email: string,
): PasswordWeakness | undefined {
  const characters = [...password];
  if (characters.length < MIN_PASSWORD_LENGTH) {
    return {
      code: 'GW_ERR_PASSWORD_TOO_SHORT',
      message: `The password must be at least ${MIN_PASSWORD_LENGTH} characters long (it has ${characters.length}).`,
    };
  }
  if (new Set(characters.map(characterClass)).size < 2) {
    return {
      code: 'GW_ERR_PASSWORD_ONE_CLASS',
      message:
        'The password uses one kind of character only; mix in another (lowercase, uppercase, digits, symbols).',
    };
  }
  const lowered = password.toLowerCase();
  // `Password123!` is `password` with decorations: compare the letters alone, then the letters
  // and digits alone (`1234567890!`).
  const letters = lowered.replace(/[^\p{L}]+$/u, '').replace(/^[^\p{L}]+/u, '');
  const lettersAndDigits = lowered.replace(/[^\p{L}\p{N}]+/gu, '');
  if ([lowered, letters, lettersAndDigits].some((variant) => COMMON_PASSWORDS.has(variant))) {
    return {
      code: 'GW_ERR_PASSWORD_COMMON',
      message: 'The password is one of the most common passwords; choose a less guessable one.',
    };
  }
  const localPart = email.split('@')[0]?.toLowerCase() ?? '';
  if (localPart.length >= 3 && lowered.includes(localPart)) {
    return {
      code: 'GW_ERR_PASSWORD_CONTAINS_EMAIL',
      message: 'The password contains your email address (the part before the @); leave it out.',
    };
  }
  return undefined;
}
