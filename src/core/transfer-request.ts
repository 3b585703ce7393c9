import { normalizeDialString } from './dial-string.js';
import type { Party, TransferRequestedDetail } from './types.js';

/**
 * What this phone does when the far end asks it (REFER) to call someone else:
 * `ask` the user (default), `accept` at once, or `reject` at once.
 */
export type ReferPolicy = 'ask' | 'accept' | 'reject';
export const REFER_POLICIES: readonly ReferPolicy[] = ['ask', 'accept', 'reject'];

/**
 * `ask`: an unanswered request is declined after this long. A transferor
 * (ours included) gives up around 30 s; declining first tells it why.
 */
export const TRANSFER_DECISION_MS = 25_000;

/** The Refer-To URI as the REFER carried it (read from JsSIP's parser by the call). */
export interface ReferUri {
  scheme: string;
  user: string | null;
  host: string;
  port: number | null;
  /** URI parameter names (`;transport=…`, `;maddr=…`). */
  params: readonly string[];
  /** URI header names and values (`?Replaces=…`), values decoded. */
  headers: ReadonlyArray<readonly [name: string, value: string]>;
}

/** A REFER's target that passed the dial rules. */
export interface ReferTarget {
  /** The user part, as `call()` would dial it. */
  number: string;
  /** `attended` when the Refer-To carries `Replaces` (the transferor already talks to the target). */
  kind: 'blind' | 'attended';
  /** The `Replaces` value (RFC 3891) the new INVITE will carry, or null. */
  replaces: string | null;
}

/** RFC 3891: `call-id;to-tag=…;from-tag=…[;early-only]`: visible ASCII only, so nothing can be added to the INVITE. */
const REPLACES = /^[!-~]{1,256}$/;

/**
 * Applies `call()`'s dial rule to a Refer-To: `sip:user@<our domain>`, nothing
 * else: no port, no URI parameters (`;maddr=` would route elsewhere), no URI
 * header but one `Replaces` with both tags. Null when the target breaks a rule.
 */
export function referTarget(uri: ReferUri, domain: string): ReferTarget | null {
  if (uri.scheme.toLowerCase() !== 'sip' || !uri.user || uri.port !== null || uri.params.length > 0) return null;
  if (!domain || uri.host.toLowerCase() !== domain.toLowerCase()) return null;
  // The user part as the REFER wrote it must already be a dial string (nothing stripped or rewritten).
  if (normalizeDialString(uri.user, domain) !== uri.user) return null;
  let replaces: string | null = null;
  for (const [name, value] of uri.headers) {
    if (name.toLowerCase() !== 'replaces' || replaces !== null) return null;
    if (!REPLACES.test(value) || !/;\s*to-tag=/i.test(value) || !/;\s*from-tag=/i.test(value)) return null;
    replaces = value;
  }
  return { number: uri.user, kind: replaces ? 'attended' : 'blind', replaces };
}

/** A REFER waiting for the user's answer (`ask`). */
export interface PendingTransfer extends TransferRequestedDetail {
  /** Who asks: the far end of the call that sent the REFER. */
  from: Party;
}

interface Waiting {
  request: PendingTransfer;
  accept: () => void;
  decline: () => void;
  timer: unknown;
}

/** Timers, replaceable so a test can run the decision timeout on a fake clock. */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Holds at most one transfer request while the user decides, and declines it
 * when the time is up. Policy `accept` and `reject` never reach it.
 */
export class TransferRequests {
  private waiting: Waiting | null = null;

  constructor(
    /** The request shown changed (asked, answered, timed out, dropped). */
    private readonly changed: () => void,
    private readonly clock: Clock = realClock,
    private readonly timeoutMs = TRANSFER_DECISION_MS,
  ) {}

  get pending(): PendingTransfer | null {
    return this.waiting?.request ?? null;
  }

  /** Holds a request; false (nothing held) when one is already waiting. */
  ask(request: PendingTransfer, accept: () => void, decline: () => void): boolean {
    if (this.waiting) return false;
    const timer = this.clock.setTimeout(() => this.settle(false), this.timeoutMs);
    this.waiting = { request: Object.freeze({ ...request }), accept, decline, timer };
    this.changed();
    return true;
  }

  /** Answers the waiting request; false when there is none. */
  settle(accepted: boolean): boolean {
    const w = this.take();
    if (!w) return false;
    if (accepted) w.accept();
    else w.decline();
    return true;
  }

  /** The call that asked ended: its request goes, unanswered (there is no dialog to NOTIFY in). */
  drop(callId: string): void {
    if (this.waiting?.request.id === callId) this.take();
  }

  private take(): Waiting | null {
    const w = this.waiting;
    if (!w) return null;
    this.waiting = null;
    this.clock.clearTimeout(w.timer);
    this.changed();
    return w;
  }
}
