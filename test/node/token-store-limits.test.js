// Token-store inflation: the payload limit holds for what is stored (compact
// JSON, nesting bounded), the store has caps answered with 507 store-full, and
// revocation always succeeds, whatever the store's size, across a restart.
// The cases every store passes are in token-store-cases.js; here, what is
// particular to the file (its size on disk, a write that fails).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { SipServer, TokenService, startDevServer } from '../../dist/node/index.js';
import { DOMAIN, KEY, SECRET, fillToByteCap, nested, startService, storeCases } from './token-store-cases.js';
import { registerRequest, sipClient, statusLine } from '../harness/sip-ws-client.js';

const dirs = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tempStorePath() {
  const dir = await mkdtemp(join(tmpdir(), 'vw-store-limits-'));
  dirs.push(dir);
  return join(dir, 'tokens.json');
}

const start = (storePath, limits) => startService({ storePath }, limits);
const fileSize = async (path) => (await stat(path)).size;

test('payload nesting is bounded (400 too-deep) and the store keeps compact JSON: an 8 KiB payload costs ~8 KiB on disk', async (t) => {
  const storePath = await tempStorePath();
  const s = await start(storePath);
  try {
    assert.equal((await s.api('POST', '/v1/tokens', { sip_user: 'seed' })).status, 201);
    const before = await readFile(storePath);
    // The observed attack: 8 KiB of brackets, 4,000 levels deep.
    for (const levels of [9, 100, 4000]) {
      const res = await s.api('POST', '/v1/tokens', `{"sip_user":"alice","payload":${nested(levels)}}`);
      assert.equal(res.status, 400, `${levels} levels`);
      assert.equal(res.json.error.code, 'too-deep');
      assert.match(res.json.error.message, /deeper than 8 levels/);
    }
    const seed = (await s.api('GET', '/v1/tokens')).json[0];
    assert.equal((await s.api('PUT', `/v1/tokens/${seed.uuid}`, `{"payload":{"a":${nested(8)}}}`)).json.error.code, 'too-deep');
    assert.deepEqual(await readFile(storePath), before, 'refused requests change nothing');

    // 8 levels is allowed; the largest payload at that depth grows the file by itself plus the record.
    const filler = 'x'.repeat(8 * 1024 - 14 - 8);
    const payload = JSON.parse(nested(7, `{"f":"${filler}"}`));
    assert.equal(Buffer.byteLength(JSON.stringify(payload)), 8 * 1024);
    const created = await s.api('POST', '/v1/tokens', { sip_user: 'alice', payload });
    assert.equal(created.status, 201);
    assert.deepEqual(created.json.payload, payload);
    const growth = (await fileSize(storePath)) - before.length;
    t.diagnostic(`an 8 KiB payload 8 levels deep grew the store by ${growth} bytes`);
    assert.ok(growth < 8 * 1024 + 600, `${growth} bytes`);
  } finally {
    await s.stop();
  }
});

test('a full store answers 507 store-full; DELETE still succeeds (even when the store file cannot be written) and holds after a restart', async (t) => {
  const storePath = await tempStorePath();
  const limits = { maxRecords: 1000, maxBytes: 40_000 };
  let s = await start(storePath, limits);
  try {
    const tokens = await fillToByteCap(s);
    const atCap = await fileSize(storePath);
    t.diagnostic(`store at its 40,000-byte cap: ${tokens.length} tokens with 8 KiB payloads, ${atCap} bytes on disk`);
    assert.ok(atCap <= limits.maxBytes);
    assert.equal(s.svc.check(tokens[0].token).ok, true);

    // Revocation at the cap: 200, and the revoked record drops its payload.
    assert.equal((await s.api('DELETE', `/v1/tokens/${tokens[0].uuid}`)).status, 200);
    assert.ok((await fileSize(storePath)) < atCap - 8000);
    // A write of the store that fails (its temp name taken by a directory) does not lose a revocation.
    await mkdir(`${storePath}.tmp`);
    assert.equal((await s.api('DELETE', `/v1/tokens/${tokens[1].uuid}`)).status, 200);
    assert.equal((await s.api('POST', '/v1/tokens', { sip_user: 'late' })).status, 500);
    assert.deepEqual(s.svc.check(tokens[1].token), { ok: false, reason: 'revoked' });
    await s.stop();
    await rmdir(`${storePath}.tmp`);

    // A new instance on the same files: both tokens refused, by check() and by the SIP server it feeds.
    s = await start(storePath, limits);
    for (const r of tokens.slice(0, 2)) {
      assert.deepEqual(s.svc.check(r.token), { ok: false, reason: 'revoked' });
      assert.equal((await s.api('GET', `/v1/tokens/${r.uuid}`)).status, 404);
    }
    assert.equal(s.svc.check(tokens[2].token).ok, true);
    const sip = await SipServer.start({ secret: SECRET, domain: DOMAIN, checkToken: (tok) => s.svc.check(tok) });
    const c = await sipClient(sip.url);
    try {
      c.send(registerRequest('u1', DOMAIN, { tokenHeader: ` ${tokens[1].token}` }));
      assert.equal(statusLine(await c.next()), '403 Token Revoked');
    } finally {
      c.close();
      await sip.stop();
    }
  } finally {
    await s.stop().catch(() => {});
  }
});

storeCases('file store', async () => ({ storePath: await tempStorePath() }));

test('limits come from options or, for npm start, VOICE_WIDGET_TOKEN_STORE_MAX_*; bad values are refused', async () => {
  const storePath = await tempStorePath();
  for (const bad of [{ maxRecords: 0 }, { maxBytes: 100 }, { maxRecords: 1.5 }, { maxBytes: '1000000' }]) {
    await assert.rejects(TokenService.open({ secret: SECRET, apiKeys: [KEY], storePath, domain: DOMAIN, storeLimits: bad }), TypeError, JSON.stringify(bad));
  }
  const stateDir = join(storePath, '..', 'dev');
  await assert.rejects(
    startDevServer({ root: process.cwd(), stateDir, port: 0, sipPort: 0, env: { VOICE_WIDGET_TOKEN_STORE_MAX_RECORDS: 'ten' } }),
    /VOICE_WIDGET_TOKEN_STORE_MAX_RECORDS must be a whole number/,
  );
  const dev = await startDevServer({ root: process.cwd(), stateDir, port: 0, sipPort: 0, env: { VOICE_WIDGET_TOKEN_STORE_MAX_RECORDS: '1' } });
  try {
    const post = () =>
      fetch(`${dev.url}/v1/tokens`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${dev.secrets.apiKey}`, 'Content-Type': 'application/json' },
        body: '{"sip_user":"a"}',
      });
    assert.equal((await post()).status, 201);
    assert.equal((await post()).status, 507);
  } finally {
    await dev.stop();
  }
});
