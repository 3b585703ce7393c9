// Hostile-input cases every token store must pass, the JSON-file store
// (token-store-limits.test.js) and the PostgreSQL one
// (token-store-postgres.test.js): bounded nesting, the byte and record caps
// answered 507 store-full, and revocation that is never refused and holds
// across a restart.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';

import { TokenService } from '../../dist/node/index.js';

export const SECRET = 'store-limits-test-secret-0123456';
export const KEY = 'store-limits-api-key-0123456789';
export const DOMAIN = 'voice.test';

/** A TokenService on `store` ({ storePath } or { databaseUrl }) behind a real HTTP server on 127.0.0.1, with `api(method, path, body)`. */
export async function startService(store, storeLimits) {
  const svc = await TokenService.open({
    secret: SECRET,
    apiKeys: [KEY],
    ...store,
    domain: DOMAIN,
    storeLimits,
    rateLimit: { perSecond: 10_000, burst: 10_000 },
  });
  const server = http.createServer(async (req, res) => {
    if (!(await svc.handle(req, res))) res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const api = async (method, path, body) => {
    const res = await fetch(base + path, {
      method,
      headers: { Authorization: `Bearer ${KEY}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json().catch(() => undefined) };
  };
  const stop = async () => {
    await svc.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { svc, api, stop };
}

/** `levels` nested arrays around `inner`, as JSON text. */
export const nested = (levels, inner = '0') => '['.repeat(levels) + inner + ']'.repeat(levels);

const CAP_PAYLOAD = { note: 'y'.repeat(8 * 1024 - 20) };

/** Creates tokens with 8 KiB payloads until a 40,000-byte cap answers 507 store-full; resolves to the tokens made. */
export async function fillToByteCap(s) {
  const tokens = [];
  for (;;) {
    const res = await s.api('POST', '/v1/tokens', { sip_user: `u${tokens.length}`, payload: CAP_PAYLOAD });
    if (res.status !== 201) {
      assert.equal(res.status, 507);
      assert.equal(res.json.error.code, 'store-full');
      assert.match(res.json.error.message, /40000/);
      return tokens;
    }
    tokens.push(res.json);
    assert.ok(tokens.length < 10, 'the byte cap never refused');
  }
}

/** Registers the cases for one kind of store; `freshStore()` resolves to options of an empty store. */
export function storeCases(kind, freshStore) {
  test(`${kind}: payload nesting is bounded (400 too-deep, nothing stored); 8 levels and 8 KiB are taken as sent`, async () => {
    const s = await startService(await freshStore());
    try {
      assert.equal((await s.api('POST', '/v1/tokens', { sip_user: 'seed' })).status, 201);
      const before = (await s.api('GET', '/v1/tokens')).json;
      for (const levels of [9, 100, 4000]) {
        const res = await s.api('POST', '/v1/tokens', `{"sip_user":"alice","payload":${nested(levels)}}`);
        assert.equal(res.status, 400, `${levels} levels`);
        assert.equal(res.json.error.code, 'too-deep');
      }
      assert.equal((await s.api('PUT', `/v1/tokens/${before[0].uuid}`, `{"payload":{"a":${nested(8)}}}`)).json.error.code, 'too-deep');
      assert.deepEqual((await s.api('GET', '/v1/tokens')).json, before, 'refused requests change nothing');
      const payload = JSON.parse(nested(7, `{"f":"${'x'.repeat(8 * 1024 - 80)}","k":1.5,"z":"\\u0000 ☎"}`));
      const created = await s.api('POST', '/v1/tokens', { sip_user: 'alice', payload });
      assert.equal(created.status, 201);
      assert.deepEqual((await s.api('GET', `/v1/tokens/${created.json.uuid}`)).json.payload, payload);
    } finally {
      await s.stop();
    }
  });

  test(`${kind}: the byte cap answers 507 store-full; DELETE at the cap succeeds, frees room, and holds after a restart`, async () => {
    const store = await freshStore();
    const limits = { maxRecords: 1000, maxBytes: 40_000 };
    let s = await startService(store, limits);
    let tokens = [];
    try {
      tokens = await fillToByteCap(s);
      assert.ok(tokens.length >= 3, `${tokens.length} tokens fit`);
      assert.equal(s.svc.check(tokens[0].token).ok, true);
      assert.equal((await s.api('DELETE', `/v1/tokens/${tokens[0].uuid}`)).status, 200);
      assert.deepEqual(s.svc.check(tokens[0].token), { ok: false, reason: 'revoked' });
      // The revoked record dropped its payload: another 8 KiB token fits.
      assert.equal((await s.api('POST', '/v1/tokens', { sip_user: 'again', payload: CAP_PAYLOAD })).status, 201);
      await s.stop();
      s = await startService(store, limits);
      assert.deepEqual(s.svc.check(tokens[0].token), { ok: false, reason: 'revoked' });
      assert.equal((await s.api('GET', `/v1/tokens/${tokens[0].uuid}`)).status, 404);
      assert.equal((await s.api('DELETE', `/v1/tokens/${tokens[0].uuid}`)).status, 404);
      assert.equal(s.svc.check(tokens[1].token).ok, true);
    } finally {
      await s.stop().catch(() => {});
    }
  });

  test(`${kind}: the record cap: the next POST gets 507, a revoked record still counts until it expires, PUT may shrink a payload`, async () => {
    const s = await startService(await freshStore(), { maxRecords: 3 });
    try {
      const made = [];
      for (let i = 0; i < 3; i++) made.push((await s.api('POST', '/v1/tokens', { sip_user: `r${i}`, payload: { n: i } })).json);
      const full = await s.api('POST', '/v1/tokens', { sip_user: 'r3' });
      assert.equal(full.status, 507);
      assert.match(full.json.error.message, /full \(3 records/);
      assert.equal((await s.api('PUT', `/v1/tokens/${made[0].uuid}`, { payload: {} })).status, 200);
      assert.equal((await s.api('DELETE', `/v1/tokens/${made[0].uuid}`)).status, 200);
      assert.equal((await s.api('POST', '/v1/tokens', { sip_user: 'r3' })).status, 507);
      assert.equal((await s.api('GET', '/v1/tokens')).json.length, 2);
    } finally {
      await s.stop();
    }
  });
}
