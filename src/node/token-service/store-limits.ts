/**
 * How large the token store may grow. Every write rewrites the whole file, so
 * an unbounded store makes each request slower until writes fail; a full store
 * refuses new tokens (and larger payloads) but never a revocation.
 */
export interface StoreLimits {
  /** Records kept, revoked ones included (they stay as the deny-list until they expire). */
  maxRecords: number;
  /** Size of the store file, compact JSON, in bytes. */
  maxBytes: number;
}

export const DEFAULT_STORE_LIMITS: Readonly<StoreLimits> = { maxRecords: 10_000, maxBytes: 16 * 1024 * 1024 };

/** The environment variables `npm start` (startDevServer) reads for each limit. */
export const STORE_LIMIT_ENV: Readonly<Record<keyof StoreLimits, string>> = {
  maxRecords: 'VOICE_WIDGET_TOKEN_STORE_MAX_RECORDS',
  maxBytes: 'VOICE_WIDGET_TOKEN_STORE_MAX_BYTES',
};

const MINIMUM: Readonly<StoreLimits> = { maxRecords: 1, maxBytes: 1024 };

/** Thrown by a write that would take the store past a limit; the API answers 507 `store-full`. */
export class TokenStoreFullError extends Error {
  override name = 'TokenStoreFullError';
}

/** Fills in defaults and checks the values; TypeError on a bad one. */
export function storeLimits(given: Partial<StoreLimits> | undefined): StoreLimits {
  if (given !== undefined && (typeof given !== 'object' || given === null)) throw new TypeError('storeLimits must be an object');
  const limits = { ...DEFAULT_STORE_LIMITS };
  for (const key of Object.keys(DEFAULT_STORE_LIMITS) as Array<keyof StoreLimits>) {
    const value = given?.[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < MINIMUM[key]) {
      throw new TypeError(`storeLimits.${key} must be a whole number of at least ${MINIMUM[key]}`);
    }
    limits[key] = value;
  }
  return limits;
}

/** The limits set in the environment (unset ones are left out). TypeError on a value that is not a number. */
export function storeLimitsFromEnv(env: NodeJS.ProcessEnv): Partial<StoreLimits> {
  const limits: Partial<StoreLimits> = {};
  for (const [key, name] of Object.entries(STORE_LIMIT_ENV) as Array<[keyof StoreLimits, string]>) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    if (!/^[0-9]+$/.test(text)) throw new TypeError(`${name} must be a whole number, not ${JSON.stringify(text)}`);
    limits[key] = Number(text);
  }
  return limits;
}
