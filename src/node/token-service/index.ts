/**
 * The token service: a small REST API that mints, lists, updates and revokes
 * widget tokens, with a persistent store and a deny-list the SIP side checks.
 */
export { TokenService, type TokenServiceOptions, type TokenCheck } from './service.js';
export type { TokenRecord } from './store.js';
export { TokenStoreError } from './store.js';
export { DEFAULT_STORE_LIMITS, STORE_LIMIT_ENV, TokenStoreFullError, type StoreLimits } from './store-limits.js';
export { kamailioFromEnv, type KamailioOptions } from './kamailio-push.js';
