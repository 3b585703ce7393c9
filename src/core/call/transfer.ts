import { refer, type SipSession } from '../jssip-adapter.js';

/** How long a transfer may take to report its outcome (the far end's NOTIFY). */
const TRANSFER_TIMEOUT_MS = 30_000;

/**
 * Asks the far end (REFER) to call `uri`. `done` is called exactly once: with
 * `accepted` when the far end reports the new call answered, `failed` when it
 * reports a failure, says nothing for 30 s, or the REFER cannot be sent
 * (then this returns false). With `replaces` (the consult call's session) it is an attended transfer.
 */
export function sendTransfer(session: SipSession, uri: string, done: (result: 'accepted' | 'failed') => void, replaces?: SipSession): boolean {
  let settled = false;
  const finish = (result: 'accepted' | 'failed') => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    done(result);
  };
  const timer = setTimeout(() => finish('failed'), TRANSFER_TIMEOUT_MS);
  try {
    refer(session, uri, { accepted: () => finish('accepted'), failed: () => finish('failed') }, replaces);
  } catch {
    finish('failed');
    return false;
  }
  return true;
}
