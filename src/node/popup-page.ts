import { HOST_ORIGINS_META, parseAllowList } from '../shared/origins.js';

/**
 * The popup page's host list, checked: the same syntax as `bridge-origins`.
 * A list with an entry that is not an origin is refused whole (a typo would
 * otherwise lock out the app it meant to name, or fall back silently).
 */
export function checkPopupHosts(list: string): string {
  const { patterns, invalid } = parseAllowList(list);
  if (invalid.length > 0)
    throw new TypeError(`popup hosts (VOICE_WIDGET_POPUP_HOSTS): not origins as a browser writes them (or http off loopback): ${invalid.join(' ')}`);
  if (patterns.length === 0) throw new TypeError('popup hosts (VOICE_WIDGET_POPUP_HOSTS): the list is empty');
  return list.trim().split(/\s+/).join(' ');
}

/** The popup page with its host list as a meta tag, first in <head> after the charset (the first such tag is the one read). */
export function withPopupHosts(html: string, list: string): string {
  const tag = `<meta name="${HOST_ORIGINS_META}" content="${checkPopupHosts(list).replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}" />`;
  const charset = /<meta charset="[^"]*"\s*\/?>/i.exec(html);
  const at = charset ? charset.index + charset[0].length : html.search(/<head[^>]*>/i) + (/<head[^>]*>/i.exec(html)?.[0].length ?? 0);
  return `${html.slice(0, at)}\n    ${tag}${html.slice(at)}`;
}
