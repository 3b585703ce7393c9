import { decodeToken, TokenFormatError, type TokenClaims } from '../../shared/token-claims.js';
import { ConfigError } from './config-checks.js';

/** Longest setTimeout delay browsers honour (2^31 - 1 ms); longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647;
/** `token-expiring` comes this share of the token's lifetime before its end (the host's time to fetch another). */
const EXPIRY_WARNING_SHARE = 0.25;

export type TokenDeath = 'expired' | 'revoked' | 'rejected';

export interface TokenHooks {
  /** The token's lifetime is over. */
  expired(): void;
  /** A quarter of the lifetime is left. */
  expiring(detail: { expiresAt: number; secondsLeft: number }): void;
}

/**
 * The current token: its claims, whether it can still register, and the
 * expiry and warning timers. Expiry counts from the token's receipt, with
 * the token's own lifetime: browser clocks are often wrong.
 */
export class TokenKeeper {
  token = '';
  claims: TokenClaims | null = null;
  /** The token can no longer register (expired, revoked, refused, or this origin refused). */
  dead = false;
  /** When each token was first received: its lifetime counts from then, across restarts. */
  private received: { token: string; at: number } | null = null;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private warnTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly hooks: TokenHooks) {}

  /**
   * Takes a token (null: none). Returns true when the claims changed; throws
   * a ConfigError (keeping the previous token) when it cannot be read.
   */
  take(token: string | null): boolean {
    if (token === null) {
      this.claims = null;
      this.token = '';
      this.stopTimers();
      return false;
    }
    let claims: TokenClaims;
    try {
      claims = decodeToken(token);
    } catch (e) {
      throw new ConfigError('token', 'invalid-token', e instanceof TokenFormatError ? e.message : 'the token could not be read');
    }
    if (token === this.token) return false;
    this.token = token;
    this.claims = claims;
    this.dead = false;
    if (this.received?.token !== token) this.received = { token, at: performance.now() };
    this.arm(claims);
    return true;
  }

  /** Marks the token dead and stops its timers; false when it already was (or there is none). */
  kill(): boolean {
    this.stopTimers();
    if (this.dead || !this.claims) return false;
    this.dead = true;
    return true;
  }

  stopTimers(): void {
    clearTimeout(this.expiryTimer);
    clearTimeout(this.warnTimer);
  }

  private arm(claims: TokenClaims): void {
    const lifetime = (claims.exp - claims.iat) * 1000;
    const receivedAt = this.received!.at;
    const left = lifetime - (performance.now() - receivedAt);
    this.armExpiry(left);
    // Ahead of the end, by a quarter of the lifetime: time for the host to fetch and set a new token.
    clearTimeout(this.warnTimer);
    const warnIn = left - lifetime * EXPIRY_WARNING_SHARE;
    if (left > 0 && warnIn < MAX_TIMER_MS) {
      this.warnTimer = setTimeout(
        () => {
          const secondsLeft = Math.max(0, Math.round((lifetime - (performance.now() - receivedAt)) / 1000));
          this.hooks.expiring({ expiresAt: Date.now() + secondsLeft * 1000, secondsLeft });
        },
        Math.max(0, warnIn),
      );
    }
  }

  private armExpiry(ms: number): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(
      () => (ms > MAX_TIMER_MS ? this.armExpiry(ms - MAX_TIMER_MS) : this.hooks.expired()),
      Math.max(0, Math.min(ms, MAX_TIMER_MS)),
    );
  }
}
