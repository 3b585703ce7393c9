import { createReadStream } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { checkPopupHosts, withPopupHosts } from './popup-page.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
};

/** The popup page of dialog mode, served with headers of its own. */
export const POPUP_PAGE = 'voice-widget-popup.html';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export interface StaticOptions {
  /**
   * The host pages the popup page obeys (`bridge-origins` syntax), served in
   * its `voice-widget-host-origins` meta tag. Unset: the page as built, whose
   * popup obeys its own origin only.
   */
  popupHosts?: string;
}

/**
 * Serves files under `root` (GET and HEAD), but only below the URL prefixes
 * in `allow` (e.g. `/demo/`, `/dist/`): a repository root also holds state
 * and secrets that must never be served. Only known file types; no path
 * segment may start with a dot; the real path, symlinks resolved, must stay
 * under root. Never caches, so a rebuilt bundle is picked up at once.
 * Resolves false for what it does not serve.
 */
export function createStaticHandler(root: string, allow: readonly string[], options: StaticOptions = {}): RequestHandler {
  const rootReal = realpath(path.resolve(root));
  // Checked now: a mistyped list stops the server at start, not the first popup.
  const popupHosts = options.popupHosts === undefined ? undefined : checkPopupHosts(options.popupHosts);
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return false;
    }
    if (rel.includes('\0') || rel.includes('\\')) return false;
    if (!allow.some((prefix) => rel.startsWith(prefix))) return false;
    if (rel.split('/').some((segment) => segment.startsWith('.'))) return false;
    if (rel.endsWith('/')) rel += 'index.html';
    const type = TYPES[path.extname(rel).toLowerCase()];
    if (!type) return false;
    const base = await rootReal;
    let file: string;
    try {
      file = await realpath(path.join(base, path.normalize(rel)));
    } catch {
      return false;
    }
    if (file !== base && !file.startsWith(base + path.sep)) return false;
    const st = await stat(file);
    if (!st.isFile()) return false;
    const isPopup = path.basename(rel) === POPUP_PAGE;
    const body = isPopup && popupHosts !== undefined ? Buffer.from(withPopupHosts(await readFile(file, 'utf8'), popupHosts)) : null;
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': body?.length ?? st.size,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      // Dialog mode's popup: no Referer for anything it loads, and never inside a frame.
      ...(isPopup ? { 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY', 'Content-Security-Policy': "frame-ancestors 'none'" } : {}),
    });
    if (req.method === 'HEAD' || body) {
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
    return true;
  };
}
