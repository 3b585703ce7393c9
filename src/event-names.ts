/**
 * The names of the element's public events, in one place for everything that
 * relays them (the element, the dialog popup, the iframe bridge). Types only
 * come from the core, so the bridge's host helper can ship this without JsSIP.
 */
import type { PhoneEventMap } from './core/types.js';

/** The phone's events, each re-fired on the element under the same name. */
export const PHONE_EVENTS = [
  'ready',
  'before-connect',
  'registration-change',
  'state-change',
  'call-received',
  'call-started',
  'call-ended',
  'dtmf',
  'mute-change',
  'hold-change',
  'transfer',
  'transfer-requested',
  'outbound-number-changed',
  'no-audio',
  'audio-restored',
  'quality-warning',
  'quality-warning-cleared',
  'preflight-progress',
  'preflight-complete',
  'call-reconnecting',
  'call-reconnected',
  'audio-blocked',
  'audio-unblocked',
  'audio-device-change',
  'token-expiring',
  'token-expired',
  'dnd-change',
  'conference-change',
  'recording-change',
  'recording-available',
  'error',
] as const satisfies ReadonlyArray<keyof PhoneEventMap>;

/** Every event the element fires: the phone's, `warning`, dialog mode's and the lifecycle events. */
export const ELEMENT_EVENTS = [
  ...PHONE_EVENTS,
  'warning',
  'dialog-open',
  'dialog-attached',
  'dialog-close',
  'widget-load',
  'panel-open',
  'panel-close',
] as const;
