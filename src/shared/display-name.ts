/**
 * Names from the network (SIP display names, token claims) as plain, short,
 * single-line text: control characters and bidirectional overrides removed
 * (they can disguise a caller as someone else), whitespace collapsed, and at
 * most MAX_NAME code points. Lit renders text, never markup, so this is about
 * what the text looks like, not about script.
 */
export const MAX_NAME = 64;

// C0 and C1 controls, DEL, and the bidi embeddings, overrides, isolates and marks.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `max`: the most code points kept (MAX_NAME; a contact's detail line takes more). */
export function cleanDisplayName(value: unknown, max = MAX_NAME): string {
  if (typeof value !== 'string') return '';
  // Cut before cleaning too: a megabyte of name is not worth scanning.
  const cleaned = value
    .slice(0, max * 8)
    .replace(INVISIBLE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...cleaned];
  return chars.length > max
    ? `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`
    : cleaned;
}
