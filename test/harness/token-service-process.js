// A token service in a process of its own (several of them share one
// PostgreSQL in the cluster tests): the /v1/tokens API and the Kamailio
// revocation routes on a free 127.0.0.1 port, plus GET /check?token=… that
// answers what its TokenService.check() says (test-only, this script only).
//
// As a script: `node token-service-process.js '<TokenServiceOptions as JSON>'`
// prints one JSON line {url} once listening and stops when its stdin closes.
import http from 'node:http';
import { fileURLToPath } from 'node:url';

import { startScriptProcess } from './script-process.js';

const SELF = fileURLToPath(import.meta.url);

if (process.argv[1] === SELF) {
  const { TokenService } = await import('../../dist/node/index.js');
  const svc = await TokenService.open(JSON.parse(process.argv[2]));
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/check') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(svc.check(url.searchParams.get('token') ?? '')));
      return;
    }
    if (!(await svc.handle(req, res))) res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
  process.stdin.resume();
  process.stdin.on('end', async () => {
    server.closeAllConnections();
    server.close();
    await svc.close();
    process.exit(0);
  });
}

/**
 * @param {object} options TokenServiceOptions (JSON-serialisable)
 * @returns {Promise<{ url: string, pid: number, api: (method: string, path: string, body?: unknown) => Promise<{ status: number, json: any }>,
 *   check: (token: string) => Promise<{ ok: boolean, reason?: string }>, stop: () => Promise<void> }>}
 */
export async function startTokenServiceProcess(options) {
  const { child, ready, stop } = await startScriptProcess(SELF, JSON.stringify(options), 'token service process', { timeoutMs: 15_000, graceMs: 5_000 });
  const { url } = ready;
  const key = options.apiKeys[0];
  return {
    url,
    pid: child.pid,
    async api(method, path, body) {
      const res = await fetch(url + path, {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json().catch(() => undefined) };
    },
    async check(token) {
      return (await fetch(`${url}/check?token=${encodeURIComponent(token)}`)).json();
    },
    stop,
  };
}
