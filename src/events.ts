import type {
  AudioBlockedDetail,
  AudioDeviceChangeDetail,
  CallEndedDetail,
  CallReceivedDetail,
  CallStartedDetail,
  DtmfDetail,
  ErrorDetail,
  MuteChangeDetail,
  HoldChangeDetail,
  TransferDetail,
  TransferRequestedDetail,
  OutboundNumberChangedDetail,
  NoAudioDetail,
  QualityWarningDetail,
  QualityWarningClearedDetail,
  PreflightProgress,
  PreflightReport,
  CallReconnectingDetail,
  CallReconnectedDetail,
  ReadyDetail,
  LifecycleDetail,
  BeforeConnectDetail,
  RegistrationChangeDetail,
  StateChangeDetail,
  TokenExpiredDetail,
  TokenExpiringDetail,
  WarningDetail,
  DialogAttachedDetail,
  DialogCloseDetail,
  DndChangeDetail,
  ConferenceChangeDetail,
  RecordingChangeDetail,
  RecordingAvailableDetail,
} from './core/types.js';

/** Every DOM event `<voice-widget>` fires, with its detail. */
export interface VoiceWidgetEventMap {
  'widget-load': CustomEvent<LifecycleDetail>;
  'panel-open': CustomEvent<LifecycleDetail>;
  'panel-close': CustomEvent<LifecycleDetail>;
  'before-connect': CustomEvent<BeforeConnectDetail>;
  ready: CustomEvent<ReadyDetail>;
  'registration-change': CustomEvent<RegistrationChangeDetail>;
  'state-change': CustomEvent<StateChangeDetail>;
  'call-received': CustomEvent<CallReceivedDetail>;
  'call-started': CustomEvent<CallStartedDetail>;
  'call-ended': CustomEvent<CallEndedDetail>;
  dtmf: CustomEvent<DtmfDetail>;
  'mute-change': CustomEvent<MuteChangeDetail>;
  'hold-change': CustomEvent<HoldChangeDetail>;
  transfer: CustomEvent<TransferDetail>;
  'transfer-requested': CustomEvent<TransferRequestedDetail>;
  'outbound-number-changed': CustomEvent<OutboundNumberChangedDetail>;
  'no-audio': CustomEvent<NoAudioDetail>;
  'audio-restored': CustomEvent<NoAudioDetail>;
  'quality-warning': CustomEvent<QualityWarningDetail>;
  'quality-warning-cleared': CustomEvent<QualityWarningClearedDetail>;
  'preflight-progress': CustomEvent<PreflightProgress>;
  'preflight-complete': CustomEvent<PreflightReport>;
  'call-reconnecting': CustomEvent<CallReconnectingDetail>;
  'call-reconnected': CustomEvent<CallReconnectedDetail>;
  'audio-blocked': CustomEvent<AudioBlockedDetail>;
  'audio-unblocked': CustomEvent<ReadyDetail>;
  'audio-device-change': CustomEvent<AudioDeviceChangeDetail>;
  'token-expiring': CustomEvent<TokenExpiringDetail>;
  'token-expired': CustomEvent<TokenExpiredDetail>;
  'dnd-change': CustomEvent<DndChangeDetail>;
  'conference-change': CustomEvent<ConferenceChangeDetail>;
  'recording-change': CustomEvent<RecordingChangeDetail>;
  'recording-available': CustomEvent<RecordingAvailableDetail>;
  /** Something cosmetic failed (custom styles); the phone works on. */
  warning: CustomEvent<WarningDetail>;
  /** Dialog mode: the popup window opened. */
  'dialog-open': CustomEvent<ReadyDetail>;
  /** Dialog mode: this page took up a running popup (after a reload or navigation). */
  'dialog-attached': CustomEvent<DialogAttachedDetail>;
  /** Dialog mode: the popup closed. */
  'dialog-close': CustomEvent<DialogCloseDetail>;
  /** Does not bubble: a bubbling `error` would reach `window.onerror`. */
  error: CustomEvent<ErrorDetail>;
}

declare global {
  // `ready` and `error` already exist on HTMLElementEventMap with other types; the rest are ours.
  interface HTMLElementEventMap extends Omit<VoiceWidgetEventMap, 'error'> {}
}
