// The token service on PostgreSQL (VOICE_WIDGET_DATABASE_URL): a real server
// from Debian's postgresql package (test/harness/postgres.js). The store's
// hostile-input cases (token-store-cases.js) run against it as against the
// file store, and two token-service processes share one database.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';

import { TokenService } from '../../dist/node/index.js';
import { freshSchema, startPostgres } from '../harness/postgres.js';
import { startTokenServiceProcess } from '../harness/token-service-process.js';
import { DOMAIN, KEY, SECRET, storeCases } from './token-store-cases.js';

let server;
let schemas = 0;
before(async () => {
  server = await startPostgres();
});
after(() => server?.stop());

const freshDatabase = () => freshSchema(server.url, `t${++schemas}`);

storeCases('PostgreSQL store', async () => ({ databaseUrl: await freshDatabase() }));

test('PostgreSQL store: the schema is migrated once at start (two services starting together), tokens are stored hashed', async () => {
  const databaseUrl = await freshDatabase();
  const options = { secret: SECRET, apiKeys: [KEY], databaseUrl, domain: DOMAIN };
  const [a, b] = await Promise.all([TokenService.open(options), TokenService.open(options)]);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query('SELECT version FROM voice_widget_schema ORDER BY version');
    assert.deepEqual(
      rows.map((r) => r.version),
      [1],
    );
  } finally {
    await db.end();
    await a.close();
    await b.close();
  }
  await assert.rejects(TokenService.open({ ...options, databaseUrl: 'mysql://x' }), /databaseUrl must be a postgres/);
  await assert.rejects(
    TokenService.open({ ...options, databaseUrl: `postgres://postgres:hunter2@127.0.0.1:1/none` }),
    (e) => e.name === 'TokenStoreError' && !e.message.includes('hunter2'),
  );
});

test('two token-service processes on one PostgreSQL: created on one, revoked on the other, refused by both', async (t) => {
  const databaseUrl = await freshDatabase();
  const options = { secret: SECRET, apiKeys: [KEY], databaseUrl, domain: DOMAIN };
  const [one, two] = await Promise.all([startTokenServiceProcess(options), startTokenServiceProcess(options)]);
  try {
    const made = await one.api('POST', '/v1/tokens', { sip_user: 'agent7', payload: { desk: 7 } });
    assert.equal(made.status, 201);
    assert.equal((await two.api('GET', `/v1/tokens/${made.json.uuid}`)).json.payload.desk, 7);
    assert.equal((await two.api('GET', '/v1/tokens')).json.length, 1);
    assert.equal((await one.check(made.json.token)).ok, true);
    assert.equal((await two.check(made.json.token)).ok, true);

    // Only the SHA-256 is in the database.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const { rows } = await db.query('SELECT record FROM voice_widget_tokens');
    await db.end();
    assert.equal(rows.length, 1);
    assert.ok(!rows[0].record.includes(made.json.token.split('.')[2]));

    const revokedAt = Date.now();
    assert.equal((await two.api('DELETE', `/v1/tokens/${made.json.uuid}`)).status, 200);
    assert.deepEqual(await two.check(made.json.token), { ok: false, reason: 'revoked' });
    // Process one hears of it by NOTIFY.
    while ((await one.check(made.json.token)).ok) {
      assert.ok(Date.now() - revokedAt < 2000, 'process one still accepts the token 2 s after the revocation');
      await new Promise((r) => setTimeout(r, 10));
    }
    const refusedAfter = Date.now() - revokedAt;
    t.diagnostic(`revoked through process two, refused by process one after ${refusedAfter} ms`);
    assert.equal((await one.api('GET', `/v1/tokens/${made.json.uuid}`)).status, 404);
    assert.equal((await one.api('DELETE', `/v1/tokens/${made.json.uuid}`)).status, 404);
    assert.equal((await one.api('GET', '/v1/tokens')).json.length, 0);
  } finally {
    await Promise.all([one.stop(), two.stop()]);
  }
});
