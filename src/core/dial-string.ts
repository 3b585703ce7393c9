import { SIP_USER } from '../shared/token-claims.js';

/**
 * The dial-string rule. Accepted:
 * - a phone number: optional leading `+`, digits, `*`, `#`; spaces and `-().` are removed;
 * - a SIP user part: `[A-Za-z0-9._~+-]{1,64}`;
 * - `sip:user@<domain>` where domain is the token's SIP domain.
 * Returns the normalised user part, or null when the input is none of these.
 */
export function normalizeDialString(input: unknown, domain: string): string | null {
  if (typeof input !== 'string') return null;
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 256) return null;

  const sip = /^sip:([^@\s]+)@([^@\s;?>]+)$/i.exec(trimmed);
  if (sip) {
    const [, user, host] = sip;
    return host.toLowerCase() === domain.toLowerCase() && SIP_USER.test(user) ? user : null;
  }

  const phone = trimmed.replace(/[ \-().]/g, '');
  if (/^\+?[0-9*#]+$/.test(phone) && phone.length <= 64 && /[0-9*#]/.test(phone)) return phone;

  return SIP_USER.test(trimmed) && /[A-Za-z0-9]/.test(trimmed) ? trimmed : null;
}

/** Valid DTMF digits, as the keypad and `sendDtmf` accept them. */
export const DTMF_DIGITS = /^[0-9A-Da-d*#]+$/;
