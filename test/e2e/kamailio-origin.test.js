// The shipped Kamailio config refuses WebSocket handshakes from pages whose
// Origin is not on its list (by default: this machine's pages only).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';

import { startKamailio } from '../harness/kamailio.js';

let kam;
before(async () => {
  kam = await startKamailio({ secret: 'origin-test-secret-0123456789' });
});
after(async () => {
  await kam?.stop();
});

function handshake(origin) {
  return new Promise((resolve) => {
    const ws = new WebSocket(kam.wsUrl, 'sip', origin ? { origin } : {});
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode);
      ws.terminate();
    });
    ws.on('error', () => resolve('error'));
  });
}

test('a page from 127.0.0.1 or localhost may connect', async () => {
  assert.equal(await handshake('http://127.0.0.1:8080'), 'open');
  assert.equal(await handshake('http://localhost:3000'), 'open');
});

test('a page from another origin is refused with 403', async () => {
  assert.equal(await handshake('https://evil.example'), 403);
  assert.equal(await handshake('http://127.0.0.1.evil.example'), 403);
});

test('a client without Origin (a server, not a browser) may connect', async () => {
  assert.equal(await handshake(null), 'open');
});
