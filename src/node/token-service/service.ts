/**
 * TokenService: the token REST API plus the checks the SIP side needs
 * (is this token valid, was it revoked, tell me when one is revoked).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TokenVerificationError, verifyToken, type TokenClaims } from '../token.js';
import { handleRequest, type ApiContext } from './api.js';
import { ApiKeys } from './auth.js';
import { DEFAULT_RATE_LIMIT, RateLimiter } from './rate-limit.js';
import type { RecordStore } from './record-store.js';
import { TokenStore } from './store.js';
import { storeLimits, type StoreLimits } from './store-limits.js';
import { KamailioPush, type KamailioOptions } from './kamailio-push.js';
import { SIP_DOMAIN } from '../../shared/token-claims.js';

export interface TokenServiceOptions {
  /** Signing secret, the same one the CLI uses (mintToken); at least 16 characters. */
  secret: string;
  /** Accepted API keys, each at least 16 characters. */
  apiKeys: string[];
  /** File of the persistent store; missing directories are created. Not used with `databaseUrl`. */
  storePath?: string;
  /**
   * A PostgreSQL URL (postgres://user:pass@host:5432/db): the store lives
   * there instead of in `storePath`, shared by every token-service process
   * on that database; the schema is created or migrated at start.
   */
  databaseUrl?: string;
  /** SIP domain the tokens are minted for. */
  domain: string;
  /** Clock in ms, for tests. */
  now?: () => number;
  /** Per API key (or per client address without a valid key). Default 20/s, burst 40. */
  rateLimit?: { perSecond: number; burst: number };
  /**
   * Caps on the store; a create (or a larger payload) past one gets 507
   * `store-full`. Revocation is never refused. Default 10,000 records and
   * 16 MiB (16777216 bytes).
   */
  storeLimits?: Partial<StoreLimits>;
  /** One line per request: method, path, status, ms. Never a token or an API key. */
  log?: (line: string) => void;
  /** Kamailio nodes told of each revocation (see kamailio-push.ts); `kamailioFromEnv()` reads them from the environment. */
  kamailio?: KamailioOptions;
}

export type TokenCheck = { ok: true; claims: TokenClaims } | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'revoked' };

export class TokenService {
  readonly #store: RecordStore;
  readonly #secret: string;
  readonly #now: () => number;
  readonly #context: ApiContext;
  readonly #kamailio: KamailioPush | undefined;
  // Wrapper objects, so one function subscribed twice is called twice and unsubscribed separately.
  readonly #listeners = new Set<{ listener: (jti: string) => void }>();
  #closed = false;

  private constructor(options: TokenServiceOptions, store: RecordStore, now: () => number) {
    this.#store = store;
    this.#secret = options.secret;
    this.#now = now;
    const toUnix = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
    this.#kamailio =
      options.kamailio && new KamailioPush(options.kamailio, () => store.revoked().map((r) => ({ jti: r.uuid, exp: toUnix(r.expires_at) })), now);
    this.#context = {
      store,
      keys: new ApiKeys(options.apiKeys),
      limiter: new RateLimiter({ ...(options.rateLimit ?? DEFAULT_RATE_LIMIT) }, now),
      secret: options.secret,
      domain: options.domain,
      now,
      log: options.log,
      closed: () => this.#closed,
      revoked: (jti) => {
        const entry = store.revoked().find((r) => r.uuid === jti);
        if (entry) void this.#kamailio?.push({ jti, exp: toUnix(entry.expires_at) });
        this.#emitRevoke(jti);
      },
    };
    // Revoked through another process on the same database: that process
    // pushed it to Kamailio; this one still closes its own SIP connections.
    store.onRemoteRevoke((jti) => this.#emitRevoke(jti));
  }

  /** Checks the options and loads the store. Rejects with TypeError on a bad option, TokenStoreError on an unreadable store. */
  static async open(options: TokenServiceOptions): Promise<TokenService> {
    checkOptions(options);
    const limits = storeLimits(options.storeLimits);
    const now = options.now ?? Date.now;
    let store: RecordStore;
    if (options.databaseUrl) {
      // Loaded only when used: the file store needs no database client.
      const { PgTokenStore } = await import('./pg-store.js');
      store = await PgTokenStore.open(options.databaseUrl, now, limits);
    } else {
      store = await TokenStore.open(options.storePath as string, now, limits);
    }
    return new TokenService(options, store, now);
  }

  /** Handles the /v1/tokens routes; resolves false (touching nothing) for any other path. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (this.#kamailio && (await this.#kamailio.handle(req, res))) return true;
    return handleRequest(this.#context, req, res);
  }

  /** Verifies signature and expiry and consults the deny-list. Tokens minted by the CLI (not in the store) pass when validly signed. */
  check(token: string): TokenCheck {
    let claims: TokenClaims;
    try {
      claims = verifyToken(token, this.#secret, this.#now());
    } catch (e) {
      return { ok: false, reason: e instanceof TokenVerificationError ? e.reason : 'malformed' };
    }
    if (this.#store.isRevoked(claims.jti)) return { ok: false, reason: 'revoked' };
    return { ok: true, claims };
  }

  isRevoked(jti: string): boolean {
    return this.#store.isRevoked(jti);
  }

  /** Called with the token id right after a DELETE revokes it. Returns an unsubscribe function. */
  onRevoke(listener: (jti: string) => void): () => void {
    const entry = { listener };
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Waits for pending writes and releases the store file; later requests get 503. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#kamailio?.close();
    await this.#store.close(); // a DELETE already in flight still persists and notifies
    this.#listeners.clear();
  }

  #emitRevoke(jti: string): void {
    for (const { listener } of [...this.#listeners]) {
      try {
        listener(jti);
      } catch (e) {
        // The revocation is already persisted; one failing listener must not hide it from the others.
        process.emitWarning(`token service: onRevoke listener threw: ${(e as Error)?.message ?? String(e)}`, 'TokenServiceWarning');
      }
    }
  }
}

function checkOptions(o: TokenServiceOptions): void {
  if (typeof o !== 'object' || o === null) throw new TypeError('options are required');
  if (typeof o.secret !== 'string' || o.secret.length < 16) throw new TypeError('secret must be at least 16 characters');
  if (!Array.isArray(o.apiKeys) || o.apiKeys.length === 0) throw new TypeError('apiKeys must list at least one key');
  for (const key of o.apiKeys) {
    if (typeof key !== 'string' || key.length < 16 || !/^[\x21-\x7e]+$/.test(key)) {
      throw new TypeError('each API key must be at least 16 printable ASCII characters without spaces');
    }
  }
  if (o.databaseUrl !== undefined && (typeof o.databaseUrl !== 'string' || !/^postgres(ql)?:\/\//.test(o.databaseUrl))) {
    throw new TypeError('databaseUrl must be a postgres:// or postgresql:// URL');
  }
  if (!o.databaseUrl && (typeof o.storePath !== 'string' || o.storePath.length === 0)) throw new TypeError('storePath (or databaseUrl) is required');
  if (typeof o.domain !== 'string' || !SIP_DOMAIN.test(o.domain)) throw new TypeError('domain must be a host name');
  if (o.now !== undefined && typeof o.now !== 'function') throw new TypeError('now must be a function');
  if (o.log !== undefined && typeof o.log !== 'function') throw new TypeError('log must be a function');
  if (o.rateLimit !== undefined) {
    const { perSecond, burst } = o.rateLimit;
    if (
      !(typeof perSecond === 'number' && perSecond > 0 && Number.isFinite(perSecond)) ||
      !(typeof burst === 'number' && burst >= 1 && Number.isFinite(burst))
    ) {
      throw new TypeError('rateLimit needs perSecond > 0 and burst >= 1');
    }
  }
}
