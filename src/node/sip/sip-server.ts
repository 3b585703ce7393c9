import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { originAllowed, type TokenClaims } from '../../shared/token-claims.js';
import { TokenVerificationError, verifyToken } from '../token.js';
import type { TokenCheck } from '../token-service/index.js';
import { DigestAuth } from './digest.js';
import { SipMessage, contactKey, parseNameAddr } from './message.js';

/** The header that carries the widget token on every REGISTER. */
export const TOKEN_HEADER = 'X-Voice-Widget-Token';

/** WebSocket close code sent to a connection whose token was revoked. */
export const CLOSE_REVOKED = 4001;

export interface SipServerOptions {
  /** The signing secret: verifies tokens and derives digest passwords. */
  secret: string;
  /** The SIP domain served; requests for other domains get 404. */
  domain: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Token verification, e.g. the token service's (which knows revocations). */
  checkToken?: (token: string) => TokenCheck;
  log?: (line: string) => void;
}

interface Connection {
  id: number;
  ws: WebSocket;
  origin: string | null;
  /** Set by a successful REGISTER: the token this connection speaks for. */
  claims: TokenClaims | null;
}

interface Binding {
  conn: Connection;
  contact: string;
  expiresAt: number;
}

/** A forwarded INVITE waiting for its final response (the proxy forks to every binding). */
interface InviteTransaction {
  key: string;
  upstream: Connection;
  request: SipMessage;
  branches: Map<string, { conn: Connection; request: SipMessage; final: number | null }>;
  answered: boolean;
  best: SipMessage | null;
  done: boolean;
  timer: ReturnType<typeof setTimeout>;
}

/** Where a response to a forwarded non-INVITE request goes. */
interface PlainTransaction {
  upstream: Connection;
  timer: ReturnType<typeof setTimeout>;
}

const INVITE_TIMEOUT_MS = 180_000;
const TRANSACTION_TIMEOUT_MS = 32_000;
const DEFAULT_EXPIRES = 600;
const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * A small SIP-over-WebSocket (RFC 7118) registrar and proxy for development
 * and single-machine use: browser-to-browser calls with no other software.
 *
 * - REGISTER: the widget token (header `X-Voice-Widget-Token`) is verified,
 *   the page's Origin is checked against the token's allowed domains, then
 *   the digest credential (auth_ephemeral's rule) is challenged and checked.
 * - INVITE and CANCEL: forked to every registered connection of the user.
 * - In-dialog requests: routed by Record-Route and the remote target.
 *
 * Kamailio remains the production engine; this server keeps no state on disk.
 */
export class SipServer {
  private readonly wss: WebSocketServer;
  private readonly auth: DigestAuth;
  private readonly connections = new Set<Connection>();
  /** user → contact key → binding */
  private readonly bindings = new Map<string, Map<string, Binding>>();
  /** Contact `user@host` → the connection that announced it, for in-dialog routing. */
  private readonly contactIndex = new Map<string, Connection>();
  private readonly invites = new Map<string, InviteTransaction>();
  /** our branch → the INVITE transaction it belongs to */
  private readonly inviteBranches = new Map<string, InviteTransaction>();
  private readonly plain = new Map<string, PlainTransaction>();
  private readonly sweeper: ReturnType<typeof setInterval>;
  private nextId = 1;
  private viaHost = '';
  private recordRoute = '';

  private constructor(
    private readonly options: SipServerOptions,
    wss: WebSocketServer,
  ) {
    this.wss = wss;
    this.auth = new DigestAuth(options.secret, options.domain);
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref?.();
  }

  static async start(options: SipServerOptions): Promise<SipServer> {
    const wss = new WebSocketServer({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      maxPayload: MAX_MESSAGE_BYTES,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
    });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    const server = new SipServer(options, wss);
    const { address, port } = wss.address() as AddressInfo;
    server.viaHost = `${address}:${port}`;
    server.recordRoute = `<sip:${address}:${port};transport=ws;lr>`;
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

  /** Closes every connection speaking for token `jti` (it was revoked). */
  disconnectToken(jti: string): void {
    for (const conn of this.connections) {
      if (conn.claims?.jti === jti) {
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
    const conn: Connection = { id: this.nextId++, ws, origin: req.headers.origin ?? null, claims: null };
    this.connections.add(conn);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      this.receive(conn, data.toString());
    });
    ws.on('close', () => this.dropConnection(conn));
    ws.on('error', () => this.dropConnection(conn));
  }

  private dropConnection(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    for (const [user, map] of this.bindings) {
      for (const [key, binding] of map) if (binding.conn === conn) map.delete(key);
      if (map.size === 0) this.bindings.delete(user);
    }
    for (const [key, c] of this.contactIndex) if (c === conn) this.contactIndex.delete(key);
    // Branches that can no longer answer count as unavailable.
    for (const tx of this.invites.values()) {
      for (const [branch, b] of tx.branches) if (b.conn === conn && b.final === null) this.branchFinal(tx, branch, 480, null);
    }
  }

  private send(conn: Connection, text: string): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(text);
  }

  // ── dispatch ───────────────────────────────────────────────────────────────

  private receive(conn: Connection, data: string): void {
    if (/^\s*$/.test(data)) return; // keep-alive CRLF
    const msg = SipMessage.parse(data);
    if (!msg) {
      this.log(`conn ${conn.id}: unparseable message dropped`);
      return;
    }
    this.learnContacts(conn, msg);
    if (!msg.isRequest) return this.onResponse(msg);
    const maxForwards = Number(msg.get('Max-Forwards') ?? 70);
    if (maxForwards <= 0) return this.reply(conn, msg, 483, 'Too Many Hops');
    msg.set('Max-Forwards', String(Math.min(maxForwards, 70) - 1));

    switch (true) {
      case msg.method === 'REGISTER':
        return this.onRegister(conn, msg);
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

  private onRegister(conn: Connection, msg: SipMessage): void {
    const user = msg.to.uri.user ?? '';
    const token = msg.get(TOKEN_HEADER);
    if (!token) return this.reply(conn, msg, 403, 'Token Required');
    const check = this.checkToken(token.trim());
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

    conn.claims = claims;
    const defaultExpires = Number(msg.get('Expires') ?? DEFAULT_EXPIRES);
    const map = this.bindings.get(user) ?? new Map<string, Binding>();
    const accepted: string[] = [];
    for (const { raw, addr } of msg.contacts()) {
      const key = contactKey(addr.uri);
      const requested = Number(addr.getParam('expires') ?? defaultExpires);
      // A registration never outlives its token.
      const expires = Math.max(0, Math.min(Number.isFinite(requested) ? requested : DEFAULT_EXPIRES, 3600, claims.exp - Math.floor(Date.now() / 1000)));
      if (expires === 0) {
        map.delete(key);
        continue;
      }
      map.set(key, { conn, contact: raw, expiresAt: Date.now() + expires * 1000 });
      this.contactIndex.set(key, conn);
      accepted.push(`${raw.replace(/;expires=\d+/i, '')};expires=${expires}`);
    }
    if (map.size > 0) this.bindings.set(user, map);
    else this.bindings.delete(user);
    this.log(`conn ${conn.id}: REGISTER ${user} → 200 (${map.size} binding${map.size === 1 ? '' : 's'})`);
    this.reply(conn, msg, 200, 'OK', accepted.map((c) => ['Contact', c] as [string, string]));
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
    if (!ruri.user) {
      // Addressed to the proxy itself (keep-alive OPTIONS and the like).
      return this.reply(conn, msg, msg.method === 'OPTIONS' ? 200 : 405, msg.method === 'OPTIONS' ? 'OK' : 'Method Not Allowed');
    }
    if (!conn.claims) return this.reply(conn, msg, 403, 'Register First');
    if (msg.from.uri.user !== conn.claims.sub) return this.reply(conn, msg, 403, 'Forbidden (From Mismatch)');
    if (ruri.host.toLowerCase() !== this.options.domain.toLowerCase()) return this.reply(conn, msg, 404, 'Not Found');
    const targets = [...(this.bindings.get(ruri.user)?.values() ?? [])].filter((b) => b.expiresAt > Date.now());
    if (targets.length === 0) return this.reply(conn, msg, 480, 'Temporarily Unavailable');

    if (msg.method === 'INVITE') return this.forkInvite(conn, msg, targets);
    // Other out-of-dialog requests (MESSAGE, SUBSCRIBE, REFER…) go to the newest binding.
    const newest = targets.reduce((a, b) => (b.expiresAt > a.expiresAt ? b : a));
    if (msg.method === 'SUBSCRIBE' || msg.method === 'REFER') msg.prepend('Record-Route', this.recordRoute);
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
    for (const target of targets) {
      const copy = SipMessage.parse(msg.toString())!;
      copy.prepend('Record-Route', this.recordRoute);
      const branch = this.addVia(copy);
      copy.setRequestUri(bindingUri(target));
      tx.branches.set(branch, { conn: target.conn, request: copy, final: null });
      this.inviteBranches.set(branch, tx);
      this.send(target.conn, copy.toString());
    }
    this.log(`conn ${conn.id}: INVITE ${msg.from.uri.user} → ${msg.ruri!.user} (${targets.length} branch${targets.length === 1 ? '' : 'es'})`);
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
      const cancel = [
        `CANCEL ${b.request.ruri!.toString()} SIP/2.0`,
        `Via: SIP/2.0/WS ${this.viaHost};branch=${branch}`,
        'Max-Forwards: 70',
        `From: ${b.request.get('From')}`,
        `To: ${b.request.get('To')}`,
        `Call-ID: ${b.request.callId}`,
        `CSeq: ${b.request.cseq} CANCEL`,
        ...(reason ? [`Reason: ${reason}`] : []),
        'Content-Length: 0',
      ];
      this.send(b.conn, `${cancel.join('\r\n')}\r\n\r\n`);
    }
  }

  private inviteTimeout(tx: InviteTransaction): void {
    if (tx.done) return;
    this.cancelBranches(tx);
    this.finishInvite(tx, null, 408, 'Request Timeout');
  }

  // ── in-dialog requests ─────────────────────────────────────────────────────

  private routeInDialog(conn: Connection, msg: SipMessage): void {
    const route = msg.get('Route');
    if (route && this.isOurRoute(route)) msg.shift('Route');
    const target = msg.ruri ? this.contactIndex.get(contactKey(msg.ruri)) : undefined;
    if (!target || !this.connections.has(target)) {
      return this.reply(conn, msg, 481, 'Call/Transaction Does Not Exist');
    }
    this.forward(conn, target, msg);
  }

  private isOurRoute(route: string): boolean {
    const first = parseNameAddr(route.split(',')[0].trim());
    return first !== null && `${first.uri.host}:${first.uri.port ?? ''}` === this.viaHost;
  }

  /** Forwards a request; a response to it comes back to `from`. */
  private forward(from: Connection, to: Connection, msg: SipMessage, ruri?: string): void {
    const branch = this.addVia(msg);
    if (ruri) msg.setRequestUri(ruri);
    if (msg.method !== 'ACK') {
      const timer = setTimeout(() => this.plain.delete(branch), TRANSACTION_TIMEOUT_MS);
      timer.unref?.();
      this.plain.set(branch, { upstream: from, timer });
    }
    this.send(to, msg.toString());
  }

  private addVia(msg: SipMessage): string {
    const branch = `z9hG4bK${randomBytes(9).toString('base64url')}`;
    msg.prepend('Via', `SIP/2.0/WS ${this.viaHost};branch=${branch}`);
    return branch;
  }

  // ── responses ──────────────────────────────────────────────────────────────

  private onResponse(msg: SipMessage): void {
    const branch = msg.branch;
    if (!branch) return;
    const tx = this.inviteBranches.get(branch);
    if (tx && msg.method === 'INVITE') return this.onBranchResponse(tx, branch, msg);
    if (msg.method === 'CANCEL') return; // our own CANCELs' 200s
    const plain = this.plain.get(branch);
    if (!plain) return;
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
    this.sendAck(b.conn, b.request, branch, msg);
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

  private sendAck(conn: Connection, request: SipMessage, branch: string, response: SipMessage): void {
    const ack = [
      `ACK ${request.ruri!.toString()} SIP/2.0`,
      `Via: SIP/2.0/WS ${this.viaHost};branch=${branch}`,
      'Max-Forwards: 70',
      `From: ${request.get('From')}`,
      `To: ${response.get('To')}`,
      `Call-ID: ${request.callId}`,
      `CSeq: ${request.cseq} ACK`,
      'Content-Length: 0',
    ];
    this.send(conn, `${ack.join('\r\n')}\r\n\r\n`);
  }

  // ── housekeeping ───────────────────────────────────────────────────────────

  /** Contacts seen in messages from a connection route in-dialog requests back to it. */
  private learnContacts(conn: Connection, msg: SipMessage): void {
    if (!conn.claims) return; // only connections that proved who they are
    for (const { addr } of msg.contacts()) this.contactIndex.set(contactKey(addr.uri), conn);
  }

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

function randomTag(): string {
  return randomBytes(6).toString('hex');
}
