/**
 * API-key authentication for the REST routes. The keys only let a backend
 * call this API; they sign nothing (tokens are signed with the secret).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer[ \t]+([\x21-\x7e]+)[ \t]*$/i;

export class ApiKeys {
  readonly #digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.#digests = keys.map(digest);
  }

  /**
   * The index of the key an `Authorization: Bearer <key>` header presents,
   * or -1. Comparing SHA-256 digests with timingSafeEqual, against every key
   * without stopping early, keeps the time independent of how much of a key
   * was guessed right.
   */
  match(header: string | undefined): number {
    const m = BEARER.exec(header ?? '');
    const given = digest(m ? m[1] : '');
    let found = -1;
    this.#digests.forEach((d, i) => {
      if (timingSafeEqual(d, given) && found < 0) found = i;
    });
    return m ? found : -1;
  }
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}
