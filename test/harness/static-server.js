// Minimal static file server for the e2e pages (loopback only). No caching,
// so a rebuilt bundle is always picked up by the next page load.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
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

/**
 * Serves files under `root` on http://127.0.0.1:<random port>.
 * @param {{ root: string }} opts
 * @returns {Promise<{ url: string, port: number, stop: () => Promise<void> }>}
 *   url has no trailing slash, e.g. "http://127.0.0.1:40123".
 */
export async function startStaticServer({ root }) {
  // realpath so a symlinked root and the containment check agree.
  const rootReal = await realpath(path.resolve(root));

  const server = http.createServer(async (req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method Not Allowed');
      let rel;
      try {
        rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      } catch {
        return send(400, 'Bad Request');
      }
      if (rel.includes('\0')) return send(400, 'Bad Request');
      if (rel.endsWith('/')) rel += 'index.html';
      const type = TYPES[path.extname(rel).toLowerCase()];
      if (!type) return send(404, 'Not Found');

      // Resolve symlinks too: the real file must still live under root.
      let file;
      try {
        file = await realpath(path.join(rootReal, path.normalize(rel)));
      } catch {
        return send(404, 'Not Found');
      }
      if (file !== rootReal && !file.startsWith(rootReal + path.sep)) return send(404, 'Not Found');
      const st = await stat(file);
      if (!st.isFile()) return send(404, 'Not Found');

      res.writeHead(200, {
        'Content-Type': type,
        'Content-Length': st.size,
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch (err) {
      if (!res.headersSent) send(500, String(err?.message ?? err));
      else res.destroy();
    }
  });
  // Browsers keep connections alive; don't let them hold stop() hostage.
  server.keepAliveTimeout = 1000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  let stopped = null;
  const stop = () => {
    stopped ??= new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return stopped;
  };
  return { url: `http://127.0.0.1:${port}`, port, stop };
}
