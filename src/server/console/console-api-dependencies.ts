import type { GatewayConfig } from '../../config/config-schema.ts';
import type { DeploymentHealth } from '../../routing/deployment-health.ts';
import type { Store } from '../../storage/store.ts';
import type { RateLimiter } from '../create-rate-limiter.ts';

export interface ConsoleApiDependencies {
  store: Store;
  /** The API key pepper: new keys and voucher codes are stored as HMAC digests under it. */
  pepper: string;
  config: GatewayConfig;
  /** Wall clock (default `new Date()`). */
  now?: () => Date;
  /** Pass the request authenticator's `invalidate`, so revocations and disables apply at once. */
  onKeysChanged?: () => void;
  /** Upstream circuit breakers (`GET /console/api/admin/upstreams`); absent: not served. */
  health?: DeploymentHealth;
  /** Failed-login limiter (default: 5 failures per email and address per 15 minutes). */
  loginRateLimiter?: RateLimiter;
  /** Self-signups per address (default: `console.signupLimit`). */
  signupRateLimiter?: RateLimiter;
}

/** What route groups receive: the dependencies with the defaults filled in. */
export interface ConsoleRouteContext {
  store: Store;
  pepper: string;
  config: GatewayConfig;
  currency: string;
  now: () => Date;
  keysChanged: () => void;
}
