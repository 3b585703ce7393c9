/**
 * voice-widget: the npm entry. Importing it registers `<voice-widget>`.
 * Server-side code (token minting) lives at `voice-widget/server`.
 */
import './define.js';

export { VoiceWidget } from './element/voice-widget.js';
export { createVoiceWidget, VoiceWidgetConfigError, VoiceWidgetHandle, type VoiceWidgetConfig, type VoiceWidgetDelegate } from './embed/create.js';
export { normalizeDialString } from './core/dial-string.js';
export { TRANSFER_DECISION_MS, type ReferPolicy } from './core/transfer-request.js';
export { decodeToken, TokenFormatError, type TokenClaims } from './shared/token-claims.js';
export { InvalidStateTransitionError, type CallState } from './core/call-state.js';
export type * from './core/types.js';
export type { VoiceWidgetEventMap } from './events.js';
export type { AudioDevice, AudioDeviceChoice, AudioDeviceKind, AudioDeviceList } from './core/audio-devices.js';
export { en, type Strings } from './element/strings.js';
export { es } from './element/strings-es.js';
export { connectWidgetFrame, WidgetBridgeError, type WidgetFrame, type WidgetFrameOptions, type BridgeEventDetail } from './bridge/host.js';
export {
  BRIDGE_COMMANDS,
  BRIDGE_EVENTS,
  BRIDGE_PROTOCOL,
  BRIDGE_VERSION,
  type BridgeCommandName,
  type BridgeCommands,
  type BridgeEventName,
  type BridgeHello,
  type BridgeCall,
  type BridgeErrorCode,
  type BridgeMessage,
} from './bridge/protocol.js';
