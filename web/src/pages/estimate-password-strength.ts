/**
 * A hint while typing, not the rule: the server's check (length, character classes, common
 * passwords, the email) decides. 0 weak, 1 fair, 2 strong.
 */
export function estimatePasswordStrength(password: string): 0 | 1 | 2 {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((pattern) =>
    pattern.test(password),
  ).length;
  if (password.length < 10 || classes < 2) return 0;
  if (password.length >= 14 && classes >= 3) return 2;
  return 1;
}
