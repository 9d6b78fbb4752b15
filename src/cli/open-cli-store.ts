import type { GatewayConfig } from '../config/config-schema.ts';
import { openStore } from '../storage/open-store.ts';
import type { Store } from '../storage/store.ts';
import { type CommonOptions, loadCliConfig } from './load-cli-config.ts';
import { resolveKeyPepper } from './resolve-key-pepper.ts';

/** Opens the configured store (and resolves the key pepper) for a one-shot CLI command. */
export async function openCliStore(
  options: CommonOptions,
): Promise<{ store: Store; keyPepper: string; config: GatewayConfig }> {
  const { config } = loadCliConfig(options);
  const store = await openStore({ url: config.database.url });
  const keyPepper = resolveKeyPepper({
    configured: config.security.keyPepper,
    databaseUrl: config.database.url,
  });
  return { store, keyPepper, config };
}
