/**
 * Origins and allow-lists of origins: one syntax and one matcher for every
 * place that decides which page may drive the widget (the iframe bridge's
 * `bridge-origins`, the popup page's `voice-widget-host-origins` meta tag),
 * and one loopback rule for where plain http is tolerated. Browser code with
 * no imports; the node side uses it too, to check its configuration.
 */

/**
 * The meta tag, in the popup page as served, that lists the host pages the
 * popup obeys: `<meta name="voice-widget-host-origins" content="https://crm.example.com https://*.example.com">`.
 * Written by whoever serves the page (the node side can fill it in), read by the popup.
 */
export const HOST_ORIGINS_META = 'voice-widget-host-origins';

/** One entry of an allow-list: an exact origin, or every subdomain of a host (`*.` prefix). */
export interface OriginPattern {
  scheme: 'https:' | 'http:';
  /** The host, lower case; for a wildcard, the part after `*.`. */
  host: string;
  /** The port as URL gives it: '' for the scheme's default. */
  port: string;
  subdomains: boolean;
}

/** A placeholder label for the `*`, so URL can check the rest; it cannot occur in a host (not a valid label start). */
const STAR = 'x--wildcard--x';

/**
 * Loopback names and addresses (`localhost`, `*.localhost`, 127.0.0.0/8,
 * `[::1]`), where plain http cannot be overheard. `host` as URL's `hostname`.
 */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]';
}

/**
 * An allow-list entry, or null: `https://crm.example.com`, `http://127.0.0.1:8080`,
 * or `https://*.example.com[:port]` (subdomains only, never the bare domain).
 * Entries must be written as the browser writes origins: scheme, lower-case
 * host, port only when not the default; no path, no user, no trailing slash.
 * A wildcard needs at least two labels after it (no `*.com`) and is refused
 * on IP addresses. `http:` is accepted only on loopback.
 */
export function parseOriginPattern(entry: string): OriginPattern | null {
  const subdomains = entry.startsWith('https://*.') || entry.startsWith('http://*.');
  const text = subdomains ? entry.replace('*.', `${STAR}.`) : entry;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== text || text.includes('*')) return null;
  let host = url.hostname;
  // Plain http lets anyone on the network pose as the host (and place calls): loopback only, for development.
  if (url.protocol === 'http:' && !isLoopbackHost(subdomains ? host.slice(STAR.length + 1) : host)) return null;
  if (subdomains) {
    if (!host.startsWith(`${STAR}.`)) return null;
    host = host.slice(STAR.length + 1);
    if (host.split('.').length < 2 || /^[\d.]+$/.test(host) || host.includes(STAR)) return null;
  } else if (host.includes(STAR)) return null;
  return { scheme: url.protocol, host, port: url.port, subdomains };
}

/** Parses a space-separated allow-list; entries that are not valid are returned apart, to be reported. */
export function parseAllowList(value: string | null | undefined): { patterns: OriginPattern[]; invalid: string[] } {
  const patterns: OriginPattern[] = [];
  const invalid: string[] = [];
  for (const entry of String(value ?? '').split(/\s+/)) {
    if (entry === '') continue;
    const pattern = parseOriginPattern(entry);
    if (pattern) patterns.push(pattern);
    else invalid.push(entry);
  }
  return { patterns, invalid };
}

/**
 * Whether an origin (`MessageEvent.origin`, `location.ancestorOrigins`, an
 * opener's claim) is on the list. `null` (opaque origins: sandboxed frames,
 * data: URLs) never is.
 */
export function originAllowed(origin: string, patterns: readonly OriginPattern[]): boolean {
  if (typeof origin !== 'string' || origin === 'null' || patterns.length === 0) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // An origin is exactly scheme://host[:port]; anything else did not come from a browser.
  if (url.origin !== origin) return false;
  return patterns.some(
    (p) =>
      p.scheme === url.protocol &&
      p.port === url.port &&
      (p.subdomains ? url.hostname.endsWith(`.${p.host}`) && url.hostname.length > p.host.length + 1 : url.hostname === p.host),
  );
}

/** An exact origin (`scheme://host[:port]`, http or https), or null. */
export function exactOrigin(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value ? value : null;
  } catch {
    return null;
  }
}
