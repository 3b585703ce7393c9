import { exactOrigin, isLoopbackHost, originAllowed, parseOriginPattern } from '../../shared/origins.js';

/**
 * Which pages may open a WebSocket to the embedded SIP server, judged on the
 * handshake's `Origin` (WebSockets are not covered by CORS: without this, any
 * website the user visits could connect to a server on 127.0.0.1).
 *
 * Entries: `loopback` (http or https on localhost, *.localhost, 127.0.0.0/8
 * or [::1], any port), an exact origin (`https://app.example.com`,
 * `http://127.0.0.1:8080`; plain http only on loopback), `https://*.example.com`
 * (its subdomains, any depth, not the bare domain), or `*` (any origin: the
 * check is off). The syntax and matcher are `bridge-origins`' (src/shared/origins.ts).
 */
export const LOOPBACK = 'loopback';

export type OriginCheck = (origin: string | undefined) => boolean;

/** The default: pages served from this machine only. */
export const DEFAULT_ALLOWED_ORIGINS: readonly string[] = Object.freeze([LOOPBACK]);

/**
 * A predicate for an allow-list; throws a TypeError naming an entry it cannot read.
 * `allowNoOrigin` decides for handshakes without an Origin header, which
 * browsers always send: only other programs (baresip, scripts) omit it.
 */
export function originCheck(entries: readonly string[], allowNoOrigin: boolean): OriginCheck {
  const rules = entries.map(parseEntry);
  return (origin) => {
    if (origin === undefined) return allowNoOrigin;
    return rules.some((rule) => rule(origin));
  };
}

/** Splits `VOICE_WIDGET_SIP_ORIGINS`-style text (spaces or commas) into entries. */
export function parseOriginList(text: string): string[] {
  return text.split(/[\s,]+/).filter((entry) => entry !== '');
}

type Rule = (origin: string) => boolean;

// Exact and `*.` entries use the matcher of `bridge-origins` and the popup's host list (one implementation).
function parseEntry(entry: string): Rule {
  if (entry === '*') return () => true;
  if (entry === LOOPBACK) return (origin) => exactOrigin(origin) !== null && isLoopbackHost(new URL(origin).hostname);
  const pattern = parseOriginPattern(entry);
  if (!pattern) {
    throw new TypeError(
      `SipServer: allowed origin ${JSON.stringify(entry)} is not an origin (scheme://host[:port], https:// off loopback, *. for subdomains), "loopback" or "*"`,
    );
  }
  return (origin) => originAllowed(origin, [pattern]);
}
