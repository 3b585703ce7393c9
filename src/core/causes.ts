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
 * Maps a JsSIP `ended`/`failed` outcome to our cause.
 * @param connected whether the call reached in-progress
 * @param originator who ended it, as JsSIP reports
 */
export function endCauseFor(jssipCause: string | undefined, originator: string, connected: boolean): EndCause {
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
      return 'completed';
    default:
      return 'failed';
  }
}
