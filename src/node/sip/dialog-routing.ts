import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { newBranch, TRANSACTION_TIMEOUT_MS, type Connection, type Wire } from './connection.js';
import { parseNameAddr, type SipMessage } from './message.js';

/** How long a closed connection's flow is remembered, for its client to come back on a new one (a call's recovery window, and more). */
const FLOW_MEMORY_MS = 60_000;

/** Where a response to a forwarded non-INVITE request goes. */
interface PlainTransaction {
  upstream: Connection;
  downstream: Connection;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * In-dialog requests, and requests forwarded one hop (MESSAGE, SUBSCRIBE,
 * REFER…): routed by this proxy's Record-Route, which names the dialog's two
 * connections under a MAC, so no client can steer another's dialog; their
 * responses go back the way the request came.
 */
export class DialogRouter {
  /** Keys the MACs in Record-Route. */
  private readonly routeKey = randomBytes(32);
  private readonly plain = new Map<string, PlainTransaction>();
  /** Each flow's newest connection id, every connection it has had, and the flow of each connection. */
  private readonly newestOfFlow = new Map<string, number>();
  private readonly connectionsOfFlow = new Map<string, Set<number>>();
  private readonly flowOfConnection = new Map<number, string>();
  private readonly forgetTimers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly wire: Wire,
    private readonly connection: (id: number) => Connection | undefined,
  ) {}

  /**
   * In-dialog requests follow our Record-Route, whose `vwd` parameter names
   * the dialog's two connections under a MAC: the target is the other one.
   */
  routeInDialog(conn: Connection, msg: SipMessage): void {
    const route = msg.get('Route');
    const ends = route ? this.dialogEnds(route) : null;
    const side = ends ? ends.findIndex((id) => id === conn.id || (conn.flow !== null && this.flowOfConnection.get(id) === conn.flow)) : -1;
    if (!ends || side < 0) return this.wire.reply(conn, msg, 481, 'Call/Transaction Does Not Exist');
    msg.shift('Route');
    const target = this.current(ends[1 - side]);
    if (!target) return this.wire.reply(conn, msg, 480, 'Temporarily Unavailable');
    this.forward(conn, target, msg);
  }

  /**
   * A connection registered a flow: dialogs of that flow's earlier connections
   * now reach it (the client changed network or its socket dropped), and its
   * requests in those dialogs are accepted. Only the same user's REGISTER, with
   * the same instance and reg-id, can take a flow over.
   */
  flowBound(conn: Connection): void {
    const flow = conn.flow!;
    this.newestOfFlow.set(flow, conn.id);
    this.flowOfConnection.set(conn.id, flow);
    const ids = this.connectionsOfFlow.get(flow) ?? new Set<number>();
    this.connectionsOfFlow.set(flow, ids.add(conn.id));
  }

  /**
   * A connection closed. Its flow (and every connection it had, which dialogs
   * may still name) is forgotten once the flow has had no open connection for
   * a while; while a newer connection carries it, it is kept.
   */
  dropConnection(conn: Connection): void {
    const flow = this.flowOfConnection.get(conn.id);
    if (!flow) return;
    const timer = setTimeout(() => {
      this.forgetTimers.delete(timer);
      const newest = this.newestOfFlow.get(flow);
      if (newest !== undefined && this.connection(newest)) return;
      for (const id of this.connectionsOfFlow.get(flow) ?? []) this.flowOfConnection.delete(id);
      this.connectionsOfFlow.delete(flow);
      this.newestOfFlow.delete(flow);
    }, FLOW_MEMORY_MS);
    timer.unref?.();
    this.forgetTimers.add(timer);
  }

  /** Our Record-Route for a dialog between two connections. */
  recordRoute(a: Connection, b: Connection): string {
    const ends = `${a.id}-${b.id}`;
    return `<sip:${this.wire.viaHost};transport=ws;lr;vwd=${ends}-${this.routeMac(ends)}>`;
  }

  /** Forwards a request; a response to it comes back to `from`. */
  forward(from: Connection, to: Connection, msg: SipMessage, ruri?: string): void {
    const branch = newBranch();
    msg.prepend('Via', `SIP/2.0/WS ${this.wire.viaHost};branch=${branch}`);
    if (ruri) msg.setRequestUri(ruri);
    if (msg.method !== 'ACK') {
      const timer = setTimeout(() => this.plain.delete(branch), TRANSACTION_TIMEOUT_MS);
      timer.unref?.();
      this.plain.set(branch, { upstream: from, downstream: to, timer });
    }
    this.wire.send(to, msg.toString());
  }

  /** A response to a forwarded request, from the connection it went to: passed back upstream. */
  onResponse(conn: Connection, branch: string, msg: SipMessage): void {
    const plain = this.plain.get(branch);
    if (!plain || plain.downstream !== conn) return;
    if (msg.status >= 200) {
      clearTimeout(plain.timer);
      this.plain.delete(branch);
    }
    msg.shift('Via');
    this.wire.send(plain.upstream, msg.toString());
  }

  stop(): void {
    for (const tx of this.plain.values()) clearTimeout(tx.timer);
    for (const timer of this.forgetTimers) clearTimeout(timer);
  }

  /** A dialog end's connection now: its flow's newest one, or itself. */
  private current(id: number): Connection | undefined {
    const flow = this.flowOfConnection.get(id);
    const newest = flow === undefined ? undefined : this.newestOfFlow.get(flow);
    return (newest === undefined ? undefined : this.connection(newest)) ?? this.connection(id);
  }

  private routeMac(ends: string): string {
    return createHmac('sha256', this.routeKey).update(ends).digest('base64url').slice(0, 16);
  }

  /** The two connection ids of a Route entry that is ours and unforged, or null. */
  private dialogEnds(route: string): [number, number] | null {
    const first = parseNameAddr(route.split(',')[0].trim());
    if (!first) return null;
    const host = first.uri.host.includes(':') ? `[${first.uri.host}]` : first.uri.host;
    if (`${host}:${first.uri.port ?? ''}` !== this.wire.viaHost) return null;
    const m = /^(\d+)-(\d+)-([A-Za-z0-9_-]{16})$/.exec(String(first.uri.getParam('vwd') ?? ''));
    if (!m) return null;
    const expected = Buffer.from(this.routeMac(`${m[1]}-${m[2]}`));
    const given = Buffer.from(m[3]);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return [Number(m[1]), Number(m[2])];
  }
}
