import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  CALLER_ID,
  DISPLAY_NAME,
  DOMAIN_NAME,
  SIP_DOMAIN,
  TOKEN_ID,
  MAX_TTL,
  MIN_TTL,
  SIP_USER,
  JWT_HEADER,
  TokenFormatError,
  decodeToken,
  isCanonicalToken,
  originAllowed,
  type IceServerClaim,
  type TokenClaims,
} from '../shared/token-claims.js';

export interface MintOptions {
  /** The deployment's signing secret; the same one Kamailio's auth_ephemeral holds. */
  secret: string;
  /** SIP user part. */
  user: string;
  /** SIP domain. */
  domain: string;
  /** Display name; defaults to the user. */
  name?: string;
  /** Lifetime in seconds, 1 s to 30 days; default 3600. */
  ttl?: number;
  /** Outbound caller IDs the user may present. */
  callerIds?: string[];
  /**
   * ICE server URLs. `turn:`/`turns:` entries get ephemeral credentials made
   * with the same HMAC scheme as the SIP ones (the TURN REST API scheme).
   */
  iceServers?: Array<string | IceServerClaim>;
  /** Host names whose pages may use the token (and their subdomains); empty: any. */
  allowedDomains?: string[];
  /** Token id; random when not given (the token service passes its record's id). */
  jti?: string;
  /** Clock, for tests. */
  now?: () => number;
}

/** The auth_ephemeral credential for a user, valid until `expires` (Unix seconds). */
export function ephemeralCredential(secret: string, user: string, expires: number): { username: string; password: string } {
  const username = `${expires}:${user}`;
  const password = createHmac('sha1', secret).update(username).digest('base64');
  return { username, password };
}

/** Mints a widget token. Throws `TypeError` on a bad option. */
export function mintToken(options: MintOptions): string {
  const { secret, user, domain } = options;
  if (typeof secret !== 'string' || secret.length < 16) throw new TypeError('secret must be at least 16 characters');
  if (typeof user !== 'string' || !SIP_USER.test(user)) throw new TypeError('user must match [A-Za-z0-9._~+-]{1,64}');
  if (typeof domain !== 'string' || !SIP_DOMAIN.test(domain)) throw new TypeError('domain must be a host name');
  const ttl = options.ttl ?? 3600;
  if (!Number.isInteger(ttl) || ttl < MIN_TTL || ttl > MAX_TTL) {
    throw new TypeError(`ttl must be a whole number of seconds from ${MIN_TTL} to ${MAX_TTL}`);
  }
  const name = options.name ?? user;
  if (typeof name !== 'string' || !DISPLAY_NAME.test(name)) throw new TypeError('name must be 1 to 128 characters, without control characters');
  const callerIds = options.callerIds ?? [];
  for (const id of callerIds) {
    if (!CALLER_ID.test(id) && !SIP_USER.test(id)) throw new TypeError(`caller ID "${id}" is not a number or SIP user`);
  }

  const allowedDomains = (options.allowedDomains ?? []).map((d) => (typeof d === 'string' ? d.toLowerCase() : d));
  for (const d of allowedDomains) {
    if (typeof d !== 'string' || !DOMAIN_NAME.test(d)) throw new TypeError(`allowed domain "${String(d)}" is not a host name`);
  }
  if (options.jti !== undefined && (typeof options.jti !== 'string' || !TOKEN_ID.test(options.jti))) {
    throw new TypeError('jti must be 8 to 64 characters of [A-Za-z0-9_-]');
  }

  const iat = Math.floor((options.now?.() ?? Date.now()) / 1000);
  const exp = iat + ttl;
  const sip = ephemeralCredential(secret, user, exp);
  const claims: TokenClaims = {
    jti: options.jti ?? randomBytes(16).toString('base64url'),
    sub: user,
    sip_domain: domain,
    name,
    iat,
    exp,
    sip_auth_user: sip.username,
    sip_auth_password: sip.password,
  };
  if (callerIds.length > 0) claims.caller_ids = [...callerIds];
  if (allowedDomains.length > 0) claims.allowed_domains = allowedDomains;
  if (options.iceServers && options.iceServers.length > 0) {
    claims.ice_servers = options.iceServers.map((s) => iceServerClaim(s, secret, user, exp));
  }
  return sign(claims, secret);
}

function iceServerClaim(server: string | IceServerClaim, secret: string, user: string, exp: number): IceServerClaim {
  const entry: IceServerClaim = typeof server === 'string' ? { urls: server } : { ...server };
  const urls = Array.isArray(entry.urls) ? entry.urls : [entry.urls];
  if (urls.length === 0 || !urls.every((u) => /^(stun|stuns|turn|turns):/.test(u))) {
    throw new TypeError(`ICE server URL must start with stun:, stuns:, turn: or turns: (${urls.join(', ')})`);
  }
  if (urls.some((u) => u.startsWith('turn')) && entry.credential === undefined) {
    const cred = ephemeralCredential(secret, user, exp);
    entry.username = cred.username;
    entry.credential = cred.password;
  }
  return entry;
}

function sign(claims: TokenClaims, secret: string): string {
  const head = Buffer.from(JSON.stringify(JWT_HEADER)).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const mac = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${mac}`;
}

export class TokenVerificationError extends Error {
  override name = 'TokenVerificationError';
  constructor(
    message: string,
    readonly reason: 'malformed' | 'signature' | 'expired',
  ) {
    super(message);
  }
}

/**
 * Verifies a token's signature and expiry and returns its claims.
 * Throws `TokenVerificationError` with a reason. Only the exact string that
 * was minted verifies: surrounding whitespace, padding, or base64url with
 * stray bits (see isCanonicalToken) are `malformed`.
 */
export function verifyToken(token: string, secret: string, now: number = Date.now()): TokenClaims {
  let claims: TokenClaims;
  try {
    claims = decodeToken(token);
  } catch (e) {
    throw new TokenVerificationError(e instanceof TokenFormatError ? e.message : 'malformed token', 'malformed');
  }
  if (!isCanonicalToken(token)) {
    throw new TokenVerificationError('token is not in canonical form (whitespace around it, padding, or stray bits in base64url)', 'malformed');
  }
  const [head, body, mac] = token.split('.');
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new TokenVerificationError('token signature does not match', 'signature');
  }
  if (claims.exp * 1000 <= now) throw new TokenVerificationError('token has expired', 'expired');
  return claims;
}

export { decodeToken, originAllowed, type TokenClaims, type IceServerClaim };
