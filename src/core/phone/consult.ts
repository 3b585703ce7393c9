import type { Call } from '../call.js';

/** The transferor's pair during an attended transfer: the call on hold (B) and the consult call (C). */
export interface ConsultPair {
  readonly held: Call;
  readonly consult: Call;
}

/**
 * Attended (warm) transfer at the transferor: `consult()` holds the connected
 * call and calls the target; `complete()` sends the held call's far end a
 * REFER whose Refer-To carries `Replaces` for the consult call, and both calls
 * end as `transferred` once it reports the new call answered; `cancel()` ends
 * the consult call, and the held call is resumed (so it is when the target
 * hangs up).
 */
export class Consults {
  pair: ConsultPair | null = null;

  /** Holds `held` and places the consult call (`dial`, null when it could not be placed). */
  begin(held: Call, dial: () => Call | null): boolean {
    if (!held.held.local) held.setHeld(true);
    const consult = dial();
    if (!consult) return false;
    this.pair = { held, consult };
    return true;
  }

  /** The REFER with Replaces; false when the consult call is not connected or a transfer is already under way. */
  complete(uri: string): boolean {
    const pair = this.pair;
    if (!pair || pair.consult.state !== 'in-progress' || pair.held.transferPending) return false;
    return pair.held.transfer(pair.consult.number, uri, pair.consult);
  }

  /** Ends the consult call; the held call is resumed when it has ended (see `ended`). */
  cancel(): boolean {
    const pair = this.pair;
    if (!pair || pair.held.transferPending) return false;
    pair.consult.terminate();
    return true;
  }

  /** A call ended: the consult call's end (not by a transfer) resumes the held call; the held call's ends the pair. */
  ended(call: Call): void {
    const pair = this.pair;
    if (!pair || (call !== pair.held && call !== pair.consult)) return;
    this.pair = null;
    if (call === pair.consult && call.cause !== 'transferred' && !pair.held.ended) pair.held.setHeld(false);
  }
}
