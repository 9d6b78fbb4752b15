import type { ProviderConnection } from '../providers/provider-adapter.ts';

/** Header names that carry a credential: `api-key` (Azure OpenAI), `Authorization`, `x-…-token`. */
const SECRET_HEADER_NAME = /authorization|api[-_]?key|token|secret|passw|signature|cookie/i;

const cached = new WeakMap<ProviderConnection, readonly string[]>();

/**
 * What must never reach a client or a log from this provider's errors: its key, and the values
 * of the headers the operator configured that carry a credential (an Azure OpenAI `api-key`, an
 * `Authorization` for a proxy in front of a self-hosted server), with the scheme word of an
 * `Authorization` value (`Bearer`) also taken off, as a provider quotes the token alone. Worked
 * out once per connection.
 */
export function providerSecrets(connection: ProviderConnection): readonly string[] {
  let secrets = cached.get(connection);
  if (secrets === undefined) {
    const found = [connection.apiKey];
    for (const [name, value] of Object.entries(connection.headers)) {
      if (!SECRET_HEADER_NAME.test(name)) continue;
      found.push(value);
      const token = /^[A-Za-z]+\s+(\S+)$/.exec(value)?.[1];
      if (token !== undefined) found.push(token);
    }
    secrets = found;
    cached.set(connection, secrets);
  }
  return secrets;
}
