import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ephemeralCredential } from '../token.js';

/** How long a nonce is good for; after that the client is re-challenged with stale=true. */
const NONCE_LIFETIME_MS = 5 * 60_000;

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/**
 * Digest authentication (RFC 2617, as SIP uses it) with stateless nonces and
 * the auth_ephemeral password rule, so the embedded server accepts exactly the
 * credentials Kamailio's auth_ephemeral does.
 */
export class DigestAuth {
  private readonly nonceKey = randomBytes(32);

  constructor(
    private readonly secret: string,
    readonly realm: string,
  ) {}

  challenge(stale = false): string {
    return `Digest realm="${this.realm}", nonce="${this.nonce()}", algorithm=MD5, qop="auth"${stale ? ', stale=true' : ''}`;
  }

  /**
   * Checks an Authorization header for `method`. The expiry in the username
   * (`<unix-expiry>:<user>`) is checked first, so an expired credential is
   * told apart from a wrong one.
   */
  verify(header: string, method: string, now = Date.now()): DigestResult {
    const params = parseDigest(header);
    if (!params) return { ok: false, why: 'malformed' };
    const { username, realm, nonce, uri, response } = params;
    if (!username || !realm || !nonce || !uri || !response) return { ok: false, why: 'malformed' };
    const m = /^(\d{1,12}):(.+)$/.exec(username);
    if (!m) return { ok: false, why: 'malformed' };
    if (Number(m[1]) * 1000 <= now) return { ok: false, why: 'expired', username };
    if (realm !== this.realm) return { ok: false, why: 'wrong', username };
    const freshness = this.nonceAge(nonce, now);
    if (freshness === null) return { ok: false, why: 'wrong', username };
    if (freshness > NONCE_LIFETIME_MS) return { ok: false, why: 'stale', username };

    const password = ephemeralCredential(this.secret, m[2], Number(m[1])).password;
    const ha1 = md5(`${username}:${realm}:${password}`);
    const ha2 = md5(`${method}:${uri}`);
    const expected = params.qop === 'auth' ? md5(`${ha1}:${nonce}:${params.nc ?? ''}:${params.cnonce ?? ''}:auth:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
    const a = Buffer.from(expected);
    const b = Buffer.from(response.toLowerCase());
    return a.length === b.length && timingSafeEqual(a, b) ? { ok: true, username } : { ok: false, why: 'wrong', username };
  }

  /** `<ms timestamp>.<mac>`: verifiable without storing nonces. */
  private nonce(now = Date.now()): string {
    const ts = now.toString(36);
    return `${ts}.${createHmac('sha256', this.nonceKey).update(ts).digest('base64url').slice(0, 22)}`;
  }

  private nonceAge(nonce: string, now: number): number | null {
    const [ts, mac] = nonce.split('.');
    if (!ts || !mac) return null;
    const expected = createHmac('sha256', this.nonceKey).update(ts).digest('base64url').slice(0, 22);
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) return null;
    return now - parseInt(ts, 36);
  }
}

export type DigestResult = { ok: true; username: string } | { ok: false; why: 'malformed' | 'expired' | 'wrong' | 'stale'; username?: string };

/**
 * Parses `Digest a="b", c=d` credentials. JsSIP's grammar covers only the
 * client side (challenges), so this small parser handles the response.
 */
export function parseDigest(header: string): Record<string, string> | null {
  const m = /^\s*Digest\s+(.*)$/is.exec(header);
  if (!m) return null;
  const params: Record<string, string> = {};
  const re = /\s*([A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))\s*(?:,|$)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = re.exec(m[1])) !== null) {
    params[match[1].toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3];
    consumed = re.lastIndex;
    if (consumed >= m[1].length) break;
  }
  return consumed >= m[1].trimEnd().length ? params : null;
}
