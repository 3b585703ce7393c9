import { readStorage, writeStorage } from '../../shared/storage.js';
import type { TokenClaims } from '../../shared/token-claims.js';

const keyOf = (claims: TokenClaims) => `voice-widget:caller-id:${claims.sub}@${claims.sip_domain}`;

/**
 * The caller ID for outgoing calls: one the token lists, or null for the
 * user's own. The choice is remembered per user, and kept only while the
 * token still allows it.
 */
export class CallerIdChoice {
  private chosen: string | null = null;

  get current(): string | null {
    return this.chosen;
  }

  /** A new token: the choice this user made before, if it still allows it. */
  restore(claims: TokenClaims): void {
    const saved = readStorage('local', keyOf(claims));
    this.chosen = saved && (claims.caller_ids ?? []).includes(saved) ? saved : null;
  }

  /** Chooses; false when the token does not allow `number`; `changed` false when it was already chosen. */
  choose(claims: TokenClaims | null, number: string | null): { allowed: boolean; changed: boolean } {
    if (!claims || (number !== null && !(claims.caller_ids ?? []).includes(number))) return { allowed: false, changed: false };
    if (number === this.chosen) return { allowed: true, changed: false };
    this.chosen = number;
    // No storage: the choice lasts for this page.
    writeStorage('local', keyOf(claims), number);
    return { allowed: true, changed: true };
  }
}
