import { exactOrigin, HOST_ORIGINS_META, originAllowed, parseAllowList } from '../shared/origins.js';

// The popup's hosts come from HOST_ORIGINS_META, in the syntax of `bridge-origins`. Whoever serves
// the page fixes the list; nothing the opener writes (the URL, a message) can add to it.

export type HostChoice =
  /** The opener claimed a listed origin: the popup obeys it, and only it. */
  | { kind: 'host'; origin: string }
  /** The opener claimed an origin off the list: the popup refuses it and talks to no one. */
  | { kind: 'refused'; origin: string }
  /** No claim at all (the page opened by hand, or an origin that is not one). */
  | { kind: 'none' };

/**
 * Picks the host among the listed origins. `claimed` is what the opener wrote
 * in the fragment (or what a reload remembers); `list` is the meta tag's
 * content, null without the tag; without a usable list, the popup's own
 * origin is the only host.
 */
export function chooseHost(claimed: string | null, list: string | null, ownOrigin: string): HostChoice {
  if (!claimed) return { kind: 'none' };
  const origin = exactOrigin(claimed);
  // Not an origin: refused, so a garbled claim ends like a hostile one (never a fallback to the list).
  if (!origin) return { kind: 'refused', origin: claimed.slice(0, 200) };
  const { patterns } = parseAllowList(list);
  const listed = patterns.length > 0 ? originAllowed(origin, patterns) : origin === ownOrigin;
  return listed ? { kind: 'host', origin } : { kind: 'refused', origin };
}

/** The page's list, or null without the tag; invalid entries are reported on the console, once. */
export function readHostList(doc: Document): string | null {
  const meta = doc.querySelector<HTMLMetaElement>(`meta[name="${HOST_ORIGINS_META}"]`);
  if (!meta) return null;
  const { invalid } = parseAllowList(meta.content);
  if (invalid.length > 0)
    console.warn(`voice-widget: ignored in ${HOST_ORIGINS_META}: ${invalid.join(' ')} (origins as the browser writes them; http only on loopback)`);
  return meta.content;
}
