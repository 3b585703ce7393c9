// The mapping between HubSpot's Calling Extensions SDK and a <voice-widget>,
// kept apart from the page so it can be driven by a fake SDK object too.
//
// HubSpot → widget: onDialNumber → call(number), onEndCall → hangup().
// Widget → HubSpot: ready → userAvailable, call-started (outbound) →
// outgoingCall, call-received → incomingCall, state-change to in-progress →
// callAnswered, call-ended → callEnded then callCompleted (the engagement's
// properties), token-expired (revoked or refused) → userLoggedOut.

/** The widget's end causes as the SDK's EndStatus. */
const END_STATUS = {
  'local-hangup': 'COMPLETED',
  'remote-hangup': 'COMPLETED',
  rejected: 'REJECTED',
  canceled: 'CANCELED',
  busy: 'BUSY',
  'no-answer': 'NO_ANSWER',
};
/** hs_call_status has no REJECTED or MISSED. */
const ENGAGEMENT_STATUS = { REJECTED: 'BUSY', MISSED: 'NO_ANSWER' };

const userPart = (address) => /^sips?:([^@]+)@/.exec(address)?.[1] ?? address;

/**
 * @param {HTMLElement & Record<string, any>} widget the <voice-widget>
 * @param {(eventHandlers: object) => any} createCti makes the SDK object with
 *   these handlers, e.g. `(eventHandlers) => new CallingExtensions({ debugMode: false, eventHandlers })`
 * @param {{ fromNumber: string, loggedIn: Promise<boolean>, sizeInfo?: {width: number, height: number} }} options
 *   fromNumber: this user's number or SIP user, as HubSpot shows it;
 *   loggedIn: settles once the page knows whether its user has a token.
 * @returns {{ cti: any, dispose(): void }}
 */
export function bridgeHubSpot(widget, createCti, { fromNumber, loggedIn, sizeInfo }) {
  /** Calls under way and just ended, by the widget's call id (HubSpot's externalCallId). */
  const calls = new Map();
  let sdkReady = false;
  let available = false;
  let engagementFor = null; // the call whose engagement HubSpot is creating

  const setEngagement = ({ engagementId } = {}) => {
    const call = calls.get(engagementFor);
    if (call && engagementId) call.engagementId = engagementId;
  };

  const cti = createCti({
    onReady: async () => {
      // Messages sent before this are dropped by the SDK; availability goes with initialized instead.
      const isLoggedIn = await loggedIn.catch(() => false);
      sdkReady = true;
      available = widget.isReady();
      cti.initialized({ isLoggedIn, isAvailable: available, ...(sizeInfo ? { sizeInfo } : {}) });
    },
    onDialNumber: ({ phoneNumber } = {}) => {
      // call() says why it refused in an `error` event; HubSpot shows sendError's message to the user.
      if (!widget.call(String(phoneNumber ?? '')))
        cti.sendError({ message: `Cannot call ${phoneNumber}: the phone is not ready, busy, or the number is invalid.` });
    },
    onEndCall: () => widget.hangup(),
    onCreateEngagementSucceeded: setEngagement,
    onEngagementCreated: setEngagement, // the name older HubSpot versions send
    onCreateEngagementFailed: () => {},
    onUpdateEngagementSucceeded: () => {},
    onUpdateEngagementFailed: () => {},
    onVisibilityChanged: () => {},
    defaultEventHandler: () => {},
  });

  const send = (method, payload) => {
    if (sdkReady) cti[method](payload);
  };

  const listeners = {
    ready: () => {
      if (!available) send('userAvailable');
      available = true;
    },
    'registration-change': ({ detail }) => {
      if (detail.state !== 'registered' && available) {
        available = false;
        send('userUnavailable');
      }
    },
    'token-expired': ({ detail }) => {
      // An expired token is renewed by the page; a revoked or refused one logs the user out.
      if (detail.reason !== 'expired') send('userLoggedOut');
    },
    'call-started': ({ detail }) => {
      if (detail.direction !== 'outbound') return;
      const call = { direction: 'OUTBOUND', from: fromNumber, to: detail.number, startedAt: Date.now(), answered: false };
      calls.set(detail.id, call);
      engagementFor = detail.id;
      send('outgoingCall', { externalCallId: detail.id, toNumber: call.to, fromNumber: call.from, callStartTime: call.startedAt, createEngagement: true });
    },
    'call-received': ({ detail }) => {
      const call = { direction: 'INBOUND', from: userPart(detail.from.address), to: fromNumber, startedAt: Date.now(), answered: false };
      calls.set(detail.id, call);
      engagementFor = detail.id;
      send('incomingCall', { externalCallId: detail.id, fromNumber: call.from, toNumber: call.to, callStartTime: call.startedAt, createEngagement: true });
    },
    'state-change': ({ detail }) => {
      const call = calls.get(detail.id);
      // Resuming from hold is in-progress again: only the first time is an answer.
      if (!call || detail.state !== 'in-progress' || call.answered) return;
      call.answered = true;
      send('callAnswered', { externalCallId: detail.id });
    },
    'call-ended': ({ detail }) => {
      const call = calls.get(detail.id);
      if (!call) return;
      calls.delete(detail.id);
      const missed = call.direction === 'INBOUND' && !call.answered && detail.cause === 'canceled';
      const callEndStatus = missed ? 'MISSED' : (END_STATUS[detail.cause] ?? 'FAILED');
      const ids = { externalCallId: detail.id, ...(call.engagementId ? { engagementId: call.engagementId } : {}) };
      send('callEnded', { ...ids, callEndStatus });
      send('callCompleted', {
        ...ids,
        hideWidget: false,
        engagementProperties: {
          hs_timestamp: call.startedAt,
          hs_call_direction: call.direction,
          hs_call_status: ENGAGEMENT_STATUS[callEndStatus] ?? callEndStatus,
          hs_call_duration: String(Math.round(detail.duration * 1000)), // milliseconds, as a string
          hs_call_from_number: call.from,
          hs_call_to_number: call.to,
          hs_call_title: `${call.direction === 'OUTBOUND' ? 'Call to' : 'Call from'} ${call.direction === 'OUTBOUND' ? call.to : call.from}`,
        },
      });
    },
  };
  for (const [type, fn] of Object.entries(listeners)) widget.addEventListener(type, fn);

  return {
    cti,
    dispose() {
      for (const [type, fn] of Object.entries(listeners)) widget.removeEventListener(type, fn);
    },
  };
}
