/**
 * Which pages may open a WebSocket to the embedded SIP server, judged on the
 * handshake's `Origin` (WebSockets are not covered by CORS: without this, any
 * website the user visits could connect to a server on 127.0.0.1).
 *
 * Entries: `loopback` (http or https on localhost, *.localhost, 127.0.0.0/8
 * or [::1], any port), an exact origin (`https://app.example.com`,
 * `http://127.0.0.1:8080`), `https://*.example.com` (its subdomains, any
 * depth, not the bare domain), or `*` (any origin: the check is off).
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
    const url = asOrigin(origin);
    return url !== null && rules.some((rule) => rule(url));
  };
}

/** Splits `VOICE_WIDGET_SIP_ORIGINS`-style text (spaces or commas) into entries. */
export function parseOriginList(text: string): string[] {
  return text.split(/[\s,]+/).filter((entry) => entry !== '');
}

type Rule = (origin: URL) => boolean;

function parseEntry(entry: string): Rule {
  if (entry === '*') return () => true;
  if (entry === LOOPBACK) return (url) => isLoopbackHost(url.hostname);
  const wildcard = /^(https?):\/\/\*\.([^/:]+)(:\d+)?$/.exec(entry);
  if (wildcard) {
    const base = asOrigin(`${wildcard[1]}://${wildcard[2]}${wildcard[3] ?? ''}`);
    if (!base || base.hostname.split('.').length < 2) throw new TypeError(`SipServer: allowed origin ${JSON.stringify(entry)} is not a valid wildcard`);
    return (url) => url.protocol === base.protocol && url.port === base.port && url.hostname.endsWith(`.${base.hostname}`);
  }
  const exact = asOrigin(entry);
  if (!exact) throw new TypeError(`SipServer: allowed origin ${JSON.stringify(entry)} is not an origin (scheme://host[:port]), "loopback" or "*"`);
  return (url) => url.origin === exact.origin;
}

/** An http(s) origin exactly as a browser writes it, or null. */
function asOrigin(text: string): URL | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.origin === text.toLowerCase() ? url : null;
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]';
}
