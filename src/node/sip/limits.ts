/**
 * The embedded SIP server's limits: what one client (a token holder or a
 * stranger) may cost the server. The options table of docs/production.md is this one.
 */
export interface SipServerLimits {
  /** Largest SIP message (one WebSocket message), in bytes; a larger one closes the connection (1009) unparsed. */
  maxMessageBytes: number;
  /** Registrations (bindings) one user may hold at once; one more is refused `403`. */
  maxBindingsPerUser: number;
  /** Registrations made with one token at once; one more is refused `403`. */
  maxBindingsPerToken: number;
  /** Bindings one INVITE rings at most (the newest ones). */
  maxForks: number;
  /** Open WebSocket connections in all. */
  maxConnections: number;
  /** Connections from one IP address that have not registered yet. */
  maxUnregisteredPerAddress: number;
  /** How long a connection may stay open without registering, in ms. */
  registerWithinMs: number;
}

export const DEFAULT_LIMITS: Readonly<SipServerLimits> = Object.freeze({
  maxMessageBytes: 64 * 1024,
  maxBindingsPerUser: 10,
  maxBindingsPerToken: 10,
  maxForks: 10,
  maxConnections: 1000,
  maxUnregisteredPerAddress: 20,
  registerWithinMs: 5000,
});

/** The defaults with the given overrides; each must be a positive whole number. */
export function resolveLimits(given: Partial<SipServerLimits> = {}): SipServerLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const name of Object.keys(DEFAULT_LIMITS) as Array<keyof SipServerLimits>) {
    const value = given[name];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`SipServer: ${name} must be a positive whole number, not ${String(value)}`);
    limits[name] = value;
  }
  return limits;
}

/**
 * A connection that does not read what it is sent is closed once this much
 * waits for it, so a client cannot make the server hold its messages.
 */
export function backlogLimit(limits: SipServerLimits): number {
  return 16 * limits.maxMessageBytes;
}
