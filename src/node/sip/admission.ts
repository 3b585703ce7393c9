import type { IncomingMessage } from 'node:http';
import type { SipServerLimits } from './limits.js';
import type { OriginCheck } from './origin-policy.js';

/** Why a WebSocket handshake is refused: the HTTP status and reason sent instead of the upgrade. */
export interface Refusal {
  status: number;
  reason: string;
}

/**
 * Who may open a connection: a page from an allowed origin, while the server
 * has room, and while the client's address holds fewer connections that have
 * not registered than the cap. Registered connections proved a token, so
 * they are not counted against their address.
 */
export class Admission {
  private open = 0;
  /** address → connections from it that have not registered yet */
  private readonly unregistered = new Map<string, number>();

  constructor(
    private readonly limits: SipServerLimits,
    private readonly originAllowed: OriginCheck,
  ) {}

  refusal(origin: string | undefined, address: string): Refusal | null {
    if (!this.originAllowed(origin)) return { status: 403, reason: 'Origin Not Allowed' };
    if (this.open >= this.limits.maxConnections) return { status: 503, reason: 'Too Many Connections' };
    if ((this.unregistered.get(address) ?? 0) >= this.limits.maxUnregisteredPerAddress) {
      return { status: 429, reason: 'Too Many Unregistered Connections From This Address' };
    }
    return null;
  }

  /** Connections that have not registered, by address. */
  unregisteredByAddress(): Record<string, number> {
    return Object.fromEntries(this.unregistered);
  }

  opened(address: string): void {
    this.open++;
    this.unregistered.set(address, (this.unregistered.get(address) ?? 0) + 1);
  }

  /** The connection's first successful REGISTER: it no longer counts against its address. */
  registered(address: string): void {
    this.release(address);
  }

  closed(address: string, wasRegistered: boolean): void {
    this.open--;
    if (!wasRegistered) this.release(address);
  }

  private release(address: string): void {
    const left = (this.unregistered.get(address) ?? 1) - 1;
    if (left > 0) this.unregistered.set(address, left);
    else this.unregistered.delete(address);
  }
}

/** The peer's IP address, IPv4-mapped IPv6 written as IPv4. */
export function clientAddress(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.)/, '');
}
