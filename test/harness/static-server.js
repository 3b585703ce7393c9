// Static file server for the e2e pages, on a random loopback port: the
// project's own static handler (dist/node), so tests serve what npm start serves.
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { createStaticHandler } from '../../dist/node/index.js';

/**
 * Serves files under `root` on http://127.0.0.1:<random port>.
 * @param {{ root: string, tls?: { cert: string, key: string }, popupHosts?: string | ((url: string) => string), hold?: (path: string) => Promise<void> | undefined }} opts
 *   tls: PEM files, for an https:// server; popupHosts: the popup page's host list
 *   (its voice-widget-host-origins meta tag), or a function of this server's url giving it;
 *   hold: waited on before a request is served (a test holds a file back: a slow network)
 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void> }>}
 *   url has no trailing slash, e.g. "http://127.0.0.1:40123".
 */
export async function startStaticServer({ root, allow = ['/dist/', '/demo/', '/themes/', '/test/e2e/pages/'], tls, popupHosts, hold }) {
  // Made once the port is known, so the host list may name this very server.
  let serve;
  const options = tls ? { cert: readFileSync(tls.cert), key: readFileSync(tls.key) } : {};
  const server = (tls ? https : http).createServer(options, async (req, res) => {
    try {
      await hold?.(new URL(req.url, 'http://x').pathname);
      if (await serve(req, res)) return;
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('Not Found');
    } catch (err) {
      if (!res.headersSent) {
        res.writeHead(500);
        res.end(String(err?.message ?? err));
      } else res.destroy();
    }
  });
  // Browsers keep connections alive; don't let them hold stop() hostage.
  server.keepAliveTimeout = 1000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  try {
    serve = createStaticHandler(root, allow, { popupHosts: typeof popupHosts === 'function' ? popupHosts(url) : popupHosts });
  } catch (e) {
    server.close();
    throw e;
  }

  let stopped = null;
  const stop = () => {
    stopped ??= new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return stopped;
  };
  return { url, port, stop };
}
