import { randomTag, newBranch, TRANSACTION_TIMEOUT_MS, type Connection, type Wire } from './connection.js';
import type { SipMessage } from './message.js';
import { bindingUri, type Binding } from './registrar.js';

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

const INVITE_TIMEOUT_MS = 180_000;

/**
 * INVITE and CANCEL: an INVITE rings the callee's newest bindings (at most
 * maxForks); the first 2xx wins and the other phones are cancelled; when
 * every branch fails the best failure goes upstream (RFC 3261 §16.7).
 */
export class InviteForker {
  private readonly invites = new Map<string, InviteTransaction>();
  /** our branch → the INVITE transaction it belongs to */
  private readonly inviteBranches = new Map<string, InviteTransaction>();

  constructor(
    private readonly wire: Wire,
    private readonly maxForks: number,
    private readonly recordRoute: (a: Connection, b: Connection) => string,
  ) {}

  fork(conn: Connection, msg: SipMessage, targets: Binding[]): void {
    const key = `${msg.branch}|${msg.callId}`;
    if (this.invites.has(key)) return; // retransmission: our 100 Trying already answered it
    this.wire.send(conn, msg.response(100, 'Trying'));
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
    const ringing = [...targets].sort((a, b) => b.expiresAt - a.expiresAt).slice(0, this.maxForks);
    // Branches differ only in the request line, our Via and our Record-Route (each the first of its
    // name, so they may lead): every branch is sent a small head of its own and one shared copy of the rest.
    const full = msg.toString();
    const rest = Buffer.from(full.slice(full.indexOf('\r\n') + 2));
    for (const target of ringing) {
      const ruri = bindingUri(target);
      const branch = newBranch();
      tx.branches.set(branch, { conn: target.conn, ruri, final: null });
      this.inviteBranches.set(branch, tx);
      const head = `INVITE ${ruri} SIP/2.0\r\nVia: SIP/2.0/WS ${this.wire.viaHost};branch=${branch}\r\nRecord-Route: ${this.recordRoute(conn, target.conn)}\r\n`;
      this.wire.sendShared(target.conn, head, rest);
    }
    this.wire.log(`conn ${conn.id}: INVITE ${msg.from.uri.user} → ${msg.ruri!.user} (${ringing.length} branch${ringing.length === 1 ? '' : 'es'})`);
  }

  onCancel(conn: Connection, msg: SipMessage): void {
    const tx = this.invites.get(`${msg.branch}|${msg.callId}`);
    if (!tx || tx.upstream !== conn) return this.wire.reply(conn, msg, 481, 'Call/Transaction Does Not Exist');
    this.wire.reply(conn, msg, 200, 'OK');
    if (!tx.answered) this.cancelBranches(tx, msg.get('Reason'));
  }

  /** A response to one of our INVITE branches; false when `branch` is not one (another kind of transaction). */
  onResponse(conn: Connection, branch: string, msg: SipMessage): boolean {
    const tx = this.inviteBranches.get(branch);
    if (!tx || msg.method !== 'INVITE') return false;
    // Only the phone the branch went to may answer it.
    if (tx.branches.get(branch)!.conn === conn) this.onBranchResponse(tx, branch, msg);
    return true;
  }

  /** A connection closed: the calls it made stop ringing, and its own branches count as unavailable. */
  dropConnection(conn: Connection): void {
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

  stop(): void {
    for (const tx of this.invites.values()) clearTimeout(tx.timer);
  }

  private cancelBranches(tx: InviteTransaction, reason?: string): void {
    for (const [branch, b] of tx.branches) {
      if (b.final !== null) continue;
      this.wire.send(b.conn, this.hopRequest('CANCEL', tx.request, b.ruri, branch, tx.request.get('To')!, reason ? [['Reason', reason]] : []));
    }
  }

  /** CANCEL and the ACK of a failure: hop-by-hop requests of a branch (RFC 3261 §9.1, §17.1.1.3). */
  private hopRequest(method: 'CANCEL' | 'ACK', invite: SipMessage, ruri: string, branch: string, to: string, extra: Array<[string, string]> = []): string {
    const lines = [
      `${method} ${ruri} SIP/2.0`,
      `Via: SIP/2.0/WS ${this.wire.viaHost};branch=${branch}`,
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

  private onBranchResponse(tx: InviteTransaction, branch: string, msg: SipMessage): void {
    const b = tx.branches.get(branch)!;
    if (msg.status < 200) {
      if (msg.status === 100 || tx.done) return;
      msg.shift('Via');
      this.wire.send(tx.upstream, msg.toString());
      return;
    }
    if (msg.status < 300) {
      // Every 2xx goes upstream (RFC 3261 §16.7); the caller ACKs it end to end.
      b.final = msg.status;
      const first = !tx.answered;
      tx.answered = true;
      msg.shift('Via');
      this.wire.send(tx.upstream, msg.toString());
      if (first) {
        this.cancelBranches(tx, 'SIP;cause=200;text="Call completed elsewhere"');
        this.finishInvite(tx, null);
      }
      return;
    }
    // A failure on one branch: ACK it here (hop by hop) and wait for the others.
    if (b.final !== null) return;
    this.wire.send(b.conn, this.hopRequest('ACK', tx.request, b.ruri, branch, msg.get('To')!));
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
        this.wire.send(tx.upstream, response.toString());
      } else if (status) {
        this.wire.send(tx.upstream, tx.request.response(status, reason ?? '', [], randomTag()));
      }
    }
    // Keep the branch map a little for late 2xx retransmissions and 487s, then forget.
    const forget = setTimeout(() => {
      this.invites.delete(tx.key);
      for (const branch of tx.branches.keys()) this.inviteBranches.delete(branch);
    }, TRANSACTION_TIMEOUT_MS);
    forget.unref?.();
  }
}

/** Which final response wins when every branch failed (RFC 3261 §16.7): 6xx, then busy, then the lowest. */
function rank(status: number): number {
  if (status >= 600) return 0;
  if (status === 486) return 1;
  return status;
}
