import type { GatewayConfig } from '../../config/config-schema.ts';
import type { DeploymentHealth } from '../../routing/deployment-health.ts';
import type { Store } from '../../storage/store.ts';
import type { CredentialThrottle } from '../create-credential-throttle.ts';

export interface AdminApiDependencies {
  store: Store;
  /** The API key pepper: new keys and voucher codes are stored as HMAC digests under it. */
  pepper: string;
  config: GatewayConfig;
  /** Wall clock (default `new Date()`). */
  now?: () => Date;
  /**
   * Called after a change that cached key lookups must see at once (a key revoked, its policy
   * changed, an account disabled): pass the request authenticator's `invalidate`.
   */
  onKeysChanged?: () => void;
  /** Circuit breakers of the upstream deployments (`/admin/api/upstreams`); absent: not served. */
  health?: DeploymentHealth;
  /** Counts invalid admin tokens per client address with the API keys' (test plan F11). */
  credentialThrottle?: CredentialThrottle;
}

/** What route groups receive: the dependencies with the defaults filled in. */
export interface AdminRouteContext {
  store: Store;
  pepper: string;
  config: GatewayConfig;
  currency: string;
  now: () => Date;
  keysChanged: () => void;
}
