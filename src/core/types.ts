/**
 * The public vocabulary of the phone: states, causes and the detail shapes of
 * every event. The element re-dispatches these as DOM events unchanged.
 */
import type { AudioDeviceKind } from './audio-devices.js';
import type { RecoveryReason } from './call/recovery.js';
import type { CallState } from './call-state.js';
import type { CallQuality } from './quality/summary.js';
import type { QualityWarningName } from './quality/thresholds.js';
import type { PreflightReport } from './quality/preflight.js';
import type { PreflightProgress } from './quality/preflight-run.js';
import type { Contact } from '../shared/contact.js';

export type { CallState };

/** The phone's own state when no call is in the foreground. */
export type PhoneState = 'loading' | 'ready' | 'error';

/** What `getState()` returns. */
export type WidgetState = PhoneState | CallState;

export type RegistrationState = 'connecting' | 'registered' | 'reconnecting' | 'unregistered' | 'failed';

export type CallDirection = 'outbound' | 'inbound';

export type DtmfMode = 'info' | 'rfc2833';

/** Why a call ended; exactly one per call. */
export type EndCause =
  'local-hangup' | 'remote-hangup' | 'rejected' | 'busy' | 'no-answer' | 'canceled' | 'not-found' | 'unavailable' | 'connection-lost' | 'failed';

export type ErrorCode =
  | 'invalid-number'
  | 'invalid-token'
  | 'invalid-server'
  | 'invalid-attribute'
  | 'not-ready'
  | 'call-in-progress'
  | 'no-call'
  | 'invalid-dtmf'
  | 'microphone-denied'
  | 'microphone-missing'
  | 'registration-failed'
  | 'origin-not-allowed'
  | 'too-many-registrations'
  | 'call-failed'
  | 'invalid-device'
  | 'device-unavailable'
  | 'invalid-url'
  | 'csp-blocked'
  | 'popup-blocked'
  | 'popup-detached'
  | 'chunk-failed'
  /** A recording could not start, or stopped at its size cap (docs/recording). */
  | 'recording-failed';

/** Dialog mode: a page took up a popup that was already running. */
export interface DialogAttachedDetail {
  /** The popup phone's `getState()`. */
  state: string;
  /** The calls in progress. */
  calls: Array<{ id: string; state: string; direction: string; number: string; name: string }>;
}

export interface DialogCloseDetail {
  reason: 'user' | 'host' | 'error';
}

/** Problems that leave the phone fully working (it keeps its own look, say). */
export type WarningCode = 'styles-failed' | 'multi-tab-failed';

export interface WarningDetail {
  code: WarningCode;
  message: string;
}

export interface Party {
  /** Display name, or the user part when the far end sent none. */
  name: string;
  /** `sip:user@domain`, without parameters. */
  address: string;
}

export interface ReadyDetail {}

/**
 * Lifecycle events (`widget-load`, `panel-open`, `panel-close`, `before-connect`):
 * when the event was made (ms since the epoch), the widget session it belongs
 * to, and the call on screen when there is one.
 */
export interface LifecycleDetail {
  createdAt: number;
  /** One id per widget session (per element), the same on all its lifecycle events. */
  sessionId: string;
  callId?: string;
}

export interface BeforeConnectDetail extends LifecycleDetail {
  /** The SIP server's WebSocket URL about to be opened. */
  url: string;
  /** 0 for the first connection, then how many attempts came before. */
  attempt: number;
}

export interface RegistrationChangeDetail {
  state: RegistrationState;
  previous: RegistrationState;
  /** Why it changed, when known: a SIP reason phrase or a transport error. */
  cause: string | null;
}

export interface StateChangeDetail {
  /** The call's id, or null for phone-level states. */
  id: string | null;
  state: WidgetState;
  previous: WidgetState;
}

export interface CallReceivedDetail {
  id: string;
  from: Party;
  to: Party;
  /**
   * The route the call took: each History-Info entry (`type` `history-info`),
   * then each Diversion entry (`diversion`), in header order, then the address
   * that reached this phone (`sip`, the To).
   */
  paths: Array<{ type: string; address: string; name: string }>;
  /**
   * What the host's `resolveContact` said of the caller (checked), or null. With a hook, `call-received` waits for
   * its answer (at most 2 s, and never past the call's answer or end); the call rings meanwhile.
   */
  contact: Contact | null;
}

export interface CallStartedDetail {
  id: string;
  direction: CallDirection;
  /** The remote user part, normalised as dialled. */
  number: string;
  /** Set by the element: true only in the tab where the call was placed or answered (multi-tab; always true with `multi-tab="off"`). */
  handledHere?: boolean;
}

export interface CallEndedDetail {
  id: string;
  direction: CallDirection;
  number: string;
  /** Connected time in seconds, millisecond precision; 0 if never connected. */
  duration: number;
  cause: EndCause;
  /** The call's quality (MOS over its samples, the warnings raised); null when it was never sampled. */
  quality: CallQuality | null;
  /** What the host's `resolveContact` said of the other party (checked), or null. */
  contact: Contact | null;
  /** Set by the element: true in exactly one tab (where the call was placed, answered or declined, else the leader's). */
  handledHere?: boolean;
}

export type { PreflightReport, PreflightProgress };

export interface QualityWarningDetail {
  id: string;
  name: QualityWarningName;
  /** The latest sample's figure (ms, percent, MOS, bytes, level deviation, or the ICE state). */
  value: number | string | null;
  /** What it was compared with; null for `ice-connectivity-lost`. */
  threshold: number | null;
}

export interface CallReconnectingDetail {
  id: string;
  /** `network-change` (the browser's network changed) or `media-lost` (ICE lost the media path). */
  reason: RecoveryReason;
}

export interface CallReconnectedDetail {
  id: string;
  /** Milliseconds since `call-reconnecting`. */
  after: number;
}

export interface QualityWarningClearedDetail {
  id: string;
  name: QualityWarningName;
}

export interface DtmfDetail {
  id: string;
  digit: string;
  direction: 'inbound' | 'outbound';
}

export interface MuteChangeDetail {
  id: string;
  muted: boolean;
}

export interface HoldChangeDetail {
  id: string;
  held: boolean;
  /** Who (un)held: this phone, or the far end. */
  by: 'local' | 'remote';
}

export interface TransferDetail {
  id: string;
  /** The number the call was transferred to. */
  target: string;
  result: 'accepted' | 'failed';
}

export interface TransferRequestedDetail {
  /** The call whose far end asks. */
  id: string;
  /** The number it asks this phone to call. */
  target: string;
  /** `attended` when the request carries `Replaces` (the far end already talks to the target). */
  kind: 'blind' | 'attended';
}

export interface OutboundNumberChangedDetail {
  /** The caller's display name. */
  name: string;
  /** The caller ID now sent with outgoing calls: a number, or the user's own SIP address. */
  address: string;
}

export interface NoAudioDetail {
  id: string;
}

export interface AudioBlockedDetail {
  /** The call whose audio could not play, or null for the ringtone and other tones. */
  id: string | null;
  /** What could not play: the call's audio, or a tone (ringtone, ringback, call waiting). */
  source: 'call-audio' | 'tones';
}

export interface AudioDeviceChangeDetail {
  kind: AudioDeviceKind;
  /** The chosen device's id, or null for the system default. */
  deviceId: string | null;
}

export interface TokenExpiringDetail {
  /** When the token runs out, epoch milliseconds (by this browser's clock). */
  expiresAt: number;
  secondsLeft: number;
}

export interface TokenExpiredDetail {
  reason: 'expired' | 'revoked' | 'rejected';
}

export interface ErrorDetail {
  code: ErrorCode;
  message: string;
}

/** Do-not-disturb was turned on or off (`setDnd()` or the user's switch). */
export interface DndChangeDetail {
  on: boolean;
}

/** Calls merged (`merge()`: the ids mixed), or no longer (`ids` empty: split, or a leg ended). */
export interface ConferenceChangeDetail {
  ids: string[];
}

/** A call's recording, at `stopRecording()` or the call's end; nothing is uploaded. `duration` in seconds (pauses left out). */
export interface RecordingAvailableDetail {
  id: string;
  blob: Blob;
  mimeType: string;
  duration: number;
}

/** A call's recording started or stopped (paused by a hold it goes on). */
export interface RecordingChangeDetail {
  id: string;
  recording: boolean;
}

/** Core events, by name; the element fires each as a DOM event of the same name. */
export interface PhoneEventMap {
  ready: ReadyDetail;
  'before-connect': BeforeConnectDetail;
  'registration-change': RegistrationChangeDetail;
  'state-change': StateChangeDetail;
  'call-received': CallReceivedDetail;
  'call-started': CallStartedDetail;
  'call-ended': CallEndedDetail;
  dtmf: DtmfDetail;
  'mute-change': MuteChangeDetail;
  'hold-change': HoldChangeDetail;
  transfer: TransferDetail;
  'transfer-requested': TransferRequestedDetail;
  'outbound-number-changed': OutboundNumberChangedDetail;
  'no-audio': NoAudioDetail;
  'audio-restored': NoAudioDetail;
  'quality-warning': QualityWarningDetail;
  'quality-warning-cleared': QualityWarningClearedDetail;
  /** `runPreflight`: a step is done (fired by the element, which runs the test). */
  'preflight-progress': PreflightProgress;
  /** `runPreflight`'s report. */
  'preflight-complete': PreflightReport;
  'call-reconnecting': CallReconnectingDetail;
  'call-reconnected': CallReconnectedDetail;
  'audio-blocked': AudioBlockedDetail;
  'audio-unblocked': ReadyDetail;
  'audio-device-change': AudioDeviceChangeDetail;
  'token-expiring': TokenExpiringDetail;
  'token-expired': TokenExpiredDetail;
  'dnd-change': DndChangeDetail;
  'conference-change': ConferenceChangeDetail;
  /** A call's recording started or stopped. */
  'recording-change': RecordingChangeDetail;
  'recording-available': RecordingAvailableDetail;
  error: ErrorDetail;
}
