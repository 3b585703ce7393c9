/**
 * The messages between the tabs of one user and server on their
 * BroadcastChannel (multi-tab="shared"). Every message is validated on
 * arrival against these shapes; anything else is dropped and counted.
 *
 *   leader → all:    beat | state {snapshot} | event {name, detail, handler} | token {token}
 *   follower → all:  hello | bye | ping | command {to, name, args} | token {token}
 *
 * `from` is the sending tab's id; a leader's id is believed only once the
 * Web Locks held in the browser show that tab holding the leader lock
 * (src/multi-tab/tab-link.ts), so a page that only posts cannot pose as one.
 */
import { isPlainData, isRecord, type PlainDataLimits } from '../shared/plain-data.js';
import { POPUP_COMMANDS } from '../bridge/protocol.js';
import type { PhoneSnapshot } from '../element/phone-context.js';

export const PROTOCOL = 'voice-widget-tabs';
export const VERSION = 1;

/** The commands a follower may run in the leader's tab (those a popup runs: the command table's `popup` rows). */
export const TAB_COMMANDS = POPUP_COMMANDS;
export type TabCommand = (typeof TAB_COMMANDS)[number];

/** A snapshot as it crosses tabs: `connectedAt` on the epoch clock (performance.now() differs per tab). */
export type MirroredSnapshot = PhoneSnapshot;

export type TabMessage =
  | { type: 'beat' | 'hello' | 'bye' | 'ping'; from: string }
  | { type: 'state'; from: string; snapshot: MirroredSnapshot }
  | { type: 'event'; from: string; name: string; detail: unknown; handler: string | null }
  | { type: 'command'; from: string; to: string; name: TabCommand; args: unknown[] }
  | { type: 'token'; from: string; token: string };

type Body = TabMessage extends infer M ? (M extends TabMessage ? Omit<M, 'from'> : never) : never;

/** A tab's id: a UUID. */
const TAB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EVENT_NAME = /^[a-z][a-z-]{0,39}$/;
/** A widget token: three base64url parts. */
const TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TOKEN = 8_192;

const DETAIL_LIMITS: PlainDataLimits = { maxDepth: 6, maxItems: 64, maxStringChars: 16_384, maxChars: 65_536, maxNodes: 2_048 };
/** A snapshot carries up to 50 history entries. */
const SNAPSHOT_LIMITS: PlainDataLimits = { maxDepth: 6, maxItems: 64, maxStringChars: 16_384, maxChars: 262_144, maxNodes: 8_192 };

/** Wraps a message in the envelope. */
export function envelope(from: string, body: Body): TabMessage & { protocol: string; version: number } {
  return { protocol: PROTOCOL, version: VERSION, from, ...body } as TabMessage & { protocol: string; version: number };
}

export const isTabId = (v: unknown): v is string => typeof v === 'string' && TAB_ID.test(v);

const isCall = (v: unknown) =>
  v === null ||
  (isRecord(v) &&
    typeof v.id === 'string' &&
    typeof v.state === 'string' &&
    typeof v.direction === 'string' &&
    typeof v.number === 'string' &&
    isRecord(v.remote) &&
    (v.connectedAt === null || typeof v.connectedAt === 'number') &&
    typeof v.muted === 'boolean' &&
    isRecord(v.held) &&
    Array.isArray(v.warnings));

/** The fields the panel reads, of their types, within bounds. */
export function isMirroredSnapshot(v: unknown): v is MirroredSnapshot {
  return (
    isRecord(v) &&
    isPlainData(v, SNAPSHOT_LIMITS) &&
    typeof v.state === 'string' &&
    typeof v.phoneState === 'string' &&
    typeof v.registrationState === 'string' &&
    typeof v.ready === 'boolean' &&
    (v.identity === null || isRecord(v.identity)) &&
    isCall(v.call) &&
    isCall(v.waiting) &&
    Array.isArray(v.history) &&
    typeof v.missed === 'number' &&
    Array.isArray(v.callerIds) &&
    typeof v.audioBlocked === 'boolean' &&
    isRecord(v.audioDevices) &&
    typeof v.dnd === 'boolean' &&
    isRecord(v.volumes)
  );
}

/** A valid message, or null. */
export function parseTabMessage(data: unknown): TabMessage | null {
  if (!isRecord(data) || data.protocol !== PROTOCOL || data.version !== VERSION || !isTabId(data.from)) return null;
  const from = data.from;
  switch (data.type) {
    case 'beat':
    case 'hello':
    case 'bye':
    case 'ping':
      return { type: data.type, from };
    case 'state':
      return isMirroredSnapshot(data.snapshot) ? { type: 'state', from, snapshot: data.snapshot } : null;
    case 'event':
      return typeof data.name === 'string' &&
        EVENT_NAME.test(data.name) &&
        isPlainData(data.detail, DETAIL_LIMITS) &&
        (data.handler === null || isTabId(data.handler))
        ? { type: 'event', from, name: data.name, detail: data.detail, handler: data.handler }
        : null;
    case 'command':
      return isTabId(data.to) &&
        (TAB_COMMANDS as readonly unknown[]).includes(data.name) &&
        Array.isArray(data.args) &&
        data.args.length <= 4 &&
        isPlainData(data.args, DETAIL_LIMITS)
        ? { type: 'command', from, to: data.to, name: data.name as TabCommand, args: data.args }
        : null;
    case 'token':
      return typeof data.token === 'string' && data.token.length <= MAX_TOKEN && TOKEN.test(data.token) ? { type: 'token', from, token: data.token } : null;
    default:
      return null;
  }
}
