import { createContext } from '@lit/context';
import type { AudioDeviceChoice } from '../core/audio-devices.js';
import type { CallDirection, EndCause, Party, PhoneState, RegistrationState, WidgetState } from '../core/types.js';
import type { CallState } from '../core/call-state.js';
import type { HistoryEntry } from '../core/call-history.js';
import type { Strings } from './strings.js';
import type { PendingTransfer } from '../core/transfer-request.js';
import type { QualityWarningName } from '../core/quality/thresholds.js';
import type { Contact } from '../shared/contact.js';

/** What the panel's parts render. Immutable: a change is a new object, so context consumers are notified. */
export interface PhoneSnapshot {
  readonly state: WidgetState;
  readonly phoneState: PhoneState;
  readonly registrationState: RegistrationState;
  readonly ready: boolean;
  readonly identity: { readonly user: string; readonly domain: string; readonly name: string } | null;
  readonly call: CallSnapshot | null;
  /** A second call ringing during the current one. */
  readonly waiting: CallSnapshot | null;
  /** A transfer the far end asks for, waiting for the user's answer (`refer-policy="ask"`). */
  readonly transferRequest: PendingTransfer | null;
  /** The last problem worth showing (token, server), as a key of the strings' `problem`, or null. */
  readonly problem: keyof Strings['problem'] | null;
  /** Recent calls, newest first. */
  readonly history: readonly HistoryEntry[];
  /** Missed calls not yet seen in the history view. */
  readonly missed: number;
  /** Caller IDs the token allows, and the one chosen (null: the user's own). */
  readonly callerIds: readonly string[];
  readonly outboundNumber: string | null;
  /** The browser holds back sound until a click ("enable sound"). */
  readonly audioBlocked: boolean;
  /** The chosen devices (null: the system default). */
  readonly audioDevices: Readonly<AudioDeviceChoice>;
  /** Do-not-disturb is on. */
  readonly dnd: boolean;
  /** The ring and call volumes, 0..1. */
  readonly volumes: Readonly<{ ring: number; call: number }>;
  /** Multi-tab: another tab holds the phone (its audio, its microphone); this one mirrors it. */
  readonly heldElsewhere: boolean;
  /** Merge: null unless two calls are connected; `merged` while mixed, with the far parties' names. */
  readonly conference: { readonly merged: boolean; readonly names: readonly string[] } | null;
  /** Recording: whether `recording` allows it, and whether the call on screen is recorded (`paused` while held). */
  readonly recording: { readonly allowed: boolean; readonly on: boolean; readonly paused: boolean };
}

export interface CallSnapshot {
  readonly id: string;
  readonly state: CallState;
  readonly direction: CallDirection;
  readonly number: string;
  readonly remote: Party;
  /** performance.now() at connect, or null. */
  readonly connectedAt: number | null;
  readonly duration: number;
  readonly cause: EndCause | null;
  readonly muted: boolean;
  readonly held: { readonly local: boolean; readonly remote: boolean };
  /** Answer was pressed and the call is being connected. */
  readonly answering: boolean;
  /** A hold or resume, or a transfer, waits for the far end. */
  readonly holdPending: boolean;
  readonly transferPending: boolean;
  /** No audio has arrived for a while on this call, though nobody holds it. */
  readonly silent: boolean;
  /** The call lost its network and is recovering. */
  readonly reconnecting: boolean;
  /** Answered by itself (`auto-answer`). */
  readonly autoAnswered: boolean;
  /** What the host's `resolveContact` said of the number (checked), or null: none, or not yet. */
  readonly contact: Contact | null;
  /** The quality warnings in force, oldest first (the signal indicator). */
  readonly warnings: readonly QualityWarningName[];
}

export const phoneContext = createContext<PhoneSnapshot>(Symbol.for('voice-widget.phone'));
