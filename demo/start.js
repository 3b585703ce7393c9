#!/usr/bin/env node
// `npm start`: two phones that call each other, on this machine only.
// Starts Kamailio (installing it from Debian's packages when it is missing),
// mints tokens for alice and bob, and serves the demo page on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { ensurePackages } from '../scripts/system-deps.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PORT = Number(process.env.PORT ?? 8080);
const DOMAIN = 'voice.test';

ensureBuilt();
ensurePackages(['kamailio', 'kamailio-websocket-modules', 'kamailio-autheph-modules']);

const { startKamailio } = await import('../test/harness/kamailio.js');
const { startStaticServer } = await import('../test/harness/static-server.js');
const { mintToken } = await import('../dist/node/index.js');

// A fresh secret each run: the demo's tokens are good only for this process.
const secret = process.env.VOICE_WIDGET_SECRET ?? randomBytes(24).toString('base64url');
const kamailio = await startKamailio({ secret });
const files = await startStaticServer({ root: ROOT });

// The page asks for its configuration; the secret never leaves this process.
const server = http.createServer(async (req, res) => {
  if (req.url === '/demo/config.json') {
    const phone = (user, name) => ({ user, token: mintToken({ secret, user, domain: DOMAIN, name, ttl: 8 * 3600 }) });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify({ sipServer: kamailio.wsUrl, phones: [phone('alice', 'Alice'), phone('bob', 'Bob')] }));
    return;
  }
  if (req.url === '/' || req.url === '/index.html') {
    res.writeHead(302, { Location: '/demo/' });
    res.end();
    return;
  }
  // Everything else comes from the repository's files (demo/, dist/, themes/).
  const upstream = http.request(files.url + req.url, { method: req.method, headers: req.headers }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  upstream.on('error', () => {
    res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
});

server.on('error', (e) => {
  console.error(`voice-widget demo: cannot listen on 127.0.0.1:${PORT}: ${e.message} (set PORT to use another port)`);
  void shutdown(1);
});
server.listen(PORT, '127.0.0.1', () => {
  console.log(`voice-widget demo: open http://127.0.0.1:${PORT}/demo/`);
  console.log(`  SIP server (Kamailio): ${kamailio.wsUrl}    Ctrl+C to stop`);
});

async function shutdown(code = 0) {
  server.close();
  await files.stop().catch(() => {});
  await kamailio.stop().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

function ensureBuilt() {
  if (existsSync(new URL('../dist/voice-widget.min.js', import.meta.url)) && existsSync(new URL('../dist/node/index.js', import.meta.url))) return;
  console.log('voice-widget demo: building…');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
