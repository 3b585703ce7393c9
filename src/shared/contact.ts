/**
 * Caller lookup (`resolveContact`): what the host's hook may answer, checked
 * the same way wherever it comes from (the hook itself, the dialog host, the
 * iframe bridge's parent, stored history). The hook is the host's code: it may
 * throw, hang or answer junk, and none of that may hold up a call.
 */
import { cleanDisplayName } from './display-name.js';
import { isRecord } from './plain-data.js';
import { safeUrl } from './safe-url.js';

/** Who a number is, as the host's CRM knows it. */
export interface Contact {
  /** Shown instead of the number (at most 64 characters, one line). */
  name: string;
  /** A second line: a company, an account (at most 120 characters). */
  detail?: string;
  /** A picture, shown as an `<img>` under `custom-logo`'s URL rule (https:, relative, or http: on loopback). */
  avatarUrl?: string;
  /** The contact's page in the CRM (https: or http:), opened in a new tab with noopener. */
  url?: string;
}

export type ContactDirection = 'inbound' | 'outbound';

/** The host's hook: a contact, or null/undefined when the number is unknown; sync or async. */
export type ResolveContact = (number: string, direction: ContactDirection) => Contact | null | undefined | Promise<Contact | null | undefined>;

/** How long a lookup may take before the call goes on showing the number. */
export const CONTACT_TIMEOUT_MS = 2_000;
const MAX_DETAIL = 120;
const MAX_URL = 2_048;

/** The hook's answer as a contact, or null: anything not a plain object with a name is no contact; bad optional fields are dropped. */
export function toContact(value: unknown): Contact | null {
  if (!isRecord(value)) return null;
  const name = cleanDisplayName(value.name);
  if (!name) return null;
  const contact: Contact = { name };
  const detail = cleanDisplayName(value.detail, MAX_DETAIL);
  if (detail) contact.detail = detail;
  const avatarUrl = url(value.avatarUrl, 'resource');
  if (avatarUrl) contact.avatarUrl = avatarUrl;
  const link = url(value.url, 'link');
  if (link) contact.url = link;
  return contact;
}

function url(value: unknown, use: 'resource' | 'link'): string | null {
  if (typeof value !== 'string' || value.length > MAX_URL) return null;
  const checked = safeUrl(value, use);
  return checked && checked.length <= MAX_URL ? checked : null;
}

/**
 * Asks the hook, within `timeout` ms: a checked contact, null (unknown, or junk), or undefined when it gave no
 * answer (threw, rejected, too slow), which is not worth remembering. Never rejects.
 */
export function askHook(hook: ResolveContact, number: string, direction: ContactDirection, timeout = CONTACT_TIMEOUT_MS): Promise<Contact | null | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeout);
    const done = (value: Contact | null | undefined) => {
      clearTimeout(timer);
      resolve(value);
    };
    // In a task of its own: the call rings and shows its number before the host's code runs (a slow synchronous hook too).
    setTimeout(() => {
      try {
        Promise.resolve(hook(number, direction)).then(
          (value) => done(toContact(value)),
          () => done(undefined),
        );
      } catch {
        done(undefined);
      }
    });
  });
}
