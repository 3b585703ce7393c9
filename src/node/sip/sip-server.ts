import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_REVOKED, WIDGET_TOKEN_HEADER } from '../../shared/protocol.js';
import { originAllowed, type TokenClaims } from '../../shared/token-claims.js';
import { TokenVerificationError, verifyToken } from '../token.js';
import { sentToken } from './widget-token.js';
import type { TokenCheck } from '../token-service/index.js';
import { Admission, clientAddress } from './admission.js';
import { DigestAuth } from './digest.js';
import { backlogLimit, resolveLimits, type SipServerLimits } from './limits.js';
import { SipMessage, contactKey, parseNameAddr } from './message.js';
import { DEFAULT_ALLOWED_ORIGINS, originCheck } from './origin-policy.js';

export { CLOSE_REVOKED, WIDGET_TOKEN_HEADER };

export interface SipServerOptions extends Partial<SipServerLimits> {
  /** The signing secret: verifies tokens and derives digest passwords. */
  secret: string;
  /** The SIP domain served; requests for other domains get 404. */
  domain: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Token verification, e.g. the token service's (which knows revocations). */
  checkToken?: (token: string) => TokenCheck;
  /**
   * Origins whose pages may open a connection (checked at the handshake):
   * `loopback` (the default), exact origins, `https://*.example.com`, or `*`.
   */
  allowedOrigins?: readonly string[];
  /** Whether a handshake without an Origin header (a program, not a browser) may connect; default true. */
  allowNoOrigin?: boolean;
  log?: (line: string) => void;
}

interface Connection {
  id: number;
  ws: WebSocket;
  /** The peer's IP address, for the cap on connections that have not registered. */
  address: string;
  origin: string | null;
  /** Set by a successful REGISTER: the token this connection speaks for now. */
  claims: TokenClaims | null;
  token: string | null;
  /** Every token id this connection has registered with, so revoking any of them closes it. */
  jtis: Set<string>;
  /** Closes a connection that never registers. */
  idleTimer: ReturnType<typeof setTimeout> | null;
}

interface Binding {
  conn: Connection;
  contact: string;
  expiresAt: number;
  /** The token that made (or last refreshed) it, for the per-token cap. */
  jti: string;
}

/** A forwarded INVITE waiting for its final response (the proxy forks to every binding). */
interface InviteTransaction {
  key: string;
  upstream: Connection;
  request: SipMessage;
  /** Each branch keeps only its Request-URI: CANCEL and ACK take the rest from `request`. */
  branches: Map<string, { conn: Connection; ruri: string; final: number | null }>;
  answered: boolean;
  best: SipMessage | null;
  done: boolean;
  timer: ReturnType<typeof setTimeout>;
}

/** Where a response to a forwarded non-INVITE request goes. */
interface PlainTransaction {
  upstream: Connection;
  downstream: Connection;
  timer: ReturnType<typeof setTimeout>;
}

const INVITE_TIMEOUT_MS = 180_000;
const TRANSACTION_TIMEOUT_MS = 32_000;
const DEFAULT_EXPIRES = 600;

/**
 * A small SIP-over-WebSocket (RFC 7118) registrar and proxy for development
 * and single-machine use: browser-to-browser calls with no other software.
 *
 * - REGISTER: the widget token (header `X-Voice-Widget-Token`) is verified,
 *   the page's Origin is checked against the token's allowed domains, then
 *   the digest credential (auth_ephemeral's rule) is challenged and checked.
 * - INVITE and CANCEL: forked to the user's registered connections (the newest, at most maxForks).
 * - Limits (limits.ts, admission.ts): one Contact per REGISTER, bindings per user and per
 *   token, message size, allowed page origins, and connections that have not registered.
 * - In-dialog requests: routed by this proxy's Record-Route, which names the
 *   dialog's two connections under a MAC, so no client can steer another's
 *   dialog. Every request but REGISTER needs a registered connection whose
 *   token is still valid and unrevoked; the caller's identity is asserted
 *   (P-Asserted-Identity) from its token.
 *
 * Kamailio remains the production engine; this server keeps no state on disk.
 */
export class SipServer {
  private readonly wss: WebSocketServer;
  private readonly auth: DigestAuth;
  private readonly limits: SipServerLimits;
  private readonly admission: Admission;
  private readonly connections = new Set<Connection>();
  /** user → contact key → binding */
  private readonly bindings = new Map<string, Map<string, Binding>>();
  private readonly connectionsById = new Map<number, Connection>();
  /** Keys the MACs in Record-Route. */
  private readonly routeKey = randomBytes(32);
  private readonly invites = new Map<string, InviteTransaction>();
  /** our branch → the INVITE transaction it belongs to */
  private readonly inviteBranches = new Map<string, InviteTransaction>();
  private readonly plain = new Map<string, PlainTransaction>();
  private readonly sweeper: ReturnType<typeof setInterval>;
  private nextId = 1;
  private viaHost = '';

  private constructor(
    private readonly options: SipServerOptions,
    wss: WebSocketServer,
    limits: SipServerLimits,
    admission: Admission,
  ) {
    this.wss = wss;
    this.limits = limits;
    this.admission = admission;
    this.auth = new DigestAuth(options.secret, options.domain);
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref?.();
  }

  static async start(options: SipServerOptions): Promise<SipServer> {
    const limits = resolveLimits(options);
    const admission = new Admission(limits, originCheck(options.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS, options.allowNoOrigin ?? true));
    const wss = new WebSocketServer({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      // A larger message closes the connection (1009) before anything parses it.
      maxPayload: limits.maxMessageBytes,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
      // Refused at the handshake, before a WebSocket (and a slot) exists.
      verifyClient: (info, done) => {
        const refusal = admission.refusal(info.origin as string | undefined, clientAddress(info.req));
        if (!refusal) return done(true);
        options.log?.(`handshake from ${clientAddress(info.req)} (${String(info.origin ?? 'no origin')}) refused: ${refusal.reason}`);
        done(false, refusal.status, refusal.reason);
      },
    });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    const server = new SipServer(options, wss, limits, admission);
    const { address, port } = wss.address() as AddressInfo;
    server.viaHost = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
    wss.on('connection', (ws, req) => server.accept(ws, req));
    return server;
  }

  /** `ws://host:port` for the widget's `sip-server`. */
  get url(): string {
    return `ws://${this.viaHost}`;
  }

  /** Registered users and how many connections each has. */
  registrations(): Record<string, number> {
    return Object.fromEntries([...this.bindings].map(([user, b]) => [user, b.size]));
  }

  /** Open connections that have not registered yet, by client address. */
  unregisteredConnections(): Record<string, number> {
    return this.admission.unregisteredByAddress();
  }

  /** Closes every connection that registered with token `jti` (it was revoked). */
  disconnectToken(jti: string): void {
    for (const conn of this.connections) {
      if (conn.jtis.has(jti)) {
        this.log(`conn ${conn.id}: token revoked, closing`);
        conn.ws.close(CLOSE_REVOKED, 'token revoked');
        this.dropConnection(conn);
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    for (const tx of this.invites.values()) clearTimeout(tx.timer);
    for (const tx of this.plain.values()) clearTimeout(tx.timer);
    for (const conn of this.connections) conn.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  // ── connections ────────────────────────────────────────────────────────────

  private accept(ws: WebSocket, req: IncomingMessage): void {
    const address = clientAddress(req);
    this.admission.opened(address);
    const conn: Connection = {
      id: this.nextId++,
      ws,
      address,
      origin: req.headers.origin ?? null,
      claims: null,
      token: null,
      jtis: new Set(),
      idleTimer: setTimeout(() => {
        this.log(`conn ${conn.id}: not registered within ${this.limits.registerWithinMs} ms, closing`);
        ws.close(1008, 'register first');
        // Its slot is free now, whether or not the client ever answers the close.
        this.dropConnection(conn);
      }, this.limits.registerWithinMs),
    };
    this.connections.add(conn);
    this.connectionsById.set(conn.id, conn);
    ws.on('message', (data, isBinary) => {
      if (isBinary || !this.connections.has(conn)) return;
      try {
        this.receive(conn, data.toString());
      } catch (e) {
        // One bad message must never take the server (and every call) down.
        this.log(`conn ${conn.id}: message dropped: ${(e as Error).message}`);
      }
    });
    ws.on('close', () => this.dropConnection(conn));
    ws.on('error', () => this.dropConnection(conn));
  }

  private dropConnection(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    this.connectionsById.delete(conn.id);
    this.admission.closed(conn.address, conn.claims !== null);
    if (conn.idleTimer) clearTimeout(conn.idleTimer);
    for (const [user, map] of this.bindings) {
      for (const [key, binding] of map) if (binding.conn === conn) map.delete(key);
      if (map.size === 0) this.bindings.delete(user);
    }
    for (const tx of this.invites.values()) {
      if (tx.done) continue;
      // The caller is gone: stop the phones that ring for it.
      if (tx.upstream === conn) {
        this.cancelBranches(tx);
        this.finishInvite(tx, null);
        continue;
      }
      // Branches that can no longer answer count as unavailable.
      for (const [branch, b] of tx.branches) if (b.conn === conn && b.final === null) this.branchFinal(tx, branch, 480, null);
    }
  }

  private send(conn: Connection, text: string): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    conn.ws.send(text);
    this.checkBacklog(conn);
  }

  /** One text message in two WebSocket frames, so `rest` can be the same buffer for every receiver. */
  private sendShared(conn: Connection, head: string, rest: Buffer): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    conn.ws.send(head, { fin: false });
    conn.ws.send(rest, { binary: false, fin: true });
    this.checkBacklog(conn);
  }

  /** A client that does not read what it is sent is cut off before the server holds much for it. */
  private checkBacklog(conn: Connection): void {
    if (conn.ws.bufferedAmount <= backlogLimit(this.limits)) return;
    this.log(`conn ${conn.id}: ${conn.ws.bufferedAmount} bytes unread, closing`);
    conn.ws.terminate();
    this.dropConnection(conn);
  }

  // ── dispatch ───────────────────────────────────────────────────────────────

  private receive(conn: Connection, data: string): void {
    if (/^\s*$/.test(data)) return; // keep-alive CRLF
    const msg = SipMessage.parse(data);
    if (!msg) {
      this.log(`conn ${conn.id}: unparseable message dropped`);
      return;
    }
    if (!msg.isRequest) return this.onResponse(conn, msg);
    const maxForwards = Number(msg.get('Max-Forwards') ?? 70);
    if (maxForwards <= 0) return this.reply(conn, msg, 483, 'Too Many Hops');
    msg.set('Max-Forwards', String(Math.min(maxForwards, 70) - 1));

    if (msg.method === 'REGISTER') return this.onRegister(conn, msg);
    if (!msg.ruri?.user && msg.toTag === undefined && msg.method === 'OPTIONS') return this.reply(conn, msg, 200, 'OK'); // keep-alive to the proxy
    // Everything else comes from a connection that registered.
    if (!conn.claims) return this.reply(conn, msg, 403, 'Register First');
    switch (true) {
      case msg.method === 'CANCEL':
        return this.onCancel(conn, msg);
      case msg.toTag !== undefined:
        return this.routeInDialog(conn, msg);
      case msg.method === 'ACK':
        return; // the ACK of a final response this proxy sent or aggregated: hop by hop, absorbed
      default:
        return this.onNewRequest(conn, msg);
    }
  }

  private reply(conn: Connection, msg: SipMessage, status: number, reason: string, extra: Array<[string, string]> = []): void {
    if (msg.method === 'ACK') return;
    this.send(conn, msg.response(status, reason, extra, randomTag()));
  }

  // ── REGISTER ───────────────────────────────────────────────────────────────

  /** Whether a connection's token is still valid and unrevoked (checked on every request). */
  private stillAuthorized(conn: Connection): boolean {
    if (!conn.claims || !conn.token) return false;
    const check = this.checkToken(conn.token);
    if (check.ok) return true;
    if (check.reason === 'revoked') conn.ws.close(CLOSE_REVOKED, 'token revoked');
    return false;
  }

  private onRegister(conn: Connection, msg: SipMessage): void {
    // Counted before anything else: one binding per REGISTER (a browser has one), so one REGISTER cannot make thousands.
    const firstTwo = msg.contactEntries(2);
    if (firstTwo.length > 1) return this.reply(conn, msg, 400, firstTwo.includes('*') ? 'Contact * Must Be Alone' : 'One Contact Per REGISTER');
    if (msg.wildcardContact && msg.get('Expires')?.trim() !== '0') return this.reply(conn, msg, 400, 'Contact * Needs Expires 0');
    const contacts = msg.contacts();
    if (!contacts) return this.reply(conn, msg, 400, 'Bad Contact');
    const user = msg.to.uri.user ?? '';
    const token = sentToken(msg); // exactly as sent: a padded or trimmed variant is an Invalid Token
    if (!token) return this.reply(conn, msg, 403, 'Token Required');
    const check = this.checkToken(token);
    if (!check.ok) {
      this.log(`conn ${conn.id}: REGISTER ${user}: token ${check.reason}`);
      if (check.reason === 'expired') return this.reply(conn, msg, 403, 'Credentials Expired');
      if (check.reason === 'revoked') {
        this.reply(conn, msg, 403, 'Token Revoked');
        conn.ws.close(CLOSE_REVOKED, 'token revoked');
        return;
      }
      return this.reply(conn, msg, 403, 'Invalid Token');
    }
    const claims = check.claims;
    if (!originAllowed(conn.origin, claims.allowed_domains)) {
      this.log(`conn ${conn.id}: REGISTER ${user}: origin ${conn.origin ?? '(none)'} not allowed`);
      return this.reply(conn, msg, 403, 'Origin Not Allowed');
    }
    if (user !== claims.sub || msg.from.uri.user !== claims.sub) return this.reply(conn, msg, 403, 'Forbidden (User Mismatch)');
    if (msg.to.uri.host.toLowerCase() !== this.options.domain.toLowerCase()) return this.reply(conn, msg, 404, 'Not Found (Domain)');

    const authorization = msg.get('Authorization');
    if (!authorization) return this.reply(conn, msg, 401, 'Unauthorized', [['WWW-Authenticate', this.auth.challenge()]]);
    const result = this.auth.verify(authorization, 'REGISTER');
    if (!result.ok) {
      if (result.why === 'expired') return this.reply(conn, msg, 403, 'Credentials Expired');
      if (result.why === 'stale') return this.reply(conn, msg, 401, 'Unauthorized', [['WWW-Authenticate', this.auth.challenge(true)]]);
      return this.reply(conn, msg, 403, 'Forbidden');
    }
    if (result.username !== claims.sip_auth_user) return this.reply(conn, msg, 403, 'Forbidden (Credential Mismatch)');

    const map = this.bindings.get(user) ?? new Map<string, Binding>();
    const key = contacts[0] ? contactKey(contacts[0].addr.uri) : '';
    const existing = map.get(key);
    // A contact belongs to the connection that registered it first: another one's REGISTER leaves it alone.
    const taken = existing !== undefined && existing.conn !== conn && this.connections.has(existing.conn);
    const contact = msg.wildcardContact || taken ? null : (contacts[0] ?? null);
    const requested = Number(contact?.addr.getParam('expires') ?? msg.get('Expires') ?? DEFAULT_EXPIRES);
    // A registration never outlives its token.
    const expires = Math.max(0, Math.min(Number.isFinite(requested) ? requested : DEFAULT_EXPIRES, 3600, claims.exp - Math.floor(Date.now() / 1000)));
    // A refresh of a binding this connection holds is not a new one; a new one must fit under both caps.
    if (contact && expires > 0 && !(existing && existing.conn === conn)) {
      const refusal = this.capRefusal(map, existing, claims.jti);
      if (refusal) {
        this.log(`conn ${conn.id}: REGISTER ${user}: ${refusal}`);
        return this.reply(conn, msg, 403, refusal);
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
    if (contact && expires === 0) map.delete(key);
    else if (contact) map.set(key, { conn, contact: contact.raw.replace(/;expires=\d+/i, ''), expiresAt: Date.now() + expires * 1000, jti: claims.jti });
    // `*`: every binding this connection made for the user (other tabs keep theirs).
    else if (msg.wildcardContact) for (const [k, b] of map) if (b.conn === conn) map.delete(k);
    if (map.size > 0) this.bindings.set(user, map);
    else this.bindings.delete(user);
    this.log(`conn ${conn.id}: REGISTER ${user} → 200 (${map.size} binding${map.size === 1 ? '' : 's'})`);
    // The 200 lists every current binding of the user (RFC 3261 §10.3).
    const now = Date.now();
    const listed = [...map.values()].map((b) => ['Contact', `${b.contact};expires=${Math.ceil((b.expiresAt - now) / 1000)}`] as [string, string]);
    this.reply(conn, msg, 200, 'OK', listed);
  }

  /** Why one more binding for this user and token is refused, or null when both caps allow it. */
  private capRefusal(map: Map<string, Binding>, replaced: Binding | undefined, jti: string): string | null {
    const now = Date.now();
    const live = [...map.values()].filter((b) => b !== replaced && this.connections.has(b.conn) && b.expiresAt > now);
    if (live.length >= this.limits.maxBindingsPerUser) return `Too Many Registrations For This User (Limit ${this.limits.maxBindingsPerUser})`;
    if (live.filter((b) => b.jti === jti).length >= this.limits.maxBindingsPerToken) return `Too Many Registrations For This Token (Limit ${this.limits.maxBindingsPerToken})`;
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

  // ── new requests ───────────────────────────────────────────────────────────

  private onNewRequest(conn: Connection, msg: SipMessage): void {
    const ruri = msg.ruri!;
    if (!ruri.user) return this.reply(conn, msg, 405, 'Method Not Allowed');
    // A new call or message needs a token that still holds; hanging up (in dialog) never does.
    if (!this.stillAuthorized(conn)) return this.reply(conn, msg, 403, 'Credentials Expired');
    const claims = conn.claims!;
    if (msg.from.uri.user !== claims.sub) return this.reply(conn, msg, 403, 'Forbidden (From Mismatch)');
    // The callee sees who the token says the caller is, whatever the From display name claims;
    // a preferred caller ID (RFC 3325) is asserted only when the token's signed list has it.
    const preferred = msg.get('P-Preferred-Identity');
    let user = claims.sub;
    if (preferred) {
      const wanted = parseNameAddr(preferred)?.uri.user ?? '';
      if (!(claims.caller_ids ?? []).includes(wanted)) return this.reply(conn, msg, 403, 'Caller ID Not Allowed');
      user = wanted;
    }
    msg.remove('P-Preferred-Identity');
    msg.remove('P-Asserted-Identity');
    msg.prepend('P-Asserted-Identity', `"${claims.name.replace(/["\\\r\n]/g, '')}" <sip:${user}@${claims.sip_domain}>`);
    if (ruri.host.toLowerCase() !== this.options.domain.toLowerCase()) return this.reply(conn, msg, 404, 'Not Found');
    const targets = [...(this.bindings.get(ruri.user)?.values() ?? [])].filter((b) => b.expiresAt > Date.now());
    if (targets.length === 0) return this.reply(conn, msg, 480, 'Temporarily Unavailable');

    if (msg.method === 'INVITE') return this.forkInvite(conn, msg, targets);
    // Other out-of-dialog requests (MESSAGE, SUBSCRIBE, REFER…) go to the newest binding.
    const newest = targets.reduce((a, b) => (b.expiresAt > a.expiresAt ? b : a));
    if (msg.method === 'SUBSCRIBE' || msg.method === 'REFER') msg.prepend('Record-Route', this.recordRoute(conn, newest.conn));
    this.forward(conn, newest.conn, msg, bindingUri(newest));
  }

  private forkInvite(conn: Connection, msg: SipMessage, targets: Binding[]): void {
    const key = `${msg.branch}|${msg.callId}`;
    if (this.invites.has(key)) return; // retransmission: our 100 Trying already answered it
    this.send(conn, msg.response(100, 'Trying'));
    const tx: InviteTransaction = {
      key,
      upstream: conn,
      request: msg,
      branches: new Map(),
      answered: false,
      best: null,
      done: false,
      timer: setTimeout(() => this.inviteTimeout(tx), INVITE_TIMEOUT_MS),
    };
    this.invites.set(key, tx);
    // The newest bindings ring, at most maxForks of them.
    const ringing = [...targets].sort((a, b) => b.expiresAt - a.expiresAt).slice(0, this.limits.maxForks);
    // Branches differ only in the request line, our Via and our Record-Route (each the first of its
    // name, so they may lead): every branch is sent a small head of its own and one shared copy of the rest.
    const full = msg.toString();
    const rest = Buffer.from(full.slice(full.indexOf('\r\n') + 2));
    for (const target of ringing) {
      const ruri = bindingUri(target);
      const branch = newBranch();
      tx.branches.set(branch, { conn: target.conn, ruri, final: null });
      this.inviteBranches.set(branch, tx);
      const head = `INVITE ${ruri} SIP/2.0\r\nVia: SIP/2.0/WS ${this.viaHost};branch=${branch}\r\nRecord-Route: ${this.recordRoute(conn, target.conn)}\r\n`;
      this.sendShared(target.conn, head, rest);
    }
    this.log(`conn ${conn.id}: INVITE ${msg.from.uri.user} → ${msg.ruri!.user} (${ringing.length} branch${ringing.length === 1 ? '' : 'es'})`);
  }

  private onCancel(conn: Connection, msg: SipMessage): void {
    const tx = this.invites.get(`${msg.branch}|${msg.callId}`);
    if (!tx || tx.upstream !== conn) return this.reply(conn, msg, 481, 'Call/Transaction Does Not Exist');
    this.reply(conn, msg, 200, 'OK');
    if (!tx.answered) this.cancelBranches(tx, msg.get('Reason'));
  }

  private cancelBranches(tx: InviteTransaction, reason?: string): void {
    for (const [branch, b] of tx.branches) {
      if (b.final !== null) continue;
      this.send(b.conn, this.hopRequest('CANCEL', tx.request, b.ruri, branch, tx.request.get('To')!, reason ? [['Reason', reason]] : []));
    }
  }

  /** CANCEL and the ACK of a failure: hop-by-hop requests of a branch (RFC 3261 §9.1, §17.1.1.3). */
  private hopRequest(method: 'CANCEL' | 'ACK', invite: SipMessage, ruri: string, branch: string, to: string, extra: Array<[string, string]> = []): string {
    const lines = [
      `${method} ${ruri} SIP/2.0`,
      `Via: SIP/2.0/WS ${this.viaHost};branch=${branch}`,
      'Max-Forwards: 70',
      `From: ${invite.get('From')}`,
      `To: ${to}`,
      `Call-ID: ${invite.callId}`,
      `CSeq: ${invite.cseq} ${method}`,
      ...extra.map(([n, v]) => `${n}: ${v}`),
      'Content-Length: 0',
    ];
    return `${lines.join('\r\n')}\r\n\r\n`;
  }

  private inviteTimeout(tx: InviteTransaction): void {
    if (tx.done) return;
    this.cancelBranches(tx);
    this.finishInvite(tx, null, 408, 'Request Timeout');
  }

  // ── in-dialog requests ─────────────────────────────────────────────────────

  /**
   * In-dialog requests follow our Record-Route, whose `vwd` parameter names
   * the dialog's two connections under a MAC: the target is the other one.
   */
  private routeInDialog(conn: Connection, msg: SipMessage): void {
    const route = msg.get('Route');
    const ends = route ? this.dialogEnds(route) : null;
    if (!ends || !ends.includes(conn.id)) return this.reply(conn, msg, 481, 'Call/Transaction Does Not Exist');
    msg.shift('Route');
    const target = this.connectionsById.get(ends[0] === conn.id ? ends[1] : ends[0]);
    if (!target) return this.reply(conn, msg, 480, 'Temporarily Unavailable');
    this.forward(conn, target, msg);
  }

  /** Our Record-Route for a dialog between two connections. */
  private recordRoute(a: Connection, b: Connection): string {
    const ends = `${a.id}-${b.id}`;
    return `<sip:${this.viaHost};transport=ws;lr;vwd=${ends}-${this.routeMac(ends)}>`;
  }

  private routeMac(ends: string): string {
    return createHmac('sha256', this.routeKey).update(ends).digest('base64url').slice(0, 16);
  }

  /** The two connection ids of a Route entry that is ours and unforged, or null. */
  private dialogEnds(route: string): [number, number] | null {
    const first = parseNameAddr(route.split(',')[0].trim());
    if (!first) return null;
    const host = first.uri.host.includes(':') ? `[${first.uri.host}]` : first.uri.host;
    if (`${host}:${first.uri.port ?? ''}` !== this.viaHost) return null;
    const m = /^(\d+)-(\d+)-([A-Za-z0-9_-]{16})$/.exec(String(first.uri.getParam('vwd') ?? ''));
    if (!m) return null;
    const expected = Buffer.from(this.routeMac(`${m[1]}-${m[2]}`));
    const given = Buffer.from(m[3]);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return [Number(m[1]), Number(m[2])];
  }

  /** Forwards a request; a response to it comes back to `from`. */
  private forward(from: Connection, to: Connection, msg: SipMessage, ruri?: string): void {
    const branch = this.addVia(msg);
    if (ruri) msg.setRequestUri(ruri);
    if (msg.method !== 'ACK') {
      const timer = setTimeout(() => this.plain.delete(branch), TRANSACTION_TIMEOUT_MS);
      timer.unref?.();
      this.plain.set(branch, { upstream: from, downstream: to, timer });
    }
    this.send(to, msg.toString());
  }

  private addVia(msg: SipMessage): string {
    const branch = newBranch();
    msg.prepend('Via', `SIP/2.0/WS ${this.viaHost};branch=${branch}`);
    return branch;
  }

  // ── responses ──────────────────────────────────────────────────────────────

  private onResponse(conn: Connection, msg: SipMessage): void {
    const branch = msg.branch;
    if (!branch) return;
    const tx = this.inviteBranches.get(branch);
    if (tx && msg.method === 'INVITE') {
      // Only the phone the branch went to may answer it.
      if (tx.branches.get(branch)!.conn !== conn) return;
      return this.onBranchResponse(tx, branch, msg);
    }
    if (msg.method === 'CANCEL') return; // our own CANCELs' 200s
    const plain = this.plain.get(branch);
    if (!plain || plain.downstream !== conn) return;
    if (msg.status >= 200) {
      clearTimeout(plain.timer);
      this.plain.delete(branch);
    }
    msg.shift('Via');
    this.send(plain.upstream, msg.toString());
  }

  private onBranchResponse(tx: InviteTransaction, branch: string, msg: SipMessage): void {
    const b = tx.branches.get(branch)!;
    if (msg.status < 200) {
      if (msg.status === 100 || tx.done) return;
      msg.shift('Via');
      this.send(tx.upstream, msg.toString());
      return;
    }
    if (msg.status < 300) {
      // Every 2xx goes upstream (RFC 3261 §16.7); the caller ACKs it end to end.
      b.final = msg.status;
      const first = !tx.answered;
      tx.answered = true;
      msg.shift('Via');
      this.send(tx.upstream, msg.toString());
      if (first) {
        this.cancelBranches(tx, 'SIP;cause=200;text="Call completed elsewhere"');
        this.finishInvite(tx, null);
      }
      return;
    }
    // A failure on one branch: ACK it here (hop by hop) and wait for the others.
    if (b.final !== null) return;
    this.send(b.conn, this.hopRequest('ACK', tx.request, b.ruri, branch, msg.get('To')!));
    if (msg.status >= 600) {
      // A global failure (decline) ends the search (RFC 3261 §16.7): stop the other phones.
      b.final = msg.status;
      this.cancelBranches(tx);
      return this.finishInvite(tx, msg);
    }
    this.branchFinal(tx, branch, msg.status, msg);
  }

  private branchFinal(tx: InviteTransaction, branch: string, status: number, msg: SipMessage | null): void {
    const b = tx.branches.get(branch)!;
    b.final = status;
    if (msg && (!tx.best || rank(msg.status) < rank(tx.best.status))) tx.best = msg;
    if ([...tx.branches.values()].every((x) => x.final !== null) && !tx.answered) {
      this.finishInvite(tx, tx.best, 480, 'Temporarily Unavailable');
    }
  }

  /** Sends the final response upstream (or a made-up one) and forgets the transaction. */
  private finishInvite(tx: InviteTransaction, response: SipMessage | null, status?: number, reason?: string): void {
    if (tx.done) return;
    tx.done = true;
    clearTimeout(tx.timer);
    if (!tx.answered) {
      if (response) {
        response.shift('Via');
        this.send(tx.upstream, response.toString());
      } else if (status) {
        this.send(tx.upstream, tx.request.response(status, reason ?? '', [], randomTag()));
      }
    }
    // Keep the branch map a little for late 2xx retransmissions and 487s, then forget.
    const forget = setTimeout(() => {
      this.invites.delete(tx.key);
      for (const branch of tx.branches.keys()) this.inviteBranches.delete(branch);
    }, TRANSACTION_TIMEOUT_MS);
    forget.unref?.();
  }


  // ── housekeeping ───────────────────────────────────────────────────────────

  /** Drops expired registrations, and everything of connections whose token lapsed. */
  private sweep(): void {
    const now = Date.now();
    for (const [user, map] of this.bindings) {
      for (const [key, b] of map) if (b.expiresAt <= now || (b.conn.claims && b.conn.claims.exp * 1000 <= now)) map.delete(key);
      if (map.size === 0) this.bindings.delete(user);
    }
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}

/** The URI to send a request to a binding with: its Contact. */
function bindingUri(binding: Binding): string {
  const addr = parseNameAddr(binding.contact);
  return addr ? addr.uri.toString() : binding.contact.replace(/^<|>.*$/g, '');
}

/** Which final response wins when every branch failed (RFC 3261 §16.7): 6xx, then busy, then the lowest. */
function rank(status: number): number {
  if (status >= 600) return 0;
  if (status === 486) return 1;
  return status;
}

function newBranch(): string {
  return `z9hG4bK${randomBytes(9).toString('base64url')}`;
}

function randomTag(): string {
  return randomBytes(6).toString('hex');
}
