// The token service: its REST API over a real HTTP server, its store file,
// and the check/revocation surface the SIP side uses.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { TokenService, TokenStoreError, mintToken, verifyToken } from '../../dist/node/index.js';

const SECRET = 'token-service-test-secret-0123456';
const KEY = 'test-api-key-0123456789abcdef';
const KEY2 = 'second-api-key-fedcba9876543210';
const DOMAIN = 'voice.test';
const T0 = Date.parse('2030-01-01T00:00:00.000Z');

const dirs = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tempStorePath() {
  const dir = await mkdtemp(join(tmpdir(), 'vw-token-service-'));
  dirs.push(dir);
  return join(dir, 'state', 'tokens.json'); // "state" does not exist yet: open creates it
}

/** A TokenService behind a real HTTP server on 127.0.0.1. */
async function start(extra = {}) {
  const storePath = extra.storePath ?? (await tempStorePath());
  const logs = [];
  const svc = await TokenService.open({
    secret: SECRET,
    apiKeys: [KEY, KEY2],
    storePath,
    domain: DOMAIN,
    rateLimit: { perSecond: 10_000, burst: 10_000 },
    log: (line) => logs.push(line),
    ...extra,
  });
  const server = http.createServer(async (req, res) => {
    if (!(await svc.handle(req, res))) {
      res.writeHead(418, { 'Content-Type': 'text/plain' });
      res.end('not the token service');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;

  async function api(method, path, { body, raw, key = KEY, headers = {} } = {}) {
    const h = { ...headers };
    if (key !== null) h.Authorization = `Bearer ${key}`;
    if ((body !== undefined || raw !== undefined) && !('Content-Type' in h)) h['Content-Type'] = 'application/json';
    const res = await fetch(base + path, { method, headers: h, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }

  async function stop() {
    await svc.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  return { svc, base, storePath, logs, api, stop };
}

/** Sends a body with a plain http.request (chunked unless contentLength is given). */
function rawRequest(base, { method = 'POST', path = '/v1/tokens', chunks, contentLength, headers = {} }) {
  return new Promise((resolve, reject) => {
    const h = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json', ...headers };
    if (contentLength !== undefined) h['Content-Length'] = String(contentLength);
    const req = http.request(base + path, { method, headers: h, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, json: JSON.parse(text) }));
    });
    // Once the server answers it may stop reading; a late write error is expected then.
    req.on('error', (e) => (req.destroyed && e.code === 'EPIPE' ? undefined : reject(e)));
    for (const c of chunks) req.write(c);
    req.end();
  });
}

const sha256 = (s) => createHash('sha256').update(s).digest('hex');

test('POST /v1/tokens creates a token: 201, the documented shape, and a token with the right claims', async () => {
  const s = await start();
  try {
    const res = await s.api('POST', '/v1/tokens', {
      body: {
        sip_user: 'alice',
        name: 'Alice Smith',
        ttl: 600,
        payload: { agent: { id: 7, team: 'sales' } },
        caller_ids: ['+15550100', '+15550101'],
        allowed_domains: ['App.Example.com', 'crm.example.org'],
      },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.json), [
      'token',
      'uuid',
      'sip_user',
      'name',
      'ttl',
      'payload',
      'caller_ids',
      'allowed_domains',
      'created_at',
      'expires_at',
    ]);
    const { token, uuid } = res.json;
    assert.match(uuid, /^[0-9a-f-]{36}$/);
    assert.equal(res.json.sip_user, 'alice');
    assert.equal(res.json.name, 'Alice Smith');
    assert.equal(res.json.ttl, 600);
    assert.deepEqual(res.json.payload, { agent: { id: 7, team: 'sales' } });
    assert.deepEqual(res.json.caller_ids, ['+15550100', '+15550101']);
    assert.deepEqual(res.json.allowed_domains, ['app.example.com', 'crm.example.org']);
    assert.equal(res.headers.get('location'), `/v1/tokens/${uuid}`);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-type'), /^application\/json/);

    const claims = verifyToken(token, SECRET);
    assert.equal(claims.jti, uuid);
    assert.equal(claims.sub, 'alice');
    assert.equal(claims.sip_domain, DOMAIN);
    assert.equal(claims.name, 'Alice Smith');
    assert.equal(claims.exp - claims.iat, 600);
    assert.deepEqual(claims.caller_ids, ['+15550100', '+15550101']);
    assert.deepEqual(claims.allowed_domains, ['app.example.com', 'crm.example.org']);
    assert.equal(claims.sip_auth_user, `${claims.exp}:alice`);
    assert.equal(res.json.created_at, new Date(claims.iat * 1000).toISOString());
    assert.equal(res.json.expires_at, new Date(claims.exp * 1000).toISOString());

    // Defaults: name is the user, ttl 3600, payload {}, empty lists; the second key works too.
    const plain = await s.api('POST', '/v1/tokens', { body: { sip_user: 'bob' }, key: KEY2 });
    assert.equal(plain.status, 201);
    assert.equal(plain.json.name, 'bob');
    assert.equal(plain.json.ttl, 3600);
    assert.deepEqual(plain.json.payload, {});
    assert.deepEqual(plain.json.caller_ids, []);
    assert.deepEqual(plain.json.allowed_domains, []);
    const bob = verifyToken(plain.json.token, SECRET);
    assert.equal(bob.exp - bob.iat, 3600);
    assert.equal(bob.allowed_domains, undefined);
    assert.deepEqual(s.svc.check(plain.json.token), { ok: true, claims: bob });
  } finally {
    await s.stop();
  }
});

test('GET lists active tokens without token values; GET one; PUT replaces the payload', async () => {
  const s = await start();
  try {
    const a = (await s.api('POST', '/v1/tokens', { body: { sip_user: 'alice', payload: { a: 1, keep: true } } })).json;
    const b = (await s.api('POST', '/v1/tokens', { body: { sip_user: 'bob', payload: [1, 2] } })).json;

    const list = await s.api('GET', '/v1/tokens');
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.json.map((r) => r.uuid),
      [a.uuid, b.uuid],
    );
    for (const r of list.json) {
      assert.deepEqual(Object.keys(r), ['uuid', 'sip_user', 'name', 'ttl', 'payload', 'caller_ids', 'allowed_domains', 'created_at', 'expires_at']);
    }
    for (const t of [a.token, b.token]) {
      assert.ok(!list.text.includes(t));
      assert.ok(!list.text.includes(sha256(t)));
    }

    const one = await s.api('GET', `/v1/tokens/${a.uuid}`);
    assert.equal(one.status, 200);
    const { token: _omit, ...aRecord } = a;
    assert.deepEqual(one.json, aRecord);
    assert.ok(!one.text.includes(a.token));
    // A trailing slash names the same resource.
    assert.equal((await s.api('GET', `/v1/tokens/${a.uuid}/`)).status, 200);

    const put = await s.api('PUT', `/v1/tokens/${a.uuid}`, { body: { payload: { b: 2 } } });
    assert.equal(put.status, 200);
    assert.deepEqual(put.json, { ...aRecord, payload: { b: 2 } }); // replaced, not merged
    assert.deepEqual((await s.api('GET', `/v1/tokens/${a.uuid}`)).json.payload, { b: 2 });
    assert.deepEqual((await s.api('PUT', `/v1/tokens/${b.uuid}`, { body: { payload: null } })).json.payload, null);
    // The token itself is untouched by a payload change.
    assert.equal(s.svc.check(a.token).ok, true);
  } finally {
    await s.stop();
  }
});

test('DELETE revokes: 200, gone from get and list, check says revoked, onRevoke fires once', async () => {
  const s = await start();
  try {
    const a = (await s.api('POST', '/v1/tokens', { body: { sip_user: 'alice' } })).json;
    const b = (await s.api('POST', '/v1/tokens', { body: { sip_user: 'bob' } })).json;
    const fired = [];
    const unsubscribed = [];
    s.svc.onRevoke((jti) => fired.push(jti));
    const off = s.svc.onRevoke((jti) => unsubscribed.push(jti));
    off();

    assert.equal(s.svc.isRevoked(a.uuid), false);
    const del = await s.api('DELETE', `/v1/tokens/${a.uuid}`);
    assert.equal(del.status, 200);
    assert.deepEqual(del.json, { success: true });
    assert.deepEqual(fired, [a.uuid]);
    assert.deepEqual(unsubscribed, []);

    assert.equal((await s.api('GET', `/v1/tokens/${a.uuid}`)).json.error.code, 'not-found');
    assert.deepEqual(
      (await s.api('GET', '/v1/tokens')).json.map((r) => r.uuid),
      [b.uuid],
    );
    assert.deepEqual(s.svc.check(a.token), { ok: false, reason: 'revoked' });
    assert.equal(s.svc.isRevoked(a.uuid), true);
    assert.equal(s.svc.check(b.token).ok, true);

    // Deleting again, or changing a deleted token, is a 404 and fires nothing.
    assert.equal((await s.api('DELETE', `/v1/tokens/${a.uuid}`)).status, 404);
    assert.equal((await s.api('PUT', `/v1/tokens/${a.uuid}`, { body: { payload: {} } })).status, 404);
    assert.deepEqual(fired, [a.uuid]);

    const stored = JSON.parse(await readFile(s.storePath, 'utf8')).tokens.find((r) => r.uuid === a.uuid);
    assert.match(stored.revoked_at, /^\d{4}-\d\d-\d\dT/);
  } finally {
    await s.stop();
  }
});

test('bad requests get a JSON error and leave the store file byte-for-byte unchanged', async () => {
  const s = await start();
  try {
    const existing = (await s.api('POST', '/v1/tokens', { body: { sip_user: 'alice', payload: { x: 1 } } })).json;
    const before = await readFile(s.storePath);
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const big = 'x'.repeat(9 * 1024);
    const cases = [
      ['POST', '/v1/tokens', { raw: '{"sip_user": "alice"' }, 400, 'invalid-json'],
      ['POST', '/v1/tokens', { raw: '' }, 400, 'invalid-json'],
      ['POST', '/v1/tokens', { raw: Buffer.from([0x7b, 0xff, 0x7d]) }, 400, 'invalid-json'],
      ['POST', '/v1/tokens', { body: ['alice'] }, 400, 'invalid-body'],
      ['POST', '/v1/tokens', { body: null }, 400, 'invalid-body'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', sip_trunk: 'x' } }, 400, 'unknown-field'],
      ['POST', '/v1/tokens', { body: { name: 'No User' } }, 400, 'missing-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'bad user' } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: '' } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'a'.repeat(65) } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 42 } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', ttl: '3600' } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', ttl: 0 } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', ttl: -5 } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', ttl: 1.5 } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', ttl: 2592001 } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { raw: '{"sip_user":"alice","ttl":1e400}' }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', ttl: null } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', ttl: true } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', name: '' } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', name: 'a\nb' } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', name: 'n'.repeat(129) } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', caller_ids: '+15550100' } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', caller_ids: ['not a number'] } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', allowed_domains: 'example.com' } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', allowed_domains: ['https://example.com'] } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', allowed_domains: ['*.example.com'] } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', allowed_domains: ['example.com:8443'] } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', allowed_domains: [''] } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', allowed_domains: [7] } }, 400, 'invalid-field'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice', payload: { big } } }, 413, 'too-large'],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice' }, headers: { 'Content-Type': 'text/plain' } }, 415, 'unsupported-media-type'],
      [
        'POST',
        '/v1/tokens',
        { body: { sip_user: 'alice' }, headers: { 'Content-Type': 'application/json; charset=iso-8859-1' } },
        415,
        'unsupported-media-type',
      ],
      ['POST', '/v1/tokens', { body: { sip_user: 'alice' }, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, 415, 'unsupported-media-type'],
      ['POST', '/v1/tokens', { raw: JSON.stringify({ sip_user: 'alice', payload: 'y'.repeat(17 * 1024) }) }, 413, 'too-large'],
      ['PUT', `/v1/tokens/${existing.uuid}`, { body: { payload: { y: 2 }, ttl: 5 } }, 400, 'unknown-field'],
      ['PUT', `/v1/tokens/${existing.uuid}`, { body: {} }, 400, 'missing-field'],
      ['PUT', `/v1/tokens/${existing.uuid}`, { raw: 'payload=1' }, 400, 'invalid-json'],
      ['PUT', `/v1/tokens/${existing.uuid}`, { body: { payload: { big } } }, 413, 'too-large'],
      ['PUT', `/v1/tokens/${existing.uuid}`, { body: { payload: 1 }, headers: { 'Content-Type': 'text/json' } }, 415, 'unsupported-media-type'],
      ['PUT', `/v1/tokens/${unknownId}`, { body: { payload: {} } }, 404, 'not-found'],
      ['GET', `/v1/tokens/${unknownId}`, {}, 404, 'not-found'],
      ['DELETE', `/v1/tokens/${unknownId}`, {}, 404, 'not-found'],
      ['GET', '/v1/tokens/no!such*id', {}, 404, 'not-found'],
      ['GET', `/v1/tokens/${existing.uuid}/payload`, {}, 404, 'not-found'],
      ['DELETE', '/v1/tokens', {}, 405, 'method-not-allowed'],
      ['PUT', '/v1/tokens', { body: { payload: {} } }, 405, 'method-not-allowed'],
      ['PATCH', `/v1/tokens/${existing.uuid}`, { body: { payload: {} } }, 405, 'method-not-allowed'],
      ['POST', `/v1/tokens/${existing.uuid}`, { body: { sip_user: 'alice' } }, 405, 'method-not-allowed'],
    ];
    for (const [method, path, opts, status, code] of cases) {
      const what = `${method} ${path} ${JSON.stringify(opts).slice(0, 120)}`;
      const res = await s.api(method, path, opts);
      assert.equal(res.status, status, what);
      assert.equal(res.json?.error?.code, code, what);
      assert.equal(typeof res.json.error.message, 'string', what);
      assert.ok(res.json.error.message.length > 0, what);
      if (status === 405) assert.ok(res.headers.get('allow'), what);
      assert.deepEqual(await readFile(s.storePath), before, `store changed by ${what}`);
    }
    // Still there, still as it was.
    assert.deepEqual((await s.api('GET', `/v1/tokens/${existing.uuid}`)).json.payload, { x: 1 });
    assert.equal((await s.api('GET', '/v1/tokens')).json.length, 1);
  } finally {
    await s.stop();
  }
});

test('413 for a body over 16 KiB, declared or streamed, without reading it all into memory', async () => {
  const s = await start();
  try {
    await s.api('POST', '/v1/tokens', { body: { sip_user: 'alice' } });
    const before = await readFile(s.storePath);
    const chunk = Buffer.alloc(1024, 0x20); // JSON whitespace
    const chunks = [Buffer.from('{"sip_user":"bob"'), ...Array(40).fill(chunk), Buffer.from('}')];
    const size = chunks.reduce((n, c) => n + c.length, 0);

    const declared = await rawRequest(s.base, { chunks, contentLength: size });
    assert.equal(declared.status, 413);
    assert.equal(declared.json.error.code, 'too-large');

    const streamed = await rawRequest(s.base, { chunks });
    assert.equal(streamed.status, 413);
    assert.equal(streamed.json.error.code, 'too-large');
    assert.equal(streamed.headers.connection, 'close');

    // The answer comes while the client is still sending: the server stopped reading early.
    for (const contentLength of [undefined, 10 * 1024 * 1024]) {
      const early = await new Promise((resolve, reject) => {
        const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
        if (contentLength) headers['Content-Length'] = String(contentLength);
        const req = http.request(`${s.base}/v1/tokens`, { method: 'POST', headers, agent: false }, (res) => {
          res.resume();
          req.destroy();
          resolve(res.statusCode);
        });
        req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
        req.write(Buffer.alloc(contentLength ? 100 : 17 * 1024, 0x20)); // never ended
      });
      assert.equal(early, 413);
    }

    assert.deepEqual(await readFile(s.storePath), before);
    // The service is fine afterwards.
    assert.equal((await s.api('POST', '/v1/tokens', { body: { sip_user: 'bob' } })).status, 201);
  } finally {
    await s.stop();
  }
});

test('401 without a key or with a wrong one; the key authenticates only the REST calls', async () => {
  const s = await start();
  try {
    await s.api('POST', '/v1/tokens', { body: { sip_user: 'alice' } });
    const before = await readFile(s.storePath);
    const attempts = [
      ['GET', '/v1/tokens', { key: null }],
      ['GET', '/v1/tokens', { key: 'wrong-key-0123456789abcdef' }],
      ['GET', '/v1/tokens', { key: KEY.slice(0, -1) }],
      ['GET', '/v1/tokens', { key: null, headers: { Authorization: `Basic ${Buffer.from(`x:${KEY}`).toString('base64')}` } }],
      ['GET', '/v1/tokens', { key: null, headers: { Authorization: KEY } }],
      ['POST', '/v1/tokens', { key: null, body: { sip_user: 'mallory' } }],
      ['DELETE', '/v1/tokens/00000000-0000-4000-8000-000000000000', { key: 'nope' }],
    ];
    for (const [method, path, opts] of attempts) {
      const res = await s.api(method, path, opts);
      assert.equal(res.status, 401, `${method} ${JSON.stringify(opts)}`);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      assert.equal(res.json.error.code, 'unauthorized');
    }
    assert.deepEqual(await readFile(s.storePath), before);
    // Bearer is case-insensitive as a scheme.
    assert.equal((await s.api('GET', '/v1/tokens', { key: null, headers: { Authorization: `bearer ${KEY}` } })).status, 200);
  } finally {
    await s.stop();
  }
});

test('no CORS: an OPTIONS preflight gets 405 and no answer carries Access-Control headers', async () => {
  const s = await start();
  try {
    const origin = { Origin: 'https://evil.example' };
    const responses = [
      await s.api('OPTIONS', '/v1/tokens', {
        key: null,
        headers: { ...origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
      }),
      await s.api('OPTIONS', '/v1/tokens/00000000-0000-4000-8000-000000000000', { key: null, headers: origin }),
      await s.api('GET', '/v1/tokens', { headers: origin }),
      await s.api('POST', '/v1/tokens', { headers: origin, body: { sip_user: 'alice' } }),
      await s.api('GET', '/v1/tokens', { key: null, headers: origin }),
    ];
    assert.equal(responses[0].status, 405);
    assert.equal(responses[1].status, 405);
    assert.equal(responses[2].status, 200);
    assert.equal(responses[3].status, 201);
    assert.equal(responses[4].status, 401);
    for (const res of responses) {
      assert.deepEqual(
        [...res.headers.keys()].filter((h) => h.startsWith('access-control-')),
        [],
      );
    }
  } finally {
    await s.stop();
  }
});

test('429 with Retry-After once a bucket is empty: per API key, and per address for bad keys', async () => {
  const clock = T0;
  const s = await start({ rateLimit: { perSecond: 1, burst: 3 }, now: () => clock });
  try {
    assert.equal((await s.api('POST', '/v1/tokens', { body: { sip_user: 'alice' } })).status, 201);
    const before = await readFile(s.storePath);
    for (let i = 0; i < 2; i++) assert.equal((await s.api('GET', '/v1/tokens')).status, 200);
    const limited = await s.api('POST', '/v1/tokens', { body: { sip_user: 'bob' } });
    assert.equal(limited.status, 429);
    assert.equal(limited.json.error.code, 'rate-limited');
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.equal((await s.api('GET', '/v1/tokens')).status, 429);
    assert.deepEqual(await readFile(s.storePath), before);
    // The other key has its own bucket.
    assert.equal((await s.api('GET', '/v1/tokens', { key: KEY2 })).json.length, 1);

    // Guessing keys: throttled by address, and a 429 says nothing about the key.
    for (let i = 0; i < 3; i++) assert.equal((await s.api('GET', '/v1/tokens', { key: `guess-${i}-0123456789abcdef` })).status, 401);
    const guess = await s.api('GET', '/v1/tokens', { key: 'guess-x-0123456789abcdef' });
    assert.equal(guess.status, 429);
    assert.ok(Number(guess.headers.get('retry-after')) >= 1);
    assert.equal((await s.api('GET', '/v1/tokens', { key: null })).status, 429);
    // A client with a valid key is not locked out by someone else's guessing.
    assert.equal((await s.api('GET', '/v1/tokens', { key: KEY2 })).status, 200);
  } finally {
    await s.stop();
  }
});

test('the store holds SHA-256 hashes, never tokens; the file is 0600; logs hold no token or key', async () => {
  const s = await start();
  try {
    const a = (await s.api('POST', '/v1/tokens', { body: { sip_user: 'alice', payload: { note: 'hi' } } })).json;
    const b = (await s.api('POST', '/v1/tokens', { body: { sip_user: 'bob' }, key: KEY2 })).json;
    await s.api('PUT', `/v1/tokens/${a.uuid}`, { body: { payload: { note: 'changed' } } });
    await s.api('DELETE', `/v1/tokens/${b.uuid}`);
    await s.api('GET', `/v1/tokens/${KEY}`); // a key pasted into the path is not logged
    await s.api('GET', '/v1/tokens', { key: 'wrong-key-0123456789abcdef' });

    const text = await readFile(s.storePath, 'utf8');
    const file = JSON.parse(text);
    assert.equal(file.format, 'voice-widget-token-store');
    assert.equal(file.version, 1);
    for (const t of [a, b]) {
      assert.ok(!text.includes(t.token));
      for (const part of t.token.split('.').slice(1)) assert.ok(!text.includes(part), 'no piece of the token');
      assert.equal(file.tokens.find((r) => r.uuid === t.uuid).token_sha256, sha256(t.token));
    }
    assert.deepEqual(Object.keys(file.tokens[0]), [
      'uuid',
      'token_sha256',
      'sip_user',
      'name',
      'ttl',
      'payload',
      'caller_ids',
      'allowed_domains',
      'created_at',
      'expires_at',
    ]);
    assert.equal((await stat(s.storePath)).mode & 0o777, 0o600);

    assert.equal(s.logs.length, 6);
    for (const line of s.logs) {
      assert.match(line, /^(GET|POST|PUT|DELETE) \/v1\/tokens(\/[\w{}-]+)? \d{3} \d+ms$/);
      for (const secret of [a.token, b.token, KEY, KEY2, 'wrong-key-0123456789abcdef', SECRET]) assert.ok(!line.includes(secret), line);
    }
    assert.match(s.logs[0], /^POST \/v1\/tokens 201 \d+ms$/);
    assert.equal(s.logs[3].split(' ').slice(0, 3).join(' '), `DELETE /v1/tokens/${b.uuid} 200`);
    assert.match(s.logs[4], /^GET \/v1\/tokens\/\{unknown\} 404 /);
    assert.match(s.logs[5], /^GET \/v1\/tokens 401 /);
  } finally {
    await s.stop();
  }
});

test('records, payloads and revocations survive a restart', async () => {
  const first = await start();
  const a = (await first.api('POST', '/v1/tokens', { body: { sip_user: 'alice', payload: { crm: 'A-1' }, allowed_domains: ['example.com'] } })).json;
  const b = (await first.api('POST', '/v1/tokens', { body: { sip_user: 'bob' } })).json;
  await first.api('PUT', `/v1/tokens/${a.uuid}`, { body: { payload: { crm: 'A-2' } } });
  await first.api('DELETE', `/v1/tokens/${b.uuid}`);
  await first.stop();

  const second = await start({ storePath: first.storePath });
  try {
    const list = (await second.api('GET', '/v1/tokens')).json;
    assert.deepEqual(
      list.map((r) => r.uuid),
      [a.uuid],
    );
    assert.deepEqual(list[0].payload, { crm: 'A-2' });
    assert.deepEqual(list[0].allowed_domains, ['example.com']);
    assert.equal(list[0].expires_at, a.expires_at);
    assert.equal(second.svc.check(a.token).ok, true);
    assert.deepEqual(second.svc.check(b.token), { ok: false, reason: 'revoked' });
    assert.equal(second.svc.isRevoked(b.uuid), true);
    assert.equal((await second.api('GET', `/v1/tokens/${b.uuid}`)).status, 404);
    assert.equal((await second.api('DELETE', `/v1/tokens/${a.uuid}`)).status, 200);
  } finally {
    await second.stop();
  }
  const third = await TokenService.open({ secret: SECRET, apiKeys: [KEY], storePath: first.storePath, domain: DOMAIN });
  try {
    assert.deepEqual(third.check(a.token), { ok: false, reason: 'revoked' });
  } finally {
    await third.close();
  }
});

test('expiry (with the now option): gone from list and get, check says expired, pruned on the next write', async () => {
  let clock = T0;
  const s = await start({ now: () => clock });
  try {
    const short = (await s.api('POST', '/v1/tokens', { body: { sip_user: 'alice', ttl: 60 } })).json;
    const long = (await s.api('POST', '/v1/tokens', { body: { sip_user: 'bob', ttl: 3600 } })).json;
    assert.equal(short.created_at, new Date(T0).toISOString());
    assert.equal(short.expires_at, new Date(T0 + 60_000).toISOString());
    await s.api('DELETE', `/v1/tokens/${long.uuid}`);
    assert.equal(s.svc.check(short.token).ok, true);

    clock = T0 + 59_999;
    assert.equal((await s.api('GET', `/v1/tokens/${short.uuid}`)).status, 200);
    clock = T0 + 60_000;
    assert.deepEqual((await s.api('GET', '/v1/tokens')).json, []);
    assert.equal((await s.api('GET', `/v1/tokens/${short.uuid}`)).status, 404);
    assert.equal((await s.api('PUT', `/v1/tokens/${short.uuid}`, { body: { payload: {} } })).status, 404);
    assert.equal((await s.api('DELETE', `/v1/tokens/${short.uuid}`)).status, 404);
    assert.deepEqual(s.svc.check(short.token), { ok: false, reason: 'expired' });
    assert.equal(s.svc.isRevoked(long.uuid), true); // still on the deny-list until it expires

    // The next write drops the expired record; the revoked one stays until its own expiry.
    await s.api('POST', '/v1/tokens', { body: { sip_user: 'carol' } });
    let stored = JSON.parse(await readFile(s.storePath, 'utf8')).tokens.map((r) => r.uuid);
    assert.ok(!stored.includes(short.uuid));
    assert.ok(stored.includes(long.uuid));

    clock = T0 + 3_600_000;
    assert.deepEqual(s.svc.check(long.token), { ok: false, reason: 'expired' });
    assert.equal(s.svc.isRevoked(long.uuid), false);
    await s.api('POST', '/v1/tokens', { body: { sip_user: 'dave' } });
    stored = JSON.parse(await readFile(s.storePath, 'utf8')).tokens.map((r) => r.uuid);
    assert.ok(!stored.includes(long.uuid));
  } finally {
    await s.stop();
  }
});

test('check(): tokens minted directly (not in the store) pass; bad ones get the right reason', async () => {
  const s = await start();
  try {
    const direct = mintToken({ secret: SECRET, user: 'zoe', domain: DOMAIN, ttl: 120 });
    const result = s.svc.check(direct);
    assert.equal(result.ok, true);
    assert.equal(result.claims.sub, 'zoe');
    assert.equal(s.svc.isRevoked(result.claims.jti), false);
    // Not in the store, so the API does not know it.
    assert.equal((await s.api('GET', `/v1/tokens/${result.claims.jti}`)).status, 404);

    assert.deepEqual(s.svc.check(mintToken({ secret: 'another-secret-0123456789', user: 'zoe', domain: DOMAIN })), { ok: false, reason: 'signature' });
    const [head, body] = direct.split('.');
    assert.deepEqual(s.svc.check(`${head}.${body}.${'A'.repeat(43)}`), { ok: false, reason: 'signature' });
    assert.deepEqual(s.svc.check(mintToken({ secret: SECRET, user: 'zoe', domain: DOMAIN, ttl: 1, now: () => Date.now() - 10_000 })), {
      ok: false,
      reason: 'expired',
    });
    for (const junk of ['', 'not-a-token', 'a.b', 'a.b.c', undefined, 42]) {
      assert.deepEqual(s.svc.check(junk), { ok: false, reason: 'malformed' }, String(junk));
    }
  } finally {
    await s.stop();
  }
});

test('handle() resolves false and writes nothing for paths outside /v1/tokens', async () => {
  const s = await start();
  try {
    for (const path of ['/', '/health', '/v1/tokensx', '/v1/token', '/v2/tokens', '//v1/tokens', '/V1/TOKENS']) {
      const res = await s.api('GET', path);
      assert.equal(res.status, 418, path);
      assert.equal(res.text, 'not the token service');
    }
    assert.deepEqual(s.logs, []);
    // A query string does not change the route.
    assert.equal((await s.api('GET', '/v1/tokens?appid=whatever')).status, 200);
  } finally {
    await s.stop();
  }
});

test('concurrent writes are serialized: every record lands in the file', async () => {
  const s = await start();
  try {
    const created = await Promise.all(Array.from({ length: 25 }, (_, i) => s.api('POST', '/v1/tokens', { body: { sip_user: `user${i}`, payload: { i } } })));
    assert.ok(created.every((r) => r.status === 201));
    const ids = created.map((r) => r.json.uuid);
    await Promise.all([
      ...ids.slice(0, 10).map((id) => s.api('DELETE', `/v1/tokens/${id}`)),
      ...ids.slice(10).map((id, i) => s.api('PUT', `/v1/tokens/${id}`, { body: { payload: { updated: i } } })),
    ]);
    const file = JSON.parse(await readFile(s.storePath, 'utf8'));
    assert.equal(file.tokens.length, 25);
    assert.equal(file.tokens.filter((r) => r.revoked_at).length, 10);
    assert.equal((await s.api('GET', '/v1/tokens')).json.length, 15);
    assert.ok(file.tokens.filter((r) => !r.revoked_at).every((r) => 'updated' in r.payload));
  } finally {
    await s.stop();
  }
});

test('open(): a corrupt store is an error and is left untouched; bad options are refused', async () => {
  const options = { secret: SECRET, apiKeys: [KEY], domain: DOMAIN };
  for (const content of [
    '{"format":"voice-widget-token-store","version":1,"tokens":[',
    '',
    '[]',
    '{"format":"voice-widget-token-store","version":1,"tokens":[{"uuid":"x"}]}',
    '{"format":"voice-widget-token-store","version":2,"tokens":[]}',
  ]) {
    const storePath = await tempStorePath();
    await mkdir(join(storePath, '..'), { recursive: true });
    await writeFile(storePath, content);
    await assert.rejects(
      TokenService.open({ ...options, storePath }),
      (e) => e instanceof TokenStoreError && /corrupt/.test(e.message) && e.message.includes(storePath),
      JSON.stringify(content),
    );
    assert.equal(await readFile(storePath, 'utf8'), content);
  }

  const storePath = await tempStorePath();
  const svc = await TokenService.open({ ...options, storePath });
  await assert.rejects(TokenService.open({ ...options, storePath }), /already open/);
  await svc.close();
  await (await TokenService.open({ ...options, storePath })).close(); // free again after close

  for (const bad of [
    { secret: 'short' },
    { apiKeys: [] },
    { apiKeys: ['short-key'] },
    { apiKeys: ['has a space in it 0123456789'] },
    { domain: 'not a domain' },
    { storePath: '' },
    { rateLimit: { perSecond: 0, burst: 1 } },
  ]) {
    await assert.rejects(TokenService.open({ ...options, storePath: join(storePath, '..', 'other.json'), ...bad }), TypeError, JSON.stringify(bad));
  }
});

test('after close() the routes answer 503', async () => {
  const s = await start();
  await s.svc.close();
  const res = await s.api('GET', '/v1/tokens');
  assert.equal(res.status, 503);
  assert.equal(res.json.error.code, 'unavailable');
  await s.stop();
});
