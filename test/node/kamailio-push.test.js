// The token service tells Kamailio nodes of revocations (kamailio-push.ts):
// a signed push per DELETE, retried while a node is down, and a signed list
// for a node that starts. Fake nodes here; the real Kamailio is in
// test/e2e/kamailio-token.test.js.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { TokenService, kamailioFromEnv } from '../../dist/node/index.js';

const SECRET = 'push-test-secret-0123456789abcdef';
const NODE_SECRET = 'push-test-node-secret-0123456789';
const KEY = 'push-test-api-key-0123456789abc';
const dirs = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

function listen(handler) {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const url = (server) => `http://127.0.0.1:${server.address().port}`;
const mac = (ts, body, key = NODE_SECRET) => `${ts}.${createHmac('sha256', key).update(`${ts}.${body}`).digest('base64url')}`;

async function service(nodes) {
  const dir = await mkdtemp(join(tmpdir(), 'vw-push-'));
  dirs.push(dir);
  const svc = await TokenService.open({
    secret: SECRET,
    apiKeys: [KEY],
    storePath: join(dir, 'tokens.json'),
    domain: 'voice.test',
    kamailio: { nodes, secret: NODE_SECRET },
  });
  const api = await listen(async (req, res) => {
    if (!(await svc.handle(req, res))) res.writeHead(404).end();
  });
  const call = (method, path, body) =>
    fetch(url(api) + path, { method, headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  return {
    svc,
    api,
    call,
    async close() {
      await svc.close();
      api.close();
    },
  };
}

test('DELETE pushes a signed {jti, exp} to every node, and retries a node that was down', async () => {
  const got = [];
  let failFirst = true;
  const handler = (name) => (req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (name === 'b' && failFirst) {
        failFirst = false;
        return res.writeHead(503).end();
      }
      const sig = req.headers['x-voice-widget-signature'];
      const ts = sig.split('.')[0];
      got.push({ name, path: req.url, body: JSON.parse(body), valid: sig === mac(ts, body) });
      res.writeHead(200).end('{}');
    });
  };
  const a = await listen(handler('a'));
  const b = await listen(handler('b'));
  const s = await service([url(a), url(b)]);
  try {
    const created = await (await s.call('POST', '/v1/tokens', { sip_user: 'alice', name: 'Alice', ttl: 600 })).json();
    assert.equal((await s.call('DELETE', `/v1/tokens/${created.uuid}`)).status, 200);
    const deadline = Date.now() + 5000;
    while (got.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(got.map((g) => g.name).sort(), ['a', 'b'], 'b got it on the retry');
    for (const g of got) {
      assert.equal(g.path, '/revoke');
      assert.equal(g.valid, true);
      assert.equal(g.body.jti, created.uuid);
      assert.equal(g.body.exp, Date.parse(created.expires_at) / 1000);
    }
  } finally {
    await s.close();
    a.close();
    b.close();
  }
});

test('GET /v1/kamailio/revocations: the deny-list for a signed, fresh request only', async () => {
  const node = await listen((req, res) => res.writeHead(200).end());
  const s = await service([url(node)]);
  try {
    const created = await (await s.call('POST', '/v1/tokens', { sip_user: 'bob', name: 'Bob', ttl: 600 })).json();
    await s.call('DELETE', `/v1/tokens/${created.uuid}`);
    const get = (sig) => fetch(`${url(s.api)}/v1/kamailio/revocations`, { headers: sig ? { 'X-Voice-Widget-Signature': sig } : {} });
    const now = Math.floor(Date.now() / 1000);
    assert.equal((await get()).status, 401);
    assert.equal((await get(mac(now, '', 'some-other-secret-0123456789'))).status, 401);
    assert.equal((await get(mac(now - 120, ''))).status, 401);
    const ok = await get(mac(now, ''));
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { revoked: [{ jti: created.uuid, exp: Date.parse(created.expires_at) / 1000 }] });
  } finally {
    await s.close();
    node.close();
  }
});

test('kamailioFromEnv: nodes and secret from the environment, refused when unusable', () => {
  assert.equal(kamailioFromEnv({}), undefined);
  assert.deepEqual(kamailioFromEnv({ VOICE_WIDGET_KAMAILIO_NODES: 'http://10.0.0.5:8089, http://10.0.0.6:8089', VOICE_WIDGET_KAMAILIO_SECRET: NODE_SECRET }), {
    nodes: ['http://10.0.0.5:8089', 'http://10.0.0.6:8089'],
    secret: NODE_SECRET,
  });
  assert.throws(() => kamailioFromEnv({ VOICE_WIDGET_KAMAILIO_NODES: 'http://10.0.0.5:8089', VOICE_WIDGET_KAMAILIO_SECRET: 'short' }), TypeError);
  assert.throws(() => kamailioFromEnv({ VOICE_WIDGET_KAMAILIO_NODES: 'ftp://x', VOICE_WIDGET_KAMAILIO_SECRET: NODE_SECRET }), TypeError);
});
