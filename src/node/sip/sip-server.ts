import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE_REVOKED, WIDGET_TOKEN_HEADER } from '../../shared/protocol.js';
import type { TokenCheck } from '../token-service/index.js';
import { Admission, clientAddress } from './admission.js';
import { isAutoAnswerSource, stripAutoAnswerHints } from './auto-answer.js';
import { randomTag, type Connection, type Wire } from './connection.js';
import { DialogRouter } from './dialog-routing.js';
import { InviteForker } from './invite-fork.js';
import { backlogLimit, resolveLimits, type SipServerLimits } from './limits.js';
import { SipMessage, parseNameAddr } from './message.js';
import { DEFAULT_ALLOWED_ORIGINS, originCheck } from './origin-policy.js';
import { bindingUri, Registrar } from './registrar.js';

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
  /**
   * Client addresses of the deployment's own call originators (a CRM's click-to-dial service, a PBX):
   * their INVITEs keep `Call-Info: …;answer-after=N` and `Alert-Info` auto-answer hints. Everyone else's
   * are removed, so no user can make another's phone answer by itself. Default: none.
   */
  autoAnswerSources?: readonly string[];
  log?: (line: string) => void;
}

/**
 * A small SIP-over-WebSocket (RFC 7118) registrar and proxy for development
 * and single-machine use: browser-to-browser calls with no other software.
 *
 * - REGISTER (registrar.ts): the widget token (header `X-Voice-Widget-Token`) is verified,
 *   the page's Origin is checked against the token's allowed domains, then
 *   the digest credential (auth_ephemeral's rule) is challenged and checked.
 * - INVITE and CANCEL (invite-fork.ts): forked to the user's registered connections (the newest, at most maxForks).
 * - Limits (limits.ts, admission.ts): one Contact per REGISTER, bindings per user and per
 *   token, message size, allowed page origins, and connections that have not registered.
 * - In-dialog requests (dialog-routing.ts): routed by this proxy's Record-Route, which names the
 *   dialog's two connections under a MAC, so no client can steer another's
 *   dialog. Every request but REGISTER needs a registered connection whose
 *   token is still valid and unrevoked; the caller's identity is asserted
 *   (P-Asserted-Identity) from its token.
 *
 * Kamailio remains the production engine; this server keeps no state on disk.
 * This class is the facade: connections, dispatch, and the checks every new
 * request passes (who may call, the asserted identity).
 */
export class SipServer {
  private readonly wss: WebSocketServer;
  private readonly limits: SipServerLimits;
  private readonly admission: Admission;
  private readonly registrar: Registrar;
  private readonly router: DialogRouter;
  private readonly forker: InviteForker;
  private readonly connections = new Set<Connection>();
  private readonly connectionsById = new Map<number, Connection>();
  private readonly sweeper: ReturnType<typeof setInterval>;
  private nextId = 1;
  /** `host:port` as this proxy names itself in Via and Record-Route. */
  private readonly viaHost: string;

  private constructor(
    private readonly options: SipServerOptions,
    wss: WebSocketServer,
    limits: SipServerLimits,
    admission: Admission,
  ) {
    this.wss = wss;
    this.limits = limits;
    this.admission = admission;
    const { address, port } = wss.address() as AddressInfo;
    this.viaHost = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
    const wire = this.wire();
    this.router = new DialogRouter(wire, (id) => this.connectionsById.get(id));
    this.registrar = new Registrar(options, limits, admission, wire, (conn) => this.router.flowBound(conn));
    this.forker = new InviteForker(wire, limits.maxForks, (a, b) => this.router.recordRoute(a, b));
    this.sweeper = setInterval(() => this.registrar.sweep(), 1000);
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
    wss.on('connection', (ws, req) => server.accept(ws, req));
    return server;
  }

  /** `ws://host:port` for the widget's `sip-server`. */
  get url(): string {
    return `ws://${this.viaHost}`;
  }

  /** Registered users and how many connections each has. */
  registrations(): Record<string, number> {
    return this.registrar.registrations();
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
    this.forker.stop();
    this.router.stop();
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
      flow: null,
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
    this.registrar.dropConnection(conn);
    this.forker.dropConnection(conn);
    this.router.dropConnection(conn);
  }

  /** What the registrar, the forker and the router may do with connections. */
  private wire(): Wire {
    return {
      viaHost: this.viaHost,
      isOpen: (conn) => this.connections.has(conn),
      send: (conn, text) => this.send(conn, text),
      sendShared: (conn, head, rest) => this.sendShared(conn, head, rest),
      reply: (conn, msg, status, reason, extra) => this.reply(conn, msg, status, reason, extra),
      log: (line) => this.log(line),
    };
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

    if (msg.method === 'REGISTER') return this.registrar.register(conn, msg);
    if (!msg.ruri?.user && msg.toTag === undefined && msg.method === 'OPTIONS') return this.reply(conn, msg, 200, 'OK'); // keep-alive to the proxy
    // Everything else comes from a connection that registered.
    if (!conn.claims) return this.reply(conn, msg, 403, 'Register First');
    switch (true) {
      case msg.method === 'CANCEL':
        return this.forker.onCancel(conn, msg);
      case msg.toTag !== undefined:
        return this.router.routeInDialog(conn, msg);
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

  // ── new requests ───────────────────────────────────────────────────────────

  private onNewRequest(conn: Connection, msg: SipMessage): void {
    const ruri = msg.ruri!;
    if (!ruri.user) return this.reply(conn, msg, 405, 'Method Not Allowed');
    // A new call or message needs a token that still holds; hanging up (in dialog) never does.
    if (!this.registrar.stillAuthorized(conn)) return this.reply(conn, msg, 403, 'Credentials Expired');
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
    // Nobody but the callee (or the server, for its own originators) decides to answer.
    if (!isAutoAnswerSource(this.options.autoAnswerSources, conn.address)) stripAutoAnswerHints(msg);
    if (ruri.host.toLowerCase() !== this.options.domain.toLowerCase()) return this.reply(conn, msg, 404, 'Not Found');
    const targets = this.registrar.targets(ruri.user);
    if (targets.length === 0) return this.reply(conn, msg, 480, 'Temporarily Unavailable');

    if (msg.method === 'INVITE') return this.forker.fork(conn, msg, targets);
    // Other out-of-dialog requests (MESSAGE, SUBSCRIBE, REFER…) go to the newest binding.
    const newest = targets.reduce((a, b) => (b.expiresAt > a.expiresAt ? b : a));
    if (msg.method === 'SUBSCRIBE' || msg.method === 'REFER') msg.prepend('Record-Route', this.router.recordRoute(conn, newest.conn));
    this.router.forward(conn, newest.conn, msg, bindingUri(newest));
  }

  // ── responses ──────────────────────────────────────────────────────────────

  private onResponse(conn: Connection, msg: SipMessage): void {
    const branch = msg.branch;
    if (!branch) return;
    if (this.forker.onResponse(conn, branch, msg)) return;
    if (msg.method === 'CANCEL') return; // our own CANCELs' 200s
    this.router.onResponse(conn, branch, msg);
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}
