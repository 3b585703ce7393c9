/**
 * The iframe bridge's messages: a host page drives a `<voice-widget>` that runs
 * in an iframe of it. Every message is one envelope:
 *
 *   {protocol: 'voice-widget', version: 1, type, requestId, name, payload}
 *
 *   host → frame: command  {requestId, name: a command, payload: {args: [...]}}
 *   frame → host: response {requestId (the command's), name (the command's), payload: {ok: true, result} | {ok: false, error: {code, message}}}
 *   frame → host: event    {requestId: null, name: an event of the element, payload: its detail}
 *   frame → host: request  {requestId, name: 'resolveContact', payload: {number, direction}} (caller lookup, once the
 *                 host said `contactLookup(true)`)
 *   host → frame: response {requestId (the request's), name: 'resolveContact', payload: {ok: true, result: contact | null}}
 *
 * Anything else, and anything outside the bounds below, is dropped without a
 * word (a reply would help a prober). This module imports only the event
 * names and the shared data checks: the host helper ships it without the
 * element or JsSIP.
 */
import type { QualitySample } from '../core/quality/stats-sample.js';
import { ELEMENT_EVENTS } from '../event-names.js';
import { isPlainData, isRecord, type PlainDataLimits } from '../shared/plain-data.js';
import { isRecordingDetail } from '../core/recording/limits.js';

/** Marks our messages among everything else a window may receive. */
export const BRIDGE_PROTOCOL = 'voice-widget';
export const BRIDGE_VERSION = 1;

/**
 * The element's commands, one row each: which ones dialog mode runs in the popup, which ones this bridge
 * accepts (and how it checks their arguments), and which ones `createVoiceWidget`'s handle offers. The popup
 * protocol, this protocol and the handle derive their lists from here (data only, like the rest of this module).
 */
/** How the bridge checks a command's arguments: none, a number (≤ 256 characters), DTMF digits (≤ 64), … */
export type BridgeArgs = 'none' | 'number' | 'digits' | 'number-or-null' | 'optional-number' | 'call-id' | 'flag' | 'volume';

export interface CommandRow {
  /** Dialog mode: the host element runs it in its popup (fire-and-forget; outcomes arrive as events). */
  readonly popup?: true;
  /** The iframe bridge accepts it, with arguments checked so. */
  readonly bridge?: BridgeArgs;
  /** The handle `createVoiceWidget` returns offers it as its own method. */
  readonly handle?: true;
}

export const COMMAND_TABLE = {
  call: { popup: true, bridge: 'number', handle: true },
  answer: { popup: true, bridge: 'none', handle: true },
  reject: { popup: true, bridge: 'none', handle: true },
  hangup: { popup: true, bridge: 'none', handle: true },
  sendDtmf: { popup: true, bridge: 'digits', handle: true },
  mute: { popup: true, bridge: 'none', handle: true },
  unmute: { popup: true, bridge: 'none', handle: true },
  isMuted: { bridge: 'none', handle: true },
  hold: { popup: true, bridge: 'none', handle: true },
  unhold: { popup: true, bridge: 'none', handle: true },
  isOnHold: { bridge: 'none', handle: true },
  transfer: { popup: true, bridge: 'number', handle: true },
  acceptTransfer: { popup: true, bridge: 'none', handle: true },
  declineTransfer: { popup: true, bridge: 'none', handle: true },
  selectOutboundNumber: { popup: true, bridge: 'number-or-null', handle: true },
  clearHistory: { popup: true, bridge: 'none', handle: true },
  reset: { popup: true, bridge: 'none', handle: true },
  show: { bridge: 'optional-number', handle: true },
  hide: { bridge: 'none', handle: true },
  toggle: { handle: true },
  getState: { bridge: 'none', handle: true },
  isReady: { bridge: 'none', handle: true },
  getCallStats: { bridge: 'call-id', handle: true },
  runPreflight: { popup: true, bridge: 'none', handle: true },
  listAudioDevices: { handle: true },
  setAudioDevice: { handle: true },
  enableAudio: { handle: true },
  setDnd: { popup: true, bridge: 'flag', handle: true },
  setVolume: { popup: true, bridge: 'volume', handle: true },
  merge: { popup: true, bridge: 'none', handle: true },
  split: { popup: true, bridge: 'none', handle: true },
  startRecording: { popup: true, bridge: 'none', handle: true },
  stopRecording: { popup: true, bridge: 'none', handle: true },
  // The bridge's own: its greeting, getters a message cannot read, and protocol v1's names for show and hide.
  hello: { bridge: 'none' },
  open: { bridge: 'optional-number' },
  close: { bridge: 'none' },
  getRegistrationState: { bridge: 'none' },
  getCalls: { bridge: 'none' },
  // The host helper has a `resolveContact`: the frame's phone asks it by `request` messages (a function cannot cross).
  contactLookup: { bridge: 'flag' },
} as const satisfies Record<string, CommandRow>;

type Table = typeof COMMAND_TABLE;
/** The commands whose row has `flag`. */
export type CommandsWith<F extends keyof CommandRow> = { [K in keyof Table]: Table[K] extends Record<F, unknown> ? K : never }[keyof Table];

function commandsWith<F extends keyof CommandRow>(flag: F): ReadonlyArray<CommandsWith<F>> {
  return Object.keys(COMMAND_TABLE).filter((name) => (COMMAND_TABLE as Record<string, CommandRow>)[name][flag] !== undefined) as never;
}

export const POPUP_COMMANDS = commandsWith('popup');
export const HANDLE_METHODS = commandsWith('handle');

/**
 * Protocol v1's names, which the host helper sends for show and hide: every frame, older ones too, knows them
 * (a newer frame takes either name).
 */
export const BRIDGE_V1_NAMES: Readonly<Record<string, string>> = { show: 'open', hide: 'close' };

/** How the bridge checks `name`'s arguments (only for bridge commands). */
export function bridgeArgs(name: CommandsWith<'bridge'>): BridgeArgs {
  return (COMMAND_TABLE as Record<string, CommandRow>)[name].bridge!;
}

/** The element's methods (and a few getters) a host may run, with `hello` to introduce itself (the command table above). */
export const BRIDGE_COMMANDS = commandsWith('bridge');
export type BridgeCommandName = (typeof BRIDGE_COMMANDS)[number];

/** A call as `getCalls` (the element's `calls`) lists it. */
export interface BridgeCall {
  id: string;
  state: string;
  direction: string;
  number: string;
  name: string;
}

/** What `hello` answers: enough for a host that arrives late to catch up. */
export interface BridgeHello {
  version: number;
  state: string;
  registrationState: string;
  ready: boolean;
  calls: BridgeCall[];
}

/** Each command's arguments and result. */
export interface BridgeCommands {
  hello: { args: []; result: BridgeHello };
  call: { args: [number: string]; result: boolean };
  answer: { args: []; result: boolean };
  reject: { args: []; result: boolean };
  hangup: { args: []; result: boolean };
  sendDtmf: { args: [digits: string]; result: boolean };
  mute: { args: []; result: boolean };
  unmute: { args: []; result: boolean };
  isMuted: { args: []; result: boolean };
  hold: { args: []; result: boolean };
  unhold: { args: []; result: boolean };
  isOnHold: { args: []; result: boolean };
  transfer: { args: [number: string]; result: boolean };
  acceptTransfer: { args: []; result: boolean };
  declineTransfer: { args: []; result: boolean };
  selectOutboundNumber: { args: [number: string | null]; result: boolean };
  clearHistory: { args: []; result: null };
  reset: { args: []; result: null };
  show: { args: [] | [number: string]; result: boolean };
  hide: { args: []; result: null };
  /** v1's name for show (the host helper sends show as open, which every frame knows). */
  open: { args: [] | [number: string]; result: boolean };
  /** v1's name for hide. */
  close: { args: []; result: null };
  getState: { args: []; result: string };
  getRegistrationState: { args: []; result: string };
  getCalls: { args: []; result: BridgeCall[] };
  isReady: { args: []; result: boolean };
  getCallStats: { args: [id: string]; result: QualitySample | null };
  setDnd: { args: [on: boolean]; result: boolean };
  setVolume: { args: [kind: 'ring' | 'call', level: number]; result: boolean };
  merge: { args: []; result: boolean };
  split: { args: []; result: boolean };
  startRecording: { args: []; result: boolean };
  stopRecording: { args: []; result: boolean };
  /** Starts the pre-call test: true; the report arrives as `preflight-complete` (with `preflight-progress` before it). */
  runPreflight: { args: []; result: boolean };
  /** The host answers the frame's caller lookups (`request` `resolveContact`), or no longer. */
  contactLookup: { args: [on: boolean]; result: boolean };
}

/** The types above cover exactly the table's bridge commands (a compile-time check). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const TYPED_COMMANDS: Same<keyof BridgeCommands, BridgeCommandName> = true;
void TYPED_COMMANDS;

/** The element's events the frame forwards to its host: all of them. */
export const BRIDGE_EVENTS = ELEMENT_EVENTS;
export type BridgeEventName = (typeof BRIDGE_EVENTS)[number];

/** Error codes a response may carry. */
export type BridgeErrorCode =
  /** More commands than the frame's token bucket allows (see RATE_PER_SECOND). */
  | 'rate-limited'
  /** A command this widget does not know (a newer host?). */
  | 'unknown-command'
  /** Arguments of the wrong number or type. */
  | 'invalid-arguments'
  /** The element threw. */
  | 'command-failed'
  /** Host side: no response within the timeout. */
  | 'timeout'
  /** Host side: the connection was closed before the response. */
  | 'closed';

export interface BridgeErrorInfo {
  code: string;
  message: string;
}

export type BridgeResult = { ok: true; result: unknown } | { ok: false; error: BridgeErrorInfo };

export interface CommandMessage {
  protocol: typeof BRIDGE_PROTOCOL;
  version: typeof BRIDGE_VERSION;
  type: 'command';
  requestId: string;
  /** Checked against BRIDGE_COMMANDS by the frame, so an unknown one can be answered `unknown-command`. */
  name: string;
  payload: { args: unknown[] };
}

export interface ResponseMessage {
  protocol: typeof BRIDGE_PROTOCOL;
  version: typeof BRIDGE_VERSION;
  type: 'response';
  requestId: string;
  name: string;
  payload: BridgeResult;
}

export interface EventMessage {
  protocol: typeof BRIDGE_PROTOCOL;
  version: typeof BRIDGE_VERSION;
  type: 'event';
  requestId: null;
  name: string;
  payload: unknown;
}

/** The frame asks its host's `resolveContact` (the only request a frame makes). */
export interface RequestMessage {
  protocol: typeof BRIDGE_PROTOCOL;
  version: typeof BRIDGE_VERSION;
  type: 'request';
  requestId: string;
  name: 'resolveContact';
  payload: { number: string; direction: 'inbound' | 'outbound' };
}

export type BridgeMessage = CommandMessage | ResponseMessage | EventMessage | RequestMessage;

/** Token bucket (src/shared/token-bucket.ts) for commands: a steady 20 a second, bursts of 40. */
export const RATE_PER_SECOND = 20;
export const RATE_BURST = 40;

/** Bounds on a message: characters in all its strings and keys, nesting, and collection sizes. */
export const MAX_MESSAGE_CHARS = 65_536;
const MAX_DEPTH = 8;
const MAX_ITEMS = 256;
const MAX_NODES = 2_048;
const MAX_ARGS = 4;

const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;
const NAME = /^[a-zA-Z][a-zA-Z-]{0,39}$/;

/** The bounds above, for the one budgeted walk of a whole message (src/shared/plain-data.ts). */
const MESSAGE_LIMITS: PlainDataLimits = {
  maxDepth: MAX_DEPTH,
  maxItems: MAX_ITEMS,
  maxChars: MAX_MESSAGE_CHARS,
  maxStringChars: MAX_MESSAGE_CHARS,
  maxNodes: MAX_NODES,
};

/** The envelope's fields, checked; null when it is not ours or not whole. */
function inEnvelope(data: unknown): Record<string, unknown> | null {
  if (!isRecord(data) || data.protocol !== BRIDGE_PROTOCOL || data.version !== BRIDGE_VERSION) return null;
  // Nothing but the six fields: an extra one is a sign of someone else's message, or of a probe.
  for (const key of Object.keys(data)) if (!ENVELOPE_KEYS.has(key)) return null;
  if (typeof data.name !== 'string' || !NAME.test(data.name)) return null;
  return isPlainData(data, MESSAGE_LIMITS) ? data : null;
}
const ENVELOPE_KEYS = new Set(['protocol', 'version', 'type', 'requestId', 'name', 'payload']);

/** A command, as the frame accepts it (the name is checked later, so it can be answered), or null. */
export function parseCommand(data: unknown): CommandMessage | null {
  const m = inEnvelope(data);
  if (!m || m.type !== 'command' || typeof m.requestId !== 'string' || !REQUEST_ID.test(m.requestId)) return null;
  const payload = m.payload;
  if (!isRecord(payload) || Object.keys(payload).some((k) => k !== 'args')) return null;
  const args = payload.args === undefined ? [] : payload.args;
  if (!Array.isArray(args) || args.length > MAX_ARGS) return null;
  return { protocol: BRIDGE_PROTOCOL, version: BRIDGE_VERSION, type: 'command', requestId: m.requestId, name: m.name as string, payload: { args } };
}

/** A response, an event or a lookup request, as the host accepts it, or null. */
export function parseFrameMessage(data: unknown): ResponseMessage | EventMessage | RequestMessage | null {
  // The one event that carries more than plain data: a recording's size-capped blob (src/core/recording/limits.ts).
  if (isRecord(data) && data.type === 'event' && data.name === RECORDING_EVENT) {
    const recording = data.payload;
    const m = isRecordingDetail(recording) ? inEnvelope({ ...data, payload: null }) : null;
    return m && m.requestId === null
      ? { protocol: BRIDGE_PROTOCOL, version: BRIDGE_VERSION, type: 'event', requestId: null, name: RECORDING_EVENT, payload: recording }
      : null;
  }
  const m = inEnvelope(data);
  if (!m) return null;
  if (m.type === 'request') {
    const p = m.payload;
    if (m.name !== 'resolveContact' || typeof m.requestId !== 'string' || !REQUEST_ID.test(m.requestId) || !isRecord(p)) return null;
    if (typeof p.number !== 'string' || p.number.length > 256 || (p.direction !== 'inbound' && p.direction !== 'outbound')) return null;
    return requestMessage(m.requestId, p.number, p.direction);
  }
  if (m.type === 'event') {
    if (m.requestId !== null || !/^[a-z][a-z-]{0,39}$/.test(m.name as string)) return null;
    return { protocol: BRIDGE_PROTOCOL, version: BRIDGE_VERSION, type: 'event', requestId: null, name: m.name as string, payload: m.payload ?? null };
  }
  if (m.type !== 'response' || typeof m.requestId !== 'string' || !REQUEST_ID.test(m.requestId)) return null;
  const p = m.payload;
  if (!isRecord(p)) return null;
  let payload: BridgeResult;
  if (p.ok === true && Object.keys(p).every((k) => k === 'ok' || k === 'result')) {
    payload = { ok: true, result: p.result ?? null };
  } else if (p.ok === false && isRecord(p.error) && typeof p.error.code === 'string' && NAME.test(p.error.code) && typeof p.error.message === 'string') {
    payload = { ok: false, error: { code: p.error.code, message: p.error.message.slice(0, 1000) } };
  } else return null;
  return { protocol: BRIDGE_PROTOCOL, version: BRIDGE_VERSION, type: 'response', requestId: m.requestId, name: m.name as string, payload };
}

/** The event whose detail holds a Blob, which crosses as it is (structured clone), not as JSON. */
export const RECORDING_EVENT = 'recording-available';

export function isBridgeCommand(name: string): name is BridgeCommandName {
  return (BRIDGE_COMMANDS as readonly string[]).includes(name);
}

export function commandMessage(requestId: string, name: string, args: unknown[]): CommandMessage {
  return { protocol: BRIDGE_PROTOCOL, version: BRIDGE_VERSION, type: 'command', requestId, name, payload: { args } };
}

export function responseMessage(requestId: string, name: string, payload: BridgeResult): ResponseMessage {
  return { protocol: BRIDGE_PROTOCOL, version: BRIDGE_VERSION, type: 'response', requestId, name, payload };
}

export function requestMessage(requestId: string, number: string, direction: 'inbound' | 'outbound'): RequestMessage {
  return { protocol: BRIDGE_PROTOCOL, version: BRIDGE_VERSION, type: 'request', requestId, name: 'resolveContact', payload: { number, direction } };
}

/** The host's answer to a lookup request, as the frame accepts it: `[requestId, contact]` (the contact still to check), or null. */
export function parseContactAnswer(data: unknown): [string, unknown] | null {
  const m = inEnvelope(data);
  if (!m || m.type !== 'response' || m.name !== 'resolveContact' || typeof m.requestId !== 'string' || !REQUEST_ID.test(m.requestId)) return null;
  return isRecord(m.payload) && m.payload.ok === true ? [m.requestId, m.payload.result ?? null] : null;
}

export function eventMessage(name: string, detail: unknown): EventMessage {
  return { protocol: BRIDGE_PROTOCOL, version: BRIDGE_VERSION, type: 'event', requestId: null, name, payload: detail };
}

// Origins and allow-lists: src/shared/origins.ts (one implementation for the bridge and the popup page).
