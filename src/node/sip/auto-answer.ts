import type { SipMessage } from './message.js';

/**
 * The hints that make a phone answer by itself: `Call-Info: <uri>;answer-after=N`
 * and an `Alert-Info` auto-answer hint (`info=alert-autoanswer`, `;answer-after=N`).
 * Only the server may vouch for them: the same rule as kamailio.cfg's
 * route[STRIP_CLIENT_HEADERS].
 */
const CALL_INFO = /answer-after/i;
const ALERT_INFO = /auto[-_]?answer|answer-after/i;

/** Removes the auto-answer hints from a request a user sent (every Call-Info or Alert-Info header, when one has a hint). */
export function stripAutoAnswerHints(msg: SipMessage): void {
  if (msg.getAll('Call-Info').some((v) => CALL_INFO.test(v))) msg.remove('Call-Info');
  if (msg.getAll('Alert-Info').some((v) => ALERT_INFO.test(v))) msg.remove('Alert-Info');
}

/** Whether `address` is one of the server's own originators (`autoAnswerSources`): its INVITEs keep their hints. */
export function isAutoAnswerSource(sources: readonly string[] | undefined, address: string): boolean {
  return (sources ?? []).includes(address);
}
