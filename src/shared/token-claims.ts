/**
 * The widget token: a JWT (HS256) signed with the deployment's secret.
 *
 * The browser decodes it without the secret; only the project's servers verify
 * the signature. The SIP credential inside is Kamailio `auth_ephemeral`'s:
 * username `<unix-expiry>:<user>`, password `base64(HMAC-SHA1(secret, username))`,
 * so it dies with the token and is useless after `exp`.
 *
 * This file is shared by browser and Node code: no DOM, no Node APIs.
 */
import { isRecord } from './plain-data.js';

export interface TokenClaims {
  /** Token id, random; lets a server revoke one token. */
  jti: string;
  /** SIP user part (`alice` in `sip:alice@example.com`). */
  sub: string;
  /** SIP domain (need not be the WebSocket server's host). */
  sip_domain: string;
  /** Display name sent with calls. */
  name: string;
  /** Issued at, Unix seconds (server clock). */
  iat: number;
  /** Expires at, Unix seconds (server clock). */
  exp: number;
  /** Digest authorization user: `<exp>:<sub>`. */
  sip_auth_user: string;
  /** Digest password: base64(HMAC-SHA1(secret, sip_auth_user)). */
  sip_auth_password: string;
  /** Outbound caller IDs this user may present. */
  caller_ids?: string[];
  /** ICE servers for WebRTC media; TURN entries carry ephemeral credentials. */
  ice_servers?: IceServerClaim[];
  /**
   * Host names whose pages may use this token (each also allows its
   * subdomains; `localhost` only when listed). Missing or empty: any origin.
   */
  allowed_domains?: string[];
}

export interface IceServerClaim {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export const JWT_HEADER = { alg: 'HS256', typ: 'JWT' } as const;

/** A SIP user part as this project accepts it, everywhere: tokens, the dial string, the token API. */
export const SIP_USER = /^[A-Za-z0-9._~+-]{1,64}$/;

/** A SIP domain in a token (letters, digits, dots, dashes). */
export const SIP_DOMAIN = /^[A-Za-z0-9.-]{1,253}$/;

/** An outbound caller ID: a phone number. */
export const CALLER_ID = /^\+?[0-9]{2,20}$/;

/** A token id (`jti`), also the token service's record id. */
export const TOKEN_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** A display name: 1 to 128 characters, no control characters. */
export const DISPLAY_NAME = /^[^\u0000-\u001f\u007f]{1,128}$/;

/** Shortest and longest lifetimes a token may be minted with, in seconds. */
export const MIN_TTL = 1;
export const MAX_TTL = 30 * 24 * 3600;

export class TokenFormatError extends Error {
  override name = 'TokenFormatError';
}

/** Tokens are a few hundred bytes; this leaves room for long caller ID and ICE lists. */
export const MAX_TOKEN_LENGTH = 16_384;

/** Decodes base64url to a string (UTF-8), in browsers and in Node. */
export function base64UrlDecode(input: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(input)) throw new TokenFormatError('token is not base64url');
  const b64 = input.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (input.length % 4)) % 4);
  const binary = atob(b64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

// base64url characters whose value has its low 4 (or 2) bits clear: the only
// ones that may end a part whose length is 2 (or 3) more than a multiple of 4.
const LAST_OF_2 = /[AQgw]$/;
const LAST_OF_3 = /[AEIMQUYcgkosw048]$/;

/**
 * Whether `token` is exactly the string its issuer produced: three parts of
 * unpadded base64url, nothing around them, and no set bits past the data in
 * any part's last character (which decoders ignore, so a token with them
 * flipped would otherwise verify as the same token). Servers require it, so
 * exactly one string verifies per token and its SHA-256 names it.
 */
export function isCanonicalToken(token: string): boolean {
  const parts = token.split('.');
  return (
    parts.length === 3 &&
    parts.every(
      (part) =>
        /^[A-Za-z0-9_-]+$/.test(part) &&
        part.length % 4 !== 1 &&
        (part.length % 4 !== 2 || LAST_OF_2.test(part)) &&
        (part.length % 4 !== 3 || LAST_OF_3.test(part)),
    )
  );
}

/**
 * Splits a token and validates the shape of its claims. Does NOT verify the
 * signature (the browser has no secret); servers call `verifyToken` instead.
 */
export function decodeToken(token: string): TokenClaims {
  if (typeof token !== 'string') throw new TokenFormatError('token must be a string');
  // The token travels in a SIP header: nothing but base64url and dots, and no megabytes.
  if (token.length > MAX_TOKEN_LENGTH) throw new TokenFormatError(`token is longer than ${MAX_TOKEN_LENGTH} characters`);
  if (!/^\s*[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\s*$/.test(token)) throw new TokenFormatError('token must be three base64url parts');
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new TokenFormatError('token must have three dot-separated parts');
  let header: unknown;
  let claims: unknown;
  try {
    header = JSON.parse(base64UrlDecode(parts[0]));
    claims = JSON.parse(base64UrlDecode(parts[1]));
  } catch (e) {
    if (e instanceof TokenFormatError) throw e;
    throw new TokenFormatError('token parts are not JSON');
  }
  if (!isRecord(header) || header.alg !== JWT_HEADER.alg) throw new TokenFormatError('token header must say alg HS256');
  return validateClaims(claims);
}

function validateClaims(c: unknown): TokenClaims {
  if (!isRecord(c)) throw new TokenFormatError('token claims must be an object');
  for (const key of ['jti', 'sub', 'sip_domain', 'name', 'sip_auth_user', 'sip_auth_password'] as const) {
    if (typeof c[key] !== 'string' || (c[key] as string).length === 0) {
      throw new TokenFormatError(`token claim "${key}" must be a non-empty string`);
    }
  }
  for (const key of ['iat', 'exp'] as const) {
    if (typeof c[key] !== 'number' || !Number.isFinite(c[key])) {
      throw new TokenFormatError(`token claim "${key}" must be a number`);
    }
  }
  if ((c.exp as number) <= (c.iat as number)) throw new TokenFormatError('token expires before it was issued');
  if (!SIP_USER.test(c.sub as string)) throw new TokenFormatError('token claim "sub" is not a SIP user');
  if (!SIP_DOMAIN.test(c.sip_domain as string)) throw new TokenFormatError('token claim "sip_domain" is not a domain');
  if (c.caller_ids !== undefined && !(Array.isArray(c.caller_ids) && c.caller_ids.every((x) => typeof x === 'string'))) {
    throw new TokenFormatError('token claim "caller_ids" must be an array of strings');
  }
  if (c.allowed_domains !== undefined && !(Array.isArray(c.allowed_domains) && c.allowed_domains.every((x) => typeof x === 'string'))) {
    throw new TokenFormatError('token claim "allowed_domains" must be an array of strings');
  }
  if (c.ice_servers !== undefined && !isIceServerList(c.ice_servers)) {
    throw new TokenFormatError('token claim "ice_servers" must be an array of RTCIceServer');
  }
  return c as unknown as TokenClaims;
}

export function isIceServerList(value: unknown): value is IceServerClaim[] {
  return (
    Array.isArray(value) &&
    value.every(
      (s) =>
        isRecord(s) &&
        (typeof s.urls === 'string' || (Array.isArray(s.urls) && s.urls.length > 0 && s.urls.every((u) => typeof u === 'string'))) &&
        (s.username === undefined || typeof s.username === 'string') &&
        (s.credential === undefined || typeof s.credential === 'string'),
    )
  );
}

/** A host name as allowed_domains takes it: lower case, letters, digits, dots and dashes. */
export const DOMAIN_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/**
 * Whether a page origin (`https://app.example.com:8443`) may use a token
 * allowed for `domains`: the origin's host equals one of them or is a
 * subdomain of one. An empty or missing list allows every origin.
 */
export function originAllowed(origin: string | null | undefined, domains: readonly string[] | undefined): boolean {
  if (!domains || domains.length === 0) return true;
  if (!origin) return false;
  let host: string;
  try {
    host = new URL(origin).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return false;
  }
  return domains.some((d) => {
    const domain = d.toLowerCase();
    return host === domain || host.endsWith(`.${domain}`);
  });
}
