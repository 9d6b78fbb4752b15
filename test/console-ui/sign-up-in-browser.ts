import type { Page } from 'playwright-core';
import type { ConsoleLocale } from './console-browser.ts';

/** The words on the access pages, per locale (what a user reads and clicks). */
export const ACCESS_WORDS = {
  en: {
    email: 'Email',
    password: 'Password',
    repeat: 'Repeat the password',
    signup: 'Sign up',
    login: 'Log in',
  },
  ko: {
    email: '이메일',
    password: '비밀번호',
    repeat: '비밀번호 확인',
    signup: '가입하기',
    login: '로그인',
  },
} as const;

/** Signs up through the form, as a new user would, and waits for the overview. */
export async function signUpInBrowser(
  page: Page,
  locale: ConsoleLocale,
  credentials: { email: string; password: string },
): Promise<void> {
  const words = ACCESS_WORDS[locale];
  await page.goto('/console/signup');
  await page.getByLabel(words.email, { exact: true }).fill(credentials.email);
  await page.getByLabel(words.password, { exact: true }).fill(credentials.password);
  await page.getByLabel(words.repeat, { exact: true }).fill(credentials.password);
  await page.getByRole('button', { name: words.signup }).click();
  await page.getByTestId('balance-available').waitFor();
}

/** Logs in through the form and waits for the signed-in shell. */
export async function logInInBrowser(
  page: Page,
  locale: ConsoleLocale,
  credentials: { email: string; password: string },
): Promise<void> {
  const words = ACCESS_WORDS[locale];
  await page.goto('/console/login');
  await page.getByLabel(words.email, { exact: true }).fill(credentials.email);
  await page.getByLabel(words.password, { exact: true }).fill(credentials.password);
  await page.getByRole('button', { name: words.login, exact: true }).click();
  await page.getByTestId('header-balance').waitFor();
}
