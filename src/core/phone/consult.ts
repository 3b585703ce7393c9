import type { Call } from '../call.js';

/** The transferor's pair during an attended transfer: the call on hold (B) and the consult call (C). */
export interface ConsultPair {
  readonly held: Call;
  /** Null until the far end has confirmed the hold (the consult call is placed then). */
  consult: Call | null;
}

/**
 * Attended (warm) transfer at the transferor: `begin()` holds the connected
 * call and, once the hold is confirmed, calls the target; `complete()` sends
 * the held call's far end a REFER whose Refer-To carries `Replaces` for the
 * consult call, and both calls end as `transferred` once it reports the new
 * call answered; `cancel()` ends the consult call, and the held call is
 * resumed (so it is when the target hangs up or does not answer).
 */
export class Consults {
  pair: ConsultPair | null = null;

  /** Holds `held`, then places the consult call with `dial` (not when the hold failed: its `error` says so). */
  begin(held: Call, dial: () => Call): void {
    const pair: ConsultPair = { held, consult: null };
    this.pair = pair;
    if (!held.held.local) held.setHeld(true);
    // Dialled only once held: the far end hears nothing of the consult, and the events come in one order.
    void held.holdSettled().then((onHold) => {
      if (this.pair !== pair) return;
      if (onHold && !held.ended) pair.consult = dial();
      else this.pair = null;
    });
  }

  /** The REFER with Replaces; false when the consult call is not connected or a transfer is already under way. */
  complete(domain: string): boolean {
    const pair = this.pair;
    const consult = pair?.consult;
    if (!pair || !consult || consult.state !== 'in-progress' || pair.held.transferPending) return false;
    return pair.held.transfer(consult.number, `sip:${consult.number}@${domain}`, consult);
  }

  /** Ends the consult call; the held call is resumed once it has ended (see `ended`). */
  cancel(): boolean {
    const pair = this.pair;
    if (!pair || pair.held.transferPending) return false;
    if (pair.consult) pair.consult.terminate();
    else {
      this.pair = null;
      pair.held.setHeld(false);
    }
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
