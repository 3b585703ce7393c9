import { CLOSE_REVOKED } from '../../shared/protocol.js';
import { originAllowed } from '../../shared/token-claims.js';
import type { TokenCheck } from '../token-service/index.js';
import { TokenVerificationError, verifyToken } from '../token.js';
import type { Admission } from './admission.js';
import type { Connection, Wire } from './connection.js';
import { DigestAuth } from './digest.js';
import type { SipServerLimits } from './limits.js';
import { contactKey, parseNameAddr, type SipMessage } from './message.js';
import { sentToken } from './widget-token.js';

export interface Binding {
  conn: Connection;
  contact: string;
  expiresAt: number;
  /** The token that made (or last refreshed) it, for the per-token cap. */
  jti: string;
}

export interface RegistrarOptions {
  secret: string;
  domain: string;
  checkToken?: (token: string) => TokenCheck;
}

const DEFAULT_EXPIRES = 600;

/**
 * REGISTER: the widget token (header `X-Voice-Widget-Token`) is verified, the
 * page's Origin is checked against the token's allowed domains, then the
 * digest credential (auth_ephemeral's rule) is challenged and checked; one
 * Contact per REGISTER, under the per-user and per-token caps.
 */
export class Registrar {
  /** user → contact key → binding */
  private readonly bindings = new Map<string, Map<string, Binding>>();
  private readonly auth: DigestAuth;

  constructor(
    private readonly options: RegistrarOptions,
    private readonly limits: SipServerLimits,
    private readonly admission: Admission,
    private readonly wire: Wire,
    /** A connection registered a flow (`conn.flow`): it takes over that flow's dialogs. */
    private readonly flowBound: (conn: Connection) => void = () => {},
  ) {
    this.auth = new DigestAuth(options.secret, options.domain);
  }

  /** Registered users and how many bindings each has. */
  registrations(): Record<string, number> {
    return Object.fromEntries([...this.bindings].map(([user, b]) => [user, b.size]));
  }

  /** The user's bindings that have not expired. */
  targets(user: string): Binding[] {
    return [...(this.bindings.get(user)?.values() ?? [])].filter((b) => b.expiresAt > Date.now());
  }

  /** Whether a connection's token is still valid and unrevoked (checked on every request). */
  stillAuthorized(conn: Connection): boolean {
    if (!conn.claims || !conn.token) return false;
    const check = this.checkToken(conn.token);
    if (check.ok) return true;
    if (check.reason === 'revoked') conn.ws.close(CLOSE_REVOKED, 'token revoked');
    return false;
  }

  register(conn: Connection, msg: SipMessage): void {
    const reply = this.wire.reply.bind(this.wire);
    // Counted before anything else: one binding per REGISTER (a browser has one), so one REGISTER cannot make thousands.
    const firstTwo = msg.contactEntries(2);
    if (firstTwo.length > 1) return reply(conn, msg, 400, firstTwo.includes('*') ? 'Contact * Must Be Alone' : 'One Contact Per REGISTER');
    if (msg.wildcardContact && msg.get('Expires')?.trim() !== '0') return reply(conn, msg, 400, 'Contact * Needs Expires 0');
    const contacts = msg.contacts();
    if (!contacts) return reply(conn, msg, 400, 'Bad Contact');
    const user = msg.to.uri.user ?? '';
    const token = sentToken(msg); // exactly as sent: a padded or trimmed variant is an Invalid Token
    if (!token) return reply(conn, msg, 403, 'Token Required');
    const check = this.checkToken(token);
    if (!check.ok) {
      this.wire.log(`conn ${conn.id}: REGISTER ${user}: token ${check.reason}`);
      if (check.reason === 'expired') return reply(conn, msg, 403, 'Credentials Expired');
      if (check.reason === 'revoked') {
        reply(conn, msg, 403, 'Token Revoked');
        conn.ws.close(CLOSE_REVOKED, 'token revoked');
        return;
      }
      return reply(conn, msg, 403, 'Invalid Token');
    }
    const claims = check.claims;
    if (!originAllowed(conn.origin, claims.allowed_domains)) {
      this.wire.log(`conn ${conn.id}: REGISTER ${user}: origin ${conn.origin ?? '(none)'} not allowed`);
      return reply(conn, msg, 403, 'Origin Not Allowed');
    }
    if (user !== claims.sub || msg.from.uri.user !== claims.sub) return reply(conn, msg, 403, 'Forbidden (User Mismatch)');
    if (msg.to.uri.host.toLowerCase() !== this.options.domain.toLowerCase()) return reply(conn, msg, 404, 'Not Found (Domain)');

    const authorization = msg.get('Authorization');
    if (!authorization) return reply(conn, msg, 401, 'Unauthorized', [['WWW-Authenticate', this.auth.challenge()]]);
    const result = this.auth.verify(authorization, 'REGISTER');
    if (!result.ok) {
      if (result.why === 'expired') return reply(conn, msg, 403, 'Credentials Expired');
      if (result.why === 'stale') return reply(conn, msg, 401, 'Unauthorized', [['WWW-Authenticate', this.auth.challenge(true)]]);
      return reply(conn, msg, 403, 'Forbidden');
    }
    if (result.username !== claims.sip_auth_user) return reply(conn, msg, 403, 'Forbidden (Credential Mismatch)');

    const map = this.bindings.get(user) ?? new Map<string, Binding>();
    const key = contacts[0] ? contactKey(contacts[0].addr.uri) : '';
    const existing = map.get(key);
    const flow = flowOf(user, contacts[0]?.addr);
    // A contact belongs to the connection that registered it first: another one's REGISTER leaves it alone,
    // unless it is the same flow (RFC 5626) come back on a new connection (the old one may linger half-open).
    const taken = existing !== undefined && existing.conn !== conn && this.wire.isOpen(existing.conn) && !(flow && existing.conn.flow === flow);
    const contact = msg.wildcardContact || taken ? null : (contacts[0] ?? null);
    const requested = Number(contact?.addr.getParam('expires') ?? msg.get('Expires') ?? DEFAULT_EXPIRES);
    // A registration never outlives its token.
    const expires = Math.max(0, Math.min(Number.isFinite(requested) ? requested : DEFAULT_EXPIRES, 3600, claims.exp - Math.floor(Date.now() / 1000)));
    // A refresh of a binding this connection holds is not a new one; a new one must fit under both caps.
    if (contact && expires > 0 && !(existing && existing.conn === conn)) {
      const refusal = this.capRefusal(map, existing, claims.jti);
      if (refusal) {
        this.wire.log(`conn ${conn.id}: REGISTER ${user}: ${refusal}`);
        return reply(conn, msg, 403, refusal);
      }
    }

    if (!conn.claims) this.admission.registered(conn.address);
    conn.claims = claims;
    conn.token = token;
    conn.jtis.add(claims.jti);
    if (conn.idleTimer) {
      clearTimeout(conn.idleTimer);
      conn.idleTimer = null;
    }
    if (contact && expires > 0 && flow && conn.flow !== flow) {
      conn.flow = flow;
      this.flowBound(conn);
    }
    if (contact && expires === 0) map.delete(key);
    else if (contact) map.set(key, { conn, contact: contact.raw.replace(/;expires=\d+/i, ''), expiresAt: Date.now() + expires * 1000, jti: claims.jti });
    // `*`: every binding this connection made for the user (other tabs keep theirs).
    else if (msg.wildcardContact) for (const [k, b] of map) if (b.conn === conn) map.delete(k);
    if (map.size > 0) this.bindings.set(user, map);
    else this.bindings.delete(user);
    this.wire.log(`conn ${conn.id}: REGISTER ${user} → 200 (${map.size} binding${map.size === 1 ? '' : 's'})`);
    // The 200 lists every current binding of the user (RFC 3261 §10.3).
    const now = Date.now();
    const listed = [...map.values()].map((b) => ['Contact', `${b.contact};expires=${Math.ceil((b.expiresAt - now) / 1000)}`] as [string, string]);
    reply(conn, msg, 200, 'OK', listed);
  }

  /** Forgets every binding of a connection that closed. */
  dropConnection(conn: Connection): void {
    for (const [user, map] of this.bindings) {
      for (const [key, binding] of map) if (binding.conn === conn) map.delete(key);
      if (map.size === 0) this.bindings.delete(user);
    }
  }

  /** Drops expired registrations, and those of connections whose token lapsed. */
  sweep(): void {
    const now = Date.now();
    for (const [user, map] of this.bindings) {
      for (const [key, b] of map) if (b.expiresAt <= now || (b.conn.claims && b.conn.claims.exp * 1000 <= now)) map.delete(key);
      if (map.size === 0) this.bindings.delete(user);
    }
  }

  /** Why one more binding for this user and token is refused, or null when both caps allow it. */
  private capRefusal(map: Map<string, Binding>, replaced: Binding | undefined, jti: string): string | null {
    const now = Date.now();
    const live = [...map.values()].filter((b) => b !== replaced && this.wire.isOpen(b.conn) && b.expiresAt > now);
    if (live.length >= this.limits.maxBindingsPerUser) return `Too Many Registrations For This User (Limit ${this.limits.maxBindingsPerUser})`;
    if (live.filter((b) => b.jti === jti).length >= this.limits.maxBindingsPerToken)
      return `Too Many Registrations For This Token (Limit ${this.limits.maxBindingsPerToken})`;
    return null;
  }

  private checkToken(token: string): TokenCheck {
    if (this.options.checkToken) return this.options.checkToken(token);
    try {
      return { ok: true, claims: verifyToken(token, this.options.secret) };
    } catch (e) {
      return { ok: false, reason: e instanceof TokenVerificationError ? e.reason : 'malformed' };
    }
  }
}

/** A contact's flow (RFC 5626 §4.2): the user, its `+sip.instance` and `reg-id`; null without an instance. */
function flowOf(user: string, addr: { getParam(name: string): unknown } | undefined): string | null {
  const instance = addr?.getParam('+sip.instance');
  return typeof instance === 'string' && instance ? `${user} ${instance} ${String(addr!.getParam('reg-id') ?? '')}` : null;
}

/** The URI to send a request to a binding with: its Contact. */
export function bindingUri(binding: Binding): string {
  const addr = parseNameAddr(binding.contact);
  return addr ? addr.uri.toString() : binding.contact.replace(/^<|>.*$/g, '');
}
