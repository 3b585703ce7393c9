/**
 * The element's attributes, one row each: the one list that the popup's
 * configuration (dialog mode), the script tag's `data-*` names, the options of
 * `createVoiceWidget` and the `Phone` configuration are derived from. Adding an
 * attribute: its JSDoc `@attr` line, its `@property`, and a row here
 * (test/unit/attributes.test.ts checks the rows against custom-elements.json).
 */
import type { PhoneConfig } from '../core/phone.js';
import { REFER_POLICIES } from '../core/transfer-request.js';
import { AUTO_ANSWER_MODES, DND_RESPONSES } from '../core/phone/incoming-policy.js';
import { RECORDING_POLICIES } from '../core/recording/limits.js';

/** How a value is read: text, a flag, a number, a JSON array (the attribute's text), or an object (property only). */
export type AttributeType = 'string' | 'boolean' | 'number' | 'array' | 'object';

export interface AttributeRow {
  /**
   * The attribute's name; also its key in the popup's configuration and, as `data-<name>`, on the script tag.
   * The property is its camelCase (`sip-server` → `sipServer`).
   */
  readonly name: string;
  readonly type: AttributeType;
  /** A property without an attribute (`strings`). */
  readonly attribute?: false;
  /** The allowed values, the default first: anything else is reported (`invalid-attribute`), then the default used. */
  readonly values?: readonly string[];
  /** Dialog mode: forwarded to the popup; a field's name when the element forwards a checked value (`logoUrl`). */
  readonly popup?: true | string;
  /** A credential: the popup sets it as a property, never as an attribute in its DOM. */
  readonly secret?: true;
  /** The `Phone` configuration field it sets. */
  readonly phone?: keyof PhoneConfig;
  /** The script tag's `data-<name>` sets it (the one-line embed). */
  readonly data?: true;
  /** `createVoiceWidget({[property]: …})` sets it. */
  readonly option?: true;
}

export const ATTRIBUTES = [
  { name: 'token', type: 'string', popup: true, secret: true, phone: 'token', data: true, option: true },
  { name: 'sip-server', type: 'string', popup: true, phone: 'server', data: true, option: true },
  { name: 'mode', type: 'string', values: ['spa', 'dialog'], data: true, option: true },
  { name: 'popup-url', type: 'string', data: true, option: true },
  { name: 'popup-width', type: 'number', data: true, option: true },
  { name: 'popup-height', type: 'number', data: true, option: true },
  { name: 'hide-launcher', type: 'boolean', data: true, option: true },
  { name: 'custom-logo', type: 'string', popup: 'logoUrl', data: true, option: true },
  { name: 'custom-link', type: 'string', popup: 'linkUrl', data: true, option: true },
  { name: 'hide-logo', type: 'boolean', popup: true, data: true, option: true },
  { name: 'custom-styles', type: 'string', popup: 'stylesUrl', data: true, option: true },
  { name: 'ringtone', type: 'string', popup: 'ringtoneUrl', data: true, option: true },
  { name: 'theme', type: 'string', values: ['light', 'dark', 'auto'], popup: true, data: true, option: true },
  { name: 'lang', type: 'string', popup: 'language', data: true, option: true },
  { name: 'window-title', type: 'string', popup: true, data: true, option: true },
  { name: 'dtmf-mode', type: 'string', values: ['info', 'rfc2833'], popup: true, phone: 'dtmfMode', data: true, option: true },
  { name: 'ice-servers', type: 'array', popup: true, phone: 'iceServers', data: true, option: true },
  {
    name: 'ice-transport-policy',
    type: 'string',
    values: ['all', 'relay'],
    popup: true,
    phone: 'iceTransportPolicy',
    data: true,
    option: true,
  },
  { name: 'busy-policy', type: 'string', values: ['wait', 'reject'], popup: true, phone: 'busyPolicy', data: true, option: true },
  { name: 'refer-policy', type: 'string', values: REFER_POLICIES, popup: true, phone: 'referPolicy', data: true, option: true },
  { name: 'dnd', type: 'boolean', popup: true, phone: 'dnd', data: true, option: true },
  { name: 'dnd-response', type: 'string', values: DND_RESPONSES, popup: true, phone: 'dndResponse', data: true, option: true },
  { name: 'auto-answer', type: 'string', values: AUTO_ANSWER_MODES, popup: true, phone: 'autoAnswer', data: true, option: true },
  { name: 'auto-answer-delay', type: 'number', popup: true, phone: 'autoAnswerDelay', data: true, option: true },
  { name: 'recording', type: 'string', values: RECORDING_POLICIES, popup: true, phone: 'recording', data: true, option: true },
  { name: 'open', type: 'boolean' },
  { name: 'floating', type: 'boolean' },
  { name: 'click-to-call', type: 'boolean', data: true, option: true },
  { name: 'bridge-origins', type: 'string', data: true },
  { name: 'multi-tab', type: 'string', values: ['shared', 'off'], data: true, option: true },
  { name: 'strings', type: 'object', attribute: false, popup: true, option: true },
  { name: 'quality-thresholds', type: 'object', attribute: false, popup: true, phone: 'qualityThresholds', option: true },
  { name: 'noise-suppression', type: 'string', values: ['on', 'off'], popup: true, phone: 'noiseSuppression', data: true, option: true },
  { name: 'echo-cancellation', type: 'string', values: ['on', 'off'], popup: true, phone: 'echoCancellation', data: true, option: true },
  { name: 'auto-gain-control', type: 'string', values: ['on', 'off'], popup: true, phone: 'autoGainControl', data: true, option: true },
  // A function cannot cross to a popup or a frame: in-page mode only (no `popup`).
  { name: 'audio-processor', type: 'object', attribute: false, phone: 'audioProcessor', option: true },
  // A function too: dialog mode and the bridge ask the host by message instead (`contact-lookup`); the delegate sets it.
  { name: 'resolve-contact', type: 'object', attribute: false, phone: 'resolveContact' },
] as const satisfies readonly AttributeRow[];

type Row = (typeof ATTRIBUTES)[number];

/** `sip-server` → `sipServer`: an attribute's property. */
export type Camel<S extends string> = S extends `${infer A}-${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
export const propertyOf = <S extends string>(name: S): Camel<S> => name.replace(/-(.)/g, (_, c: string) => c.toUpperCase()) as Camel<S>;

/** The rows dialog mode forwards to the popup. */
export const POPUP_ATTRIBUTES: ReadonlyArray<Extract<Row, { popup: unknown }>> = ATTRIBUTES.filter((row: AttributeRow) => row.popup !== undefined) as never;

/** What a forwarded value is in the popup's configuration: attribute text, a flag, a number, or an object. */
type PopupValue<T extends AttributeType> = T extends 'boolean'
  ? boolean
  : T extends 'object'
    ? Record<string, unknown> | null
    : T extends 'number'
      ? number | null
      : string | null;

/** The configuration the popup gets: each forwarded attribute by name. */
export type PopupAttributes = { [R in Extract<Row, { popup: unknown }> as R['name']]?: PopupValue<R['type']> };

/** The row of a popup configuration key, or undefined. */
export function popupRow(name: string): AttributeRow | undefined {
  return (POPUP_ATTRIBUTES as readonly AttributeRow[]).find((row) => row.name === name);
}

/** A value as the popup gets it: the element's value, a JSON array as its text. */
export function popupValue(row: AttributeRow, value: unknown): unknown {
  if (row.type === 'boolean') return value === true;
  if (value === undefined || value === null) return null;
  return row.type === 'array' ? JSON.stringify(value) : value;
}

/** The `createVoiceWidget` options the table gives: each row's property, typed as the element's. */
export type AttributeOptions<E> = {
  [R in Extract<Row, { option: true }> as Camel<R['name']>]?: Camel<R['name']> extends keyof E ? NonNullable<E[Camel<R['name']>]> : never;
};
