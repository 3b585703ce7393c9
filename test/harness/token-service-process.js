// A token service in a process of its own (several of them share one
// PostgreSQL in the cluster tests): the /v1/tokens API and the Kamailio
// revocation routes on a free 127.0.0.1 port, plus GET /check?token=… that
// answers what its TokenService.check() says (test-only, this script only).
//
// As a script: `node token-service-process.js '<TokenServiceOptions as JSON>'`
// prints one JSON line {url} once listening and stops when its stdin closes.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

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
  const child = spawn(process.execPath, [SELF, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]).url);
    });
    exited.then((code) => reject(new Error(`token service process exited (${code}) before listening`)));
    setTimeout(() => reject(new Error('token service process did not start in 15 s')), 15_000).unref();
  });
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
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
