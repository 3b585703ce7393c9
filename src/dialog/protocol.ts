/**
 * The messages between a host page's `<voice-widget mode="dialog">` and its
 * popup phone. Every message is validated on arrival against these shapes;
 * anything else is dropped without a word (a reply would help a prober).
 *
 *   popup → host: redeem {token} | hello | attached {snapshot} | event {name, detail, snapshot} | snapshot {snapshot}
 *                 | contact-request {id, number, direction} | bye
 *   host → popup: config {config} | command {name, args} | update {config} | contact {id, contact} | detach
 *
 * Commands are fire-and-forget: their outcomes arrive as events, which the
 * host's UI follows like the popup's does.
 */
import type { QualitySample } from '../core/quality/stats-sample.js';
import { isPlainData, isRecord, type PlainDataLimits } from '../shared/plain-data.js';
import { POPUP_COMMANDS } from '../bridge/protocol.js';
import { isRecordingDetail } from '../core/recording/limits.js';
import { POPUP_ATTRIBUTES, popupRow, type PopupAttributes } from '../element/attributes.js';
import { toContact, type Contact, type ContactDirection } from '../shared/contact.js';

/** Marks our messages among everything else a page may receive. */
export const PROTOCOL = 'voice-widget-dialog';
export const VERSION = 1;

/** The popup window's name: one popup per browser, found again by this name. */
export const POPUP_NAME = 'voice-widget-dialog';

/** A config token's life: the popup redeems it at once, or never. */
export const CONFIG_TOKEN_TTL_MS = 60_000;

/** What the host element forwards to the popup: the forwarded attributes' values (and `strings`), never functions. */
export type DialogConfig = PopupAttributes & {
  /** A number to put in the dial field. */
  number?: string | null;
  /** The host element has a `resolveContact` hook: the popup asks it by `contact-request` (a function cannot cross). */
  'contact-lookup'?: boolean;
};

export const CONFIG_KEYS: ReadonlyArray<keyof DialogConfig> = [...POPUP_ATTRIBUTES.map((row) => row.name), 'number', 'contact-lookup'];

/** The host's mirror of the popup's phone. */
export interface DialogSnapshot {
  state: string;
  ready: boolean;
  registrationState: string;
  muted: boolean;
  onHold: boolean;
  calls: Array<{ id: string; state: string; direction: string; number: string; name: string }>;
  /** The live calls' latest quality samples, by call id (`getCallStats`). */
  callStats: Record<string, QualitySample>;
  /** The popup's do-not-disturb and volumes (the host element's `dnd` and `volumes` follow them). */
  dnd?: boolean;
  volumes?: { ring: number; call: number };
}

/** Methods of the element a host may run in its popup. */
export const COMMANDS = POPUP_COMMANDS;
export type Command = (typeof COMMANDS)[number];

export type PopupMessage =
  | { type: 'redeem'; token: string }
  | { type: 'hello' }
  | { type: 'attached'; snapshot: DialogSnapshot }
  | { type: 'event'; name: string; detail: unknown; snapshot: DialogSnapshot }
  /** A call's quality was sampled (each second): the mirror catches up without an event. */
  | { type: 'snapshot'; snapshot: DialogSnapshot }
  /** Caller lookup: the popup's phone asks the host's `resolveContact` (answered by `contact`, or timed out). */
  | { type: 'contact-request'; id: string; number: string; direction: ContactDirection }
  | { type: 'bye' };

export type HostMessage =
  | { type: 'config'; config: DialogConfig }
  | { type: 'command'; name: Command; args: unknown[] }
  | { type: 'update'; config: DialogConfig }
  /** The host's answer to `contact-request` `id`: a checked contact, or null. */
  | { type: 'contact'; id: string; contact: Contact | null }
  | { type: 'detach' };

/** Wraps a message in the envelope. */
export function envelope<T extends { type: string }>(message: T): T & { protocol: string; version: number } {
  return { protocol: PROTOCOL, version: VERSION, ...message };
}

const MAX_STRING = 16_384;
const EVENT_NAME = /^[a-z][a-z-]{0,39}$/;
const TOKEN = /^[A-Za-z0-9_-]{22,64}$/;
const REQUEST_ID = /^[A-Za-z0-9_-]{1,32}$/;
const MAX_NUMBER = 256;

/** JSON-like data within bounds: what details, results and strings may carry (src/shared/plain-data.ts). */
const DATA_LIMITS: PlainDataLimits = { maxDepth: 6, maxItems: 64, maxStringChars: MAX_STRING, maxChars: 65_536, maxNodes: 2_048 };
const isData = (value: unknown) => isPlainData(value, DATA_LIMITS);

const optionalString = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.length <= MAX_STRING);

const isLevel = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;

function isSnapshot(v: unknown): v is DialogSnapshot {
  return (
    isRecord(v) &&
    typeof v.state === 'string' &&
    typeof v.ready === 'boolean' &&
    typeof v.registrationState === 'string' &&
    typeof v.muted === 'boolean' &&
    typeof v.onHold === 'boolean' &&
    Array.isArray(v.calls) &&
    v.calls.length <= 8 &&
    isData(v.calls) &&
    isRecord(v.callStats) &&
    Object.keys(v.callStats).length <= 8 &&
    isData(v.callStats) &&
    (v.dnd === undefined || typeof v.dnd === 'boolean') &&
    (v.volumes === undefined || (isRecord(v.volumes) && isLevel(v.volumes.ring) && isLevel(v.volumes.call)))
  );
}

export function isConfig(v: unknown): v is DialogConfig {
  if (!isRecord(v)) return false;
  for (const [key, value] of Object.entries(v)) {
    const type = key === 'contact-lookup' ? 'boolean' : (popupRow(key)?.type ?? 'string');
    if (!(CONFIG_KEYS as readonly string[]).includes(key) || !isConfigValue(type, value)) return false;
  }
  return true;
}

/** A forwarded value of its attribute's type (src/element/attributes.ts). */
function isConfigValue(type: string, value: unknown): boolean {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return value === null || (isRecord(value) && isData(value));
    case 'number':
      return value === null || value === undefined || (typeof value === 'number' && Number.isFinite(value));
    default:
      return optionalString(value);
  }
}

function inEnvelope(data: unknown): Record<string, unknown> | null {
  if (!isRecord(data) || data.protocol !== PROTOCOL || data.version !== VERSION || typeof data.type !== 'string') return null;
  return data;
}

/** A valid message from a popup, or null. */
export function parsePopupMessage(data: unknown): PopupMessage | null {
  const m = inEnvelope(data);
  if (!m) return null;
  switch (m.type) {
    case 'redeem':
      return typeof m.token === 'string' && TOKEN.test(m.token) ? { type: 'redeem', token: m.token } : null;
    case 'hello':
    case 'bye':
      return { type: m.type };
    case 'attached':
    case 'snapshot':
      return isSnapshot(m.snapshot) ? { type: m.type, snapshot: m.snapshot } : null;
    case 'event':
      // Plain data, but for a recording's blob (size-capped: src/core/recording/limits.ts).
      return typeof m.name === 'string' &&
        EVENT_NAME.test(m.name) &&
        (m.name === 'recording-available' ? isRecordingDetail(m.detail) : isData(m.detail)) &&
        isSnapshot(m.snapshot)
        ? { type: 'event', name: m.name, detail: m.detail, snapshot: m.snapshot }
        : null;
    case 'contact-request':
      return typeof m.id === 'string' &&
        REQUEST_ID.test(m.id) &&
        typeof m.number === 'string' &&
        m.number.length <= MAX_NUMBER &&
        (m.direction === 'inbound' || m.direction === 'outbound')
        ? { type: 'contact-request', id: m.id, number: m.number, direction: m.direction }
        : null;
    default:
      return null;
  }
}

/** A valid message from a host, or null. */
export function parseHostMessage(data: unknown): HostMessage | null {
  const m = inEnvelope(data);
  if (!m) return null;
  switch (m.type) {
    case 'config':
    case 'update':
      return isConfig(m.config) ? { type: m.type, config: m.config } : null;
    case 'command':
      return (COMMANDS as readonly string[]).includes(m.name as string) && Array.isArray(m.args) && m.args.length <= 4 && isData(m.args)
        ? { type: 'command', name: m.name as Command, args: m.args }
        : null;
    case 'contact':
      // A contact that is not one is no contact; the call goes on with the number.
      return typeof m.id === 'string' && REQUEST_ID.test(m.id) ? { type: 'contact', id: m.id, contact: toContact(m.contact) } : null;
    case 'detach':
      return { type: 'detach' };
    default:
      return null;
  }
}

/** A random config token: 128 bits, base64url. */
export function newConfigToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
