/**
 * The element's attributes read through the table (attributes.ts): the checks
 * of allowed values and URLs, the `Phone` configuration they set, and what
 * dialog mode forwards to the popup. The element's fields are read by the
 * names the table gives (`sip-server` → `sipServer`).
 */
import type { PhoneConfig } from '../core/phone.js';
import type { ErrorCode } from '../core/types.js';
import type { DialogConfig } from '../dialog/protocol.js';
import { defaultPopupUrl } from '../popup-url.js';
import { ATTRIBUTES, POPUP_ATTRIBUTES, popupValue, propertyOf, type AttributeRow } from './attributes.js';
import { safeUrl, type UrlUse } from '../shared/safe-url.js';

type Fail = (code: ErrorCode, message: string) => void;

/** ice-servers: JSON in the attribute; a string that is not JSON is kept so the core can report it. */
export const jsonConverter = {
  fromAttribute(value: string | null): unknown {
    if (value === null || value.trim() === '') return null;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  },
};

/**
 * Checks the properties `changed` names against their rows (a removed attribute means the default; a value not
 * allowed is reported, then the default) and returns the `Phone` configuration they set.
 */
export function applyAttributes(element: object, changed: (property: string) => boolean, fail: Fail): PhoneConfig {
  const fields = element as Record<string, unknown>;
  const config: Record<string, unknown> = {};
  for (const row of ATTRIBUTES as readonly AttributeRow[]) {
    const property = propertyOf(row.name);
    if (!changed(property)) continue;
    if (row.values) fields[property] = oneOf(row.name, fields[property] as string | null, row.values, fail);
    if (row.phone) config[row.phone] = fields[property];
  }
  return config as PhoneConfig;
}

/** What the popup's phone needs: the forwarded attributes (those `changed`), URLs checked and absolute (they resolve against this page). */
export function popupConfig(element: object, changed: (field: string) => boolean = () => true): DialogConfig {
  const fields = element as Record<string, unknown>;
  const config: Record<string, unknown> = {};
  for (const row of POPUP_ATTRIBUTES) {
    const field = row.popup === true ? propertyOf(row.name) : row.popup;
    if (changed(field)) config[row.name] = popupValue(row, fields[field]);
  }
  return config as DialogConfig;
}

/** A URL the element may use, or null (an unusable one is reported with `invalid-url`, and the default kept). */
export function checkedUrl(name: string, value: string | null, use: UrlUse, fail: Fail): string | null {
  if (value === null || value === undefined || String(value).trim() === '') return null;
  const url = safeUrl(String(value), use);
  if (url === null) {
    const allowed = use === 'link' ? 'an https: or http: URL' : 'an https: URL, a relative URL, or http: on localhost';
    fail('invalid-url', `${name} must be ${allowed}, got ${JSON.stringify(String(value).slice(0, 50))}`);
  }
  return url;
}

/** The popup page: `popup-url` when usable, else the one beside the script. */
export function popupHref(popupUrl: string | null): string {
  return (popupUrl && safeUrl(popupUrl, 'resource')) || defaultPopupUrl();
}

/** The value if allowed; null gives the default (the first); anything else is reported, then the default. */
function oneOf<T extends string>(name: string, value: T | null, allowed: readonly T[], fail: Fail): T {
  if (value === null || value === undefined) return allowed[0];
  if (allowed.includes(value)) return value;
  fail('invalid-attribute', `${name} must be ${allowed.join(' or ')}, got ${JSON.stringify(String(value).slice(0, 50))}`);
  return allowed[0];
}
