import type { EndCause } from './types.js';
import type { CallState } from './call-state.js';

/** JsSIP's cause strings (JsSIP.C.causes), kept here so the mapping is testable without JsSIP. */
const JSSIP = {
  CONNECTION_ERROR: 'Connection Error',
  REQUEST_TIMEOUT: 'Request Timeout',
  BUSY: 'Busy',
  REJECTED: 'Rejected',
  UNAVAILABLE: 'Unavailable',
  NOT_FOUND: 'Not Found',
  BYE: 'Terminated',
  CANCELED: 'Canceled',
  NO_ANSWER: 'No Answer',
  EXPIRES: 'Expires',
  NO_ACK: 'No ACK',
  DIALOG_ERROR: 'Dialog Error',
  RTP_TIMEOUT: 'RTP Timeout',
} as const;

const LOST = new Set<string>([JSSIP.CONNECTION_ERROR, JSSIP.REQUEST_TIMEOUT, JSSIP.NO_ACK, JSSIP.DIALOG_ERROR, JSSIP.RTP_TIMEOUT]);

/**
 * Maps a JsSIP `ended`/`failed` outcome to our cause. The SIP status of the
 * final response, when the far end sent one, decides; JsSIP's cause buckets
 * (which file 403 with 603, and 408 with 480) are the fallback.
 * @param connected whether the call reached in-progress
 * @param originator who ended it, as JsSIP reports
 * @param status the far end's final response status, if any
 * @param alerted whether the far end had been ringing
 */
export function endCauseFor(jssipCause: string | undefined, originator: string, connected: boolean, status?: number, alerted = false): EndCause {
  if (!connected && status !== undefined && status >= 300) {
    if (status === 603) return 'rejected';
    if (status === 486 || status === 600) return 'busy';
    if (status === 404 || status === 604) return 'not-found';
    if (status === 480 || status === 410) return 'unavailable';
    if (status === 408 || status === 487) return alerted ? 'no-answer' : status === 408 ? 'unavailable' : 'failed';
    return 'failed';
  }
  if (connected) {
    if (jssipCause === JSSIP.BYE) return originator === 'local' ? 'local-hangup' : 'remote-hangup';
    if (jssipCause !== undefined && LOST.has(jssipCause)) return 'connection-lost';
    return originator === 'local' ? 'local-hangup' : 'failed';
  }
  switch (jssipCause) {
    case JSSIP.CANCELED:
      return 'canceled';
    case JSSIP.REJECTED:
      return 'rejected';
    case JSSIP.BUSY:
      return 'busy';
    case JSSIP.NOT_FOUND:
      return 'not-found';
    case JSSIP.UNAVAILABLE:
      return 'unavailable';
    case JSSIP.NO_ANSWER:
    case JSSIP.EXPIRES:
      return 'no-answer';
    default:
      return jssipCause !== undefined && LOST.has(jssipCause) ? 'connection-lost' : 'failed';
  }
}

/**
 * `completed` when the call ended by someone's choice (hang-up, cancel,
 * decline); `failed` when the network or the far end could not connect or
 * keep it.
 */
export function terminalStateFor(cause: EndCause): Extract<CallState, 'completed' | 'failed'> {
  switch (cause) {
    case 'local-hangup':
    case 'remote-hangup':
    case 'rejected':
    case 'canceled':
    case 'transferred':
      return 'completed';
    default:
      return 'failed';
  }
}
