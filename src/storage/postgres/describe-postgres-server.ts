/**
 * `user@host:port/database` of a PostgreSQL URL, for messages: never the password (a URL may carry
 * one) nor the query string (which may carry `password=` or TLS key paths).
 */
export function describePostgresServer(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const user = url.username === '' ? '' : `${decodeURIComponent(url.username)}@`;
    return `${user}${url.hostname}:${url.port === '' ? '5432' : url.port}${url.pathname}`;
  } catch {
    return 'the configured server';
  }
}
