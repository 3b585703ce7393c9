import type { EndCause, RegistrationState } from '../core/types.js';
import type { PreflightProblem, PreflightVerdict } from '../core/quality/preflight.js';
import type { QualityWarningName } from '../core/quality/thresholds.js';
import { loadChunk } from '../shared/lazy-chunks.js';

/**
 * Every word the widget shows or says. `{name}`, `{n}` and `{number}` are
 * filled in. Hosts override any of them with the `strings` property; the
 * `lang` attribute picks a built-in set.
 */
export interface Strings {
  phone: string;
  openPhone: string;
  openPhoneMissed: string;
  missed: string;
  closePhone: string;
  recentCalls: string;
  noRecentCalls: string;
  missedCall: string;
  incomingCall: string;
  outgoingCall: string;
  callBack: string;
  numberToCall: string;
  enterNumber: string;
  deleteDigit: string;
  callAs: string;
  myNumber: string;
  call: string;
  answer: string;
  decline: string;
  hangUp: string;
  calling: string;
  callingProgress: string;
  ringingProgress: string;
  mute: string;
  hold: string;
  transfer: string;
  transferTo: string;
  keypad: string;
  onHold: string;
  heldByOther: string;
  noAudio: string;
  reconnecting: string;
  secondCall: string;
  secondCallFrom: string;
  declineSecondCall: string;
  answerSecondCall: string;
  transferring: string;
  transferred: string;
  transferFailed: string;
  /** A transfer asked by the far end (REFER): who asks (`{name}`), and where to (`{number}`). */
  transferRequest: string;
  /** Above the target, on the request's banner. */
  transferRequestBy: string;
  acceptTransfer: string;
  declineTransfer: string;
  callDuration: string;
  sayCalling: string;
  sayRinging: string;
  sayIncoming: string;
  sayConnected: string;
  sayConnectedMuted: string;
  sayOnHold: string;
  sayHeldByOther: string;
  sayNoAudio: string;
  sayReconnecting: string;
  settings: string;
  /** Dialog mode: what the launcher says about the phone window. */
  dialog: Record<'closed' | 'opening' | 'open' | 'blocked' | 'detached', string>;
  calls: string;
  /** The logo's link: `{site}` is its host name. */
  opensInNewTab: string;
  audio: string;
  microphone: string;
  speaker: string;
  ringer: string;
  systemDefault: string;
  /** A device the browser names only after microphone access: `{n}` is its position. */
  microphoneN: string;
  speakerN: string;
  showDeviceNames: string;
  testRinger: string;
  enableSound: string;
  soundBlocked: string;
  /** Multi-tab, in a tab that mirrors the phone held by another tab of this user. */
  otherTab: { idle: string; audio: string; soundBlocked: string; useHere: string };
  notifications: string;
  desktopNotifications: string;
  notificationsDenied: string;
  doNotDisturb: string;
  ringVolume: string;
  callVolume: string;
  doNotDisturbNote: string;
  answeredAutomatically: string;
  sayAnsweredAutomatically: string;
  registration: Record<RegistrationState, string>;
  /** The in-call signal indicator's label: a good line, a poor one. */
  goodConnection: string;
  poorConnection: string;
  /** Each quality warning in plain words (the indicator's tooltip). */
  qualityProblem: Record<QualityWarningName, string>;
  /** The live region when a quality warning comes: `{problem}`. */
  sayPoorConnection: string;
  /** A recent call's mean MOS (1–5): `{mos}`. */
  callQuality: string;
  /** Settings: the pre-call test. */
  testSetup: string;
  testingSetup: string;
  preflightVerdict: Record<PreflightVerdict, string>;
  preflightProblem: Record<PreflightProblem, string>;
  /** The measured line: `{rtt}` ms, `{loss}` %, `{mos}` of 5. */
  preflightNetwork: string;
  /** Merge (three-way call): the buttons, and the merged parties `{names}`. */
  merge: string;
  split: string;
  mergedWith: string;
  /** Recording: the button's two labels, and the indicator (recording, paused by a hold). */
  record: string;
  stopRecording: string;
  recordingOn: string;
  recordingPaused: string;
  outcome: Record<EndCause, string>;
  problem: Record<'invalid-token' | 'invalid-server' | 'invalid-attribute' | 'registration-failed' | 'too-many-registrations' | 'expired' | 'refused', string>;
}

export const en: Strings = {
  phone: 'Phone',
  openPhone: 'Open phone',
  openPhoneMissed: 'Open phone, {n} missed',
  missed: 'missed',
  closePhone: 'Close phone',
  recentCalls: 'Recent calls',
  noRecentCalls: 'No recent calls',
  missedCall: 'Missed call',
  incomingCall: 'Incoming call',
  outgoingCall: 'Outgoing call',
  callBack: 'call back',
  numberToCall: 'Number to call',
  enterNumber: 'Enter a number',
  deleteDigit: 'Delete last digit',
  callAs: 'Call as',
  myNumber: 'My number',
  call: 'Call',
  answer: 'Answer',
  decline: 'Decline',
  hangUp: 'Hang up',
  calling: 'Calling',
  callingProgress: 'Calling…',
  ringingProgress: 'Ringing…',
  mute: 'Mute',
  hold: 'Hold',
  transfer: 'Transfer',
  transferTo: 'Transfer to…',
  keypad: 'Keypad',
  onHold: 'On hold',
  heldByOther: 'Held by the other party',
  noAudio: 'No audio from the other party',
  reconnecting: 'Reconnecting…',
  secondCall: 'Second call',
  secondCallFrom: 'Second call from {name}',
  declineSecondCall: 'Decline second call',
  answerSecondCall: 'Answer second call and hold this one',
  transferring: 'Transferring to {number}…',
  transferred: 'Transferred to {number}',
  transferFailed: 'Transfer to {number} failed',
  transferRequest: '{name} asks to transfer you to {number}',
  transferRequestBy: 'Transfer from {name}',
  acceptTransfer: 'Accept transfer',
  declineTransfer: 'Decline transfer',
  callDuration: 'Call duration',
  sayCalling: 'Calling {name}',
  sayRinging: 'Ringing {name}',
  sayIncoming: 'Incoming call from {name}',
  sayConnected: 'Connected to {name}',
  sayConnectedMuted: 'Connected to {name}, microphone muted',
  sayOnHold: 'Call with {name} on hold',
  sayHeldByOther: '{name} put the call on hold',
  sayNoAudio: 'No audio from {name}',
  sayReconnecting: 'Reconnecting the call with {name}',
  settings: 'Settings',
  dialog: {
    closed: 'Open phone (calls are not received while it is closed)',
    opening: 'Opening the phone…',
    open: 'Show the phone window',
    blocked: 'The browser blocked the phone window: allow pop-ups for this site',
    detached: 'The phone window cannot reach this page',
  },
  calls: 'Calls',
  opensInNewTab: '{site} (opens in a new tab)',
  audio: 'Audio',
  microphone: 'Microphone',
  speaker: 'Speaker',
  ringer: 'Ringer',
  systemDefault: 'System default',
  microphoneN: 'Microphone {n}',
  speakerN: 'Speaker {n}',
  showDeviceNames: 'Show device names',
  testRinger: 'Test ringer',
  enableSound: 'Enable sound',
  soundBlocked: 'Sound is off',
  otherTab: {
    idle: 'The phone is in your other tab',
    audio: 'Audio is in your other tab',
    soundBlocked: 'Click to enable sound in the tab that holds the phone',
    useHere: 'Use here',
  },
  notifications: 'Notifications',
  desktopNotifications: 'Desktop notification for incoming calls',
  notificationsDenied: 'Blocked in the browser’s site settings',
  doNotDisturb: 'Do not disturb',
  ringVolume: 'Ring volume',
  callVolume: 'Call volume',
  doNotDisturbNote: 'Callers hear busy; their calls are listed as missed',
  answeredAutomatically: 'Answered automatically',
  sayAnsweredAutomatically: 'Answered automatically: connected to {name}',
  registration: {
    connecting: 'Connecting…',
    registered: 'Online',
    reconnecting: 'Reconnecting…',
    unregistered: 'Offline',
    failed: 'Not registered',
  },
  goodConnection: 'Good connection',
  poorConnection: 'Poor connection',
  qualityProblem: {
    'high-rtt': 'Your network is slow: words arrive late',
    'high-jitter': 'Your network is uneven: audio may break up',
    'high-packet-loss': 'Your network is dropping audio',
    'low-mos': 'The call sounds poor',
    'low-bytes-received': 'No sound is reaching you',
    'low-bytes-sent': 'Your voice is not going out',
    'constant-audio-input-level': 'Your microphone hears nothing: check your headset',
    'ice-connectivity-lost': 'The connection dropped: trying to get it back',
  },
  sayPoorConnection: 'Poor connection: {problem}',
  callQuality: 'Quality {mos} of 5',
  testSetup: 'Test my setup',
  testingSetup: 'Testing your setup…',
  preflightVerdict: {
    ready: 'Ready: calls should sound good',
    degraded: 'Calls will work, but may sound poor',
    blocked: 'Calls will not work from here',
    'permission-denied': 'The microphone is blocked: allow it in the browser’s site settings',
  },
  preflightProblem: {
    'microphone-denied': 'The browser does not let the phone use the microphone',
    'microphone-missing': 'No microphone was found',
    'microphone-silent': 'The microphone hears nothing: is it muted?',
    'signalling-unreachable': 'The phone service cannot be reached',
    'signalling-slow': 'The phone service answers slowly',
    'no-media-route': 'Your network lets no call audio through',
    'turn-unreachable': 'The relay server cannot be reached',
    'relay-failed': 'Audio does not get through the relay server',
    'poor-network': 'Your network is too slow or loses too much for clear calls',
  },
  preflightNetwork: 'Network: {rtt} ms round trip, {loss} % lost, quality {mos} of 5',
  merge: 'Merge calls',
  split: 'Split calls',
  mergedWith: 'Merged: {names}',
  record: 'Record',
  stopRecording: 'Stop recording',
  recordingOn: 'Recording',
  recordingPaused: 'Recording paused',
  outcome: {
    'local-hangup': 'Call ended',
    'remote-hangup': 'Call ended by the other party',
    rejected: 'Call declined',
    busy: 'Busy',
    'no-answer': 'No answer',
    canceled: 'Call canceled',
    'not-found': 'Number not found',
    unavailable: 'Unavailable',
    'connection-lost': 'Connection lost',
    failed: 'Call failed',
  },
  problem: {
    'invalid-token': 'Invalid sign-in token',
    'invalid-server': 'Invalid server address',
    'invalid-attribute': 'Invalid configuration',
    'registration-failed': 'Cannot reach the phone service',
    'too-many-registrations': 'Too many phones open for this user',
    expired: 'Session expired',
    refused: 'Sign-in refused',
  },
};

/** Languages built in; all but English arrive as a lazy chunk (src/shared/lazy-chunks.ts) when a page asks for one. */
const BUILT_IN: Record<string, Strings> = { en };
const LAZY: Record<string, () => Promise<Strings>> = { es: () => loadChunk('es').then((m) => m.es) };
const loading = new Map<string, Promise<void>>();

const baseLanguage = (lang: string | null | undefined): string => (lang ?? '').toLowerCase().split('-')[0];

/**
 * Null when `lang`'s strings are here; else a promise that settles once they are
 * (or, if their chunk cannot load, when English will be used): the element
 * waits for it before rendering, so a Spanish page never shows English first.
 */
export function languageLoading(lang: string | null | undefined): Promise<void> | null {
  const base = baseLanguage(lang);
  if (BUILT_IN[base] || !LAZY[base]) return null;
  let p = loading.get(base);
  if (!p) {
    p = LAZY[base]().then(
      (strings) => void (BUILT_IN[base] = strings),
      () => undefined,
    );
    loading.set(base, p);
  }
  return p;
}

/** The strings for a language tag (`es-MX` → es), with the host's overrides on top. */
export function stringsFor(lang: string | null | undefined, overrides: Partial<Strings> | null | undefined): Strings {
  const base = BUILT_IN[baseLanguage(lang)] ?? en;
  return overrides ? { ...base, ...overrides } : base;
}

/** Fills `{key}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
