/**
 * Which URLs the element loads or links to. Stylesheets and logos: `https:`,
 * relative (resolved against the page), and `http:` only on loopback, where
 * development servers live. Links: `https:` or `http:`. Never `javascript:`,
 * `data:`, `blob:` or anything else.
 */

import { isLoopbackHost } from './origins.js';

export type UrlUse = 'resource' | 'link';

/** The absolute URL, or null when the value is not a URL this use accepts. */
export function safeUrl(value: string, use: UrlUse): string | null {
  let url: URL;
  try {
    url = new URL(value.trim(), document.baseURI);
  } catch {
    return null;
  }
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:' && (use === 'link' || isLoopbackHost(url.hostname))) return url.href;
  return null;
}
