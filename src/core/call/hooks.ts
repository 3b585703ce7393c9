import type { CallState } from '../call-state.js';
import type { ReferAccept } from '../jssip-adapter.js';
import type { QualityThresholds } from '../quality/thresholds.js';
import type { QualityWarning } from '../quality/warnings.js';
import type { ReferUri } from '../transfer-request.js';
import type { VoiceProcessing } from '../voice-processing.js';
import type { CallDirection, DtmfMode, EndCause, ErrorCode, Party } from '../types.js';
import type { Call } from '../call.js';
import type { RecoveryReason } from './recovery.js';

/** What a call tells its phone. */
export interface CallHooks {
  stateChanged(call: Call, state: CallState, previous: CallState): void;
  started(call: Call): void;
  ended(call: Call, cause: EndCause): void;
  dtmf(call: Call, digit: string, direction: 'inbound' | 'outbound'): void;
  muteChanged(call: Call, muted: boolean): void;
  holdChanged(call: Call, held: boolean, by: 'local' | 'remote'): void;
  transferred(call: Call, target: string, result: 'accepted' | 'failed', kind: 'blind' | 'attended'): void;
  /** An INVITE with `Replaces` names this connected call: `accept` raises the new call (see jssip-adapter `replaces`). */
  replaced(call: Call, accept: () => void): void;
  /** Audio stopped arriving on a call nobody holds (true), or came back (false). */
  audioSilence(call: Call, silent: boolean): void;
  /**
   * The far end asks this phone to call `target` (REFER). JsSIP has already
   * answered 202: `accept` places that call, `reject` NOTIFYs `603 Decline`.
   */
  referred(call: Call, target: ReferUri, accept: ReferAccept, reject: () => void): void;
  error(code: ErrorCode, message: string): void;
  /** The server refused the call because the credential expired. */
  credentialExpired(): void;
  /** The browser would not play the call's audio before a user gesture. */
  audioBlocked(call: Call): void;
  /** The far end started sending audio before answering (its own ringback or announcement). */
  earlyMedia(call: Call): void;
  /** A quality warning was raised (true) or cleared (false). */
  qualityWarning(call: Call, warning: QualityWarning, raised: boolean): void;
  /** The call lost its network and is recovering (call/recovery.ts). */
  reconnecting(call: Call, reason: RecoveryReason): void;
  /** It recovered, `afterMs` after it began to. */
  reconnected(call: Call, afterMs: number): void;
  /** Connected and registered: in-dialog requests can leave. */
  signalingUp(): boolean;
}

export interface CallInit {
  id: string;
  direction: CallDirection;
  number: string;
  remote: Party;
  local: Party;
  iceServers: readonly RTCIceServer[];
  dtmfMode: DtmfMode;
  /** Device ids; null is the system default. */
  microphone: string | null;
  speaker: string | null;
  qualityThresholds: QualityThresholds;
  /** The microphone's voice processing (voice-processing.ts). */
  voice?: VoiceProcessing;
}
