/** Secrets shorter than this are not searched for: they would match ordinary words. */
const MINIMUM_SECRET_LENGTH = 8;

/** Replaces every occurrence of `secret` in `text`. */
export function redactSecret(text: string, secret: string): string {
  if (secret.length < MINIMUM_SECRET_LENGTH || !text.includes(secret)) return text;
  return text.split(secret).join('[redacted]');
}
