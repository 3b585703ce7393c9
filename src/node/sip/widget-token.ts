import { WIDGET_TOKEN_HEADER } from '../../shared/protocol.js';
import type { SipMessage } from './message.js';

// The header's first line, with any folded continuation lines, up to the end of the headers.
const HEADER_LINE = new RegExp(`\\r\\n${WIDGET_TOKEN_HEADER}[ \\t]*:((?:[^\\r\\n]|\\r\\n[ \\t])*)`, 'i');

/**
 * The widget token exactly as the REGISTER carries it. SIP's own whitespace
 * (SP, HTAB) around a header value is syntax and is dropped; anything else
 * stays, so verifyToken refuses it. (JsSIP's parser trims every kind of
 * Unicode whitespace, so the raw message is read again.)
 */
export function sentToken(msg: SipMessage): string | undefined {
  if (msg.get(WIDGET_TOKEN_HEADER) === undefined) return undefined;
  const raw = msg.parsed.data ?? '';
  const end = raw.indexOf('\r\n\r\n');
  const match = HEADER_LINE.exec(end < 0 ? raw : raw.slice(0, end + 2));
  // Not found again only if the raw text is missing: no token then.
  return match?.[1].replace(/^[ \t]+|[ \t]+$/g, '');
}
