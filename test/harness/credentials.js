// Ephemeral SIP credentials in the auth_ephemeral / TURN-REST scheme that
// kamailio/kamailio.cfg verifies:
//   username = "<unix-expiry-seconds>:<user>"
//   password = base64(HMAC-SHA1(secret, username))
// Only used to exercise the harness; the product has its own issuer.
import { createHmac } from 'node:crypto';

/**
 * @param {{ secret: string, user: string, ttl?: number, now?: number }} opts
 *   ttl in seconds (may be negative to mint already-expired credentials);
 *   now in ms, defaults to Date.now().
 * @returns {{ username: string, password: string, expires: number }}
 *   expires is the unix time in seconds embedded in the username.
 */
export function ephemeralCredentials({ secret, user, ttl = 3600, now = Date.now() }) {
  if (!secret) throw new Error('ephemeralCredentials: secret is required');
  if (!user || user.includes(':')) throw new Error(`ephemeralCredentials: bad user ${JSON.stringify(user)}`);
  const expires = Math.floor(now / 1000) + Math.trunc(ttl);
  const username = `${expires}:${user}`;
  const password = createHmac('sha1', secret).update(username).digest('base64');
  return { username, password, expires };
}
