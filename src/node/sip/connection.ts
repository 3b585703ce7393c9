import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { TokenClaims } from '../../shared/token-claims.js';
import type { SipMessage } from './message.js';

/** One client's WebSocket, and what its REGISTER proved. */
export interface Connection {
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
  /**
   * The client's flow (RFC 5626): its user, `+sip.instance` and `reg-id`, set by a REGISTER
   * that has them. A newer connection of the same flow takes over this one's dialogs.
   */
  flow: string | null;
  /** Closes a connection that never registers. */
  idleTimer: ReturnType<typeof setTimeout> | null;
}

/** What the registrar, the INVITE forker and the dialog router need of the server (sip-server.ts). */
export interface Wire {
  /** `host:port` as this proxy names itself in Via and Record-Route. */
  readonly viaHost: string;
  /** Whether a connection is still open (not dropped). */
  isOpen(conn: Connection): boolean;
  send(conn: Connection, text: string): void;
  /** One text message in two WebSocket frames, so `rest` can be the same buffer for every receiver. */
  sendShared(conn: Connection, head: string, rest: Buffer): void;
  reply(conn: Connection, msg: SipMessage, status: number, reason: string, extra?: Array<[string, string]>): void;
  log(line: string): void;
}

/** How long a forwarded request's transaction is remembered (64·T1, RFC 3261 §17.1.2.2). */
export const TRANSACTION_TIMEOUT_MS = 32_000;

export function newBranch(): string {
  return `z9hG4bK${randomBytes(9).toString('base64url')}`;
}

export function randomTag(): string {
  return randomBytes(6).toString('hex');
}
