import { createContext } from '@lit/context';
import type { AudioDeviceKind } from '../core/audio-devices.js';
import type { PreflightReport } from '../core/quality/preflight.js';

/** The panel's screens while no call fills it. */
export type PanelView = 'dialer' | 'history' | 'settings';

/**
 * What the views may do: the backend's commands and the root's UI actions.
 * One object for the element's life (the context never changes), so a view
 * re-renders for the phone's snapshot only.
 */
export interface PhoneActions {
  call(number: string): boolean;
  answer(): boolean;
  reject(): boolean;
  hangup(): boolean;
  sendDtmf(digits: string): boolean;
  setMuted(muted: boolean): boolean;
  setHeld(held: boolean): boolean;
  transfer(number: string): boolean;
  acceptTransfer(): boolean;
  declineTransfer(): boolean;
  selectOutboundNumber(number: string | null): boolean;
  setAudioDevice(kind: AudioDeviceKind, deviceId: string | null): boolean;
  previewRingtone(): void;
  enableAudio(): Promise<boolean>;
  /** Asks for the microphone (so devices get names); a refusal is the element's `error`. */
  allowMicrophone(): Promise<void>;
  setNotifications(on: boolean): void;
  /** Do-not-disturb on or off. */
  setDnd(on: boolean): boolean;
  setVolume(kind: 'ring' | 'call', level: number): boolean;
  merge(): boolean;
  split(): boolean;
  startRecording(): boolean;
  stopRecording(): boolean;
  hide(): void;
  /** The dial field's text (kept by the root: `show(number)` and click-to-call fill it too). */
  setNumber(number: string): void;
  showView(view: PanelView): void;
  /** The pre-call test ("Test my setup"). */
  runPreflight(): Promise<PreflightReport>;
  /** A recent call clicked: back to the dialer, calling that number. */
  redial(number: string): void;
  /** Multi-tab: moves the phone to this tab (between calls). */
  usePhoneHere(): void;
}

export const actionsContext = createContext<PhoneActions>(Symbol.for('voice-widget.actions'));
