import type { QualitySample } from '../../core/quality/stats-sample.js';
import type { RegistrationState, WidgetState } from '../../core/types.js';

/** A call as the element's `calls` lists it. */
export interface CallSummary {
  id: string;
  state: string;
  direction: string;
  number: string;
  name: string;
}

/** The commands and getters the element and its backends share (the iframe bridge drives the element by them). */
export interface PhoneCommands {
  readonly registrationState: RegistrationState;
  readonly calls: CallSummary[];
  /** The ring and call volumes, 0..1; null while unknown (dialog mode, before the popup reports). */
  readonly volumes: Readonly<{ ring: number; call: number }> | null;
  call(number: string): boolean;
  answer(): boolean;
  reject(): boolean;
  hangup(): boolean;
  sendDtmf(digits: string): boolean;
  transfer(number: string): boolean;
  acceptTransfer(): boolean;
  declineTransfer(): boolean;
  selectOutboundNumber(number: string | null): boolean;
  clearHistory(): void;
  reset(): void;
  isMuted(): boolean;
  isOnHold(): boolean;
  isReady(): boolean;
  getState(): WidgetState;
  /** A live call's latest quality sample, or null. */
  getCallStats(id: string): QualitySample | null;
  /** Opens the phone (the panel, or the popup window), with `number` in its dial field. */
  show(number?: string): boolean;
  hide(): void;
  /** Do-not-disturb on or off (`dnd-change` when it changed). */
  setDnd(on: boolean): boolean;
  /** The ring or call volume, 0..1. */
  setVolume(kind: 'ring' | 'call', level: number): boolean;
  /** Mixes the held call and the active one (`conference-change`). */
  merge(): boolean;
  /** Ends the merge; the call that was held is held again. */
  split(): boolean;
  /** Records the call on screen when `recording` allows it. */
  startRecording(): boolean;
  /** Stops it; `recording-available` brings the blob. */
  stopRecording(): boolean;
}

/**
 * Where the element's commands go: the phone in this page (spa mode), or the
 * popup's (dialog mode). The element's public methods are one line each over it.
 */
export interface PhoneBackend extends PhoneCommands {
  setMuted(muted: boolean): boolean;
  setHeld(held: boolean): boolean;
  /** The host set `open`: what it is now (dialog mode: false when the browser blocked the popup). */
  setOpen(open: boolean): boolean;
  /** A number clicked in the page (click-to-call). */
  callFromPage(number: string): void;
}
