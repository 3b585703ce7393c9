// kamailio/kamailio.cfg keeps the embedded server's promises (issue 14):
// it verifies the widget token on REGISTER, ends registrations with the
// token, relays nothing for strangers, asserts the caller's identity from
// the token, and takes revocations pushed by the token service (and loads
// them when it starts). One Kamailio for the file, raw WebSocket clients for
// what no browser would send, real Chromium for the revocation.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { TokenService, decodeToken, mintToken } from '../../dist/node/index.js';
import { launchBrowser, newIsolatedPage } from '../harness/browser.js';
import { REPO_ROOT } from '../harness/bundle-jssip.js';
import { freePort, startKamailio } from '../harness/kamailio.js';
import { connectRaw, header, statusOf } from '../harness/sip-ws-client.js';
import { startStaticServer } from '../harness/static-server.js';
import { closePages } from './support.js';

const SECRET = 'kamailio-token-secret-0123456789';
const CONTROL_SECRET = 'kamailio-control-secret-0123456789';
const API_KEY = 'kamailio-token-api-key-0123456789';
const DOMAIN = 'voice.test';
const PAGE = '/test/e2e/pages/widget.html';
// Small limits so the limit tests are quick (defaults 20, 10 and 10).
const LIMITS = { UNREGISTERED_PER_ADDRESS: 3, REGISTER_WITHIN: 6, MAX_CONTACTS: 3 };

let kam;
let tokens; // TokenService pushing to the node
let controlPort;
let api; // its HTTP server
let stateDir;
let web;
let browser;
const pages = [];

before(async () => {
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'vw-kam-token-'));
  // The token service's port must be known before Kamailio starts (it loads the list from there).
  // The node's control port is picked first: the token service pushes there, the node loads the list from it.
  controlPort = await freePort();
  tokens = await TokenService.open({
    secret: SECRET,
    apiKeys: [API_KEY],
    storePath: path.join(stateDir, 'tokens.json'),
    domain: DOMAIN,
    kamailio: { nodes: [`http://127.0.0.1:${controlPort}`], secret: CONTROL_SECRET },
  });
  api = http.createServer(async (req, res) => {
    if (!(await tokens.handle(req, res))) res.writeHead(404).end();
  });
  await new Promise((resolve) => api.listen(0, '127.0.0.1', resolve));
  kam = await startKamailio({ secret: SECRET, controlSecret: CONTROL_SECRET, revocationsUrl: revocationsUrl(), controlPort, defines: LIMITS });
});

after(async () => {
  await closePages(pages);
  await browser?.close().catch(() => {});
  await web?.stop().catch(() => {});
  await kam?.stop().catch(() => {});
  await tokens?.close().catch(() => {});
  await new Promise((resolve) => api?.close(resolve));
  await rm(stateDir, { recursive: true, force: true });
});

const revocationsUrl = () => `http://127.0.0.1:${api.address().port}/v1/kamailio/revocations`;
const apiUrl = (p) => `http://127.0.0.1:${api.address().port}${p}`;
const token = (user, opts = {}) => mintToken({ secret: SECRET, user, domain: DOMAIN, name: user, ...opts });

/** Registers `user` on a new raw connection with `tok` and (by default) its own credential. */
async function rawRegister(user, tok, { origin, authUser, password, expires } = {}) {
  const client = await connectRaw(kam.wsUrl, origin === undefined ? {} : { origin });
  const claims = (() => {
    try {
      return decodeToken(tok);
    } catch {
      return { sip_auth_user: `1:${user}`, sip_auth_password: 'x' };
    }
  })();
  const reply = await client.register({
    user,
    domain: DOMAIN,
    token: tok,
    authUser: authUser ?? claims.sip_auth_user,
    password: password ?? claims.sip_auth_password,
    expires,
  });
  return { client, reply, status: statusOf(reply) };
}

async function minted(user, opts = {}) {
  const res = await fetch(apiUrl('/v1/tokens'), {
    method: 'POST',
    headers: { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ sip_user: user, name: user, ttl: 600, ...opts }),
  });
  assert.equal(res.status, 201);
  return res.json();
}

const revoke = (uuid) => fetch(apiUrl(`/v1/tokens/${uuid}`), { method: 'DELETE', headers: { Authorization: `Bearer ${API_KEY}` } });

/** A MESSAGE from `client` (registered as `from`) to `to`; resolves with the final reply. */
function message(client, from, to, extra = []) {
  return client.request(
    'MESSAGE',
    `sip:${to}@${DOMAIN}`,
    [
      `To: <sip:${to}@${DOMAIN}>`,
      `From: <sip:${from}@${DOMAIN}>;tag=${Math.random().toString(16).slice(2, 10)}`,
      `Call-ID: ${Math.random().toString(16).slice(2)}`,
      'CSeq: 1 MESSAGE',
      'Content-Type: text/plain',
      ...extra,
    ],
    'hi',
  );
}

/** Answers the next MESSAGE that reaches `client` with 200 and resolves with it. */
async function answerMessage(client) {
  const got = await client.next((t) => t.startsWith('MESSAGE '));
  const head = got.split('\r\n\r\n')[0].split('\r\n');
  const keep = head.filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l));
  client.ws.send(['SIP/2.0 200 OK', ...keep, 'Content-Length: 0', '', ''].join('\r\n'));
  return got;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test("REGISTER: each bad token is refused with the embedded server's reply; a good one registers", async () => {
  const good = token('alice');
  const [head, body, sig] = good.split('.');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
  const tampered = `${head}.${Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString('base64url')}.${sig}`;
  const expired = token('alice', { ttl: 60, now: () => Date.now() - 120_000 });
  const cases = [
    ['no token', 'alice', undefined, {}, 'Token Required'],
    ['tampered payload', 'mallory', tampered, { authUser: claims.sip_auth_user, password: claims.sip_auth_password }, 'Invalid Token'],
    ['non-canonical signature', 'alice', `${head}.${body}.${sig.slice(0, -1)}${sig.at(-1) === 'A' ? 'B' : 'A'}`, {}, 'Invalid Token'],
    ['expired token', 'alice', expired, {}, 'Credentials Expired'],
    ['token of another user', 'alice', token('bob'), {}, 'Forbidden (User Mismatch)'],
    [
      'digest credential of another token',
      'alice',
      good,
      (() => {
        const other = decodeToken(token('alice', { ttl: 1200 }));
        return { authUser: other.sip_auth_user, password: other.sip_auth_password };
      })(),
      'Forbidden (Credential Mismatch)',
    ],
    ['allowed_domains without the page', 'alice', token('alice', { allowedDomains: ['localhost'] }), { origin: 'http://127.0.0.1:8000' }, 'Origin Not Allowed'],
    ['look-alike domain', 'alice', token('alice', { allowedDomains: ['calhost'] }), { origin: 'http://localhost:8000' }, 'Origin Not Allowed'],
  ];
  for (const [what, user, tok, opts, reason] of cases) {
    const { client, status } = await rawRegister(user, tok, opts);
    client.close();
    assert.deepEqual(status, { status: 403, reason }, what);
  }
  for (const [tok, origin] of [
    [good, undefined],
    [token('alice', { allowedDomains: ['localhost'] }), 'http://localhost:3000'],
  ]) {
    const { client, status } = await rawRegister('alice', tok, { origin });
    client.close();
    assert.equal(status.status, 200, `good token (${origin ?? 'default origin'})`);
  }
});

test('a registration ends with its token; requests of a connection whose token expired are refused', async () => {
  const { client: carol, reply } = await rawRegister('carol', token('carol', { ttl: 3 }), { expires: 600 });
  assert.equal(statusOf(reply).status, 200);
  const expires = Number(/expires=(\d+)/.exec(header(reply, 'Contact'))[1]);
  assert.ok(expires <= 3, `the 200 grants ${expires} s, not more than the token's 3 s`);
  const { client: dan } = await rawRegister('dan', token('dan'));
  const delivered = answerMessage(carol);
  assert.equal(statusOf(await message(dan, 'dan', 'carol')).status, 200);
  await delivered;
  await sleep(3500);
  assert.equal(statusOf(await message(dan, 'dan', 'carol')).status, 480, 'carol is no longer registered');
  assert.deepEqual(statusOf(await message(carol, 'carol', 'dan')), { status: 403, reason: 'Credentials Expired' });
  carol.close();
  dan.close();
});

test('no open relay: in-dialog-looking and direct requests to another host reach nothing', async () => {
  const seen = [];
  const listener = net.createServer((s) => s.on('data', (d) => seen.push(String(d))));
  await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const target = `sip:x@127.0.0.1:${listener.address().port};transport=tcp`;
  const probe = (client, from) =>
    client.request(
      'MESSAGE',
      target,
      [
        `Route: <sip:127.0.0.1:${kam.port};transport=ws;lr>`,
        `To: <${target}>;tag=abc`,
        `From: <sip:${from}@${DOMAIN}>;tag=def`,
        'Call-ID: relay-probe',
        'CSeq: 1 MESSAGE',
      ],
      'probe',
    );
  try {
    const stranger = await connectRaw(kam.wsUrl);
    assert.deepEqual(statusOf(await probe(stranger, 'nobody')), { status: 403, reason: 'Register First' });
    stranger.close();
    const { client: erin } = await rawRegister('erin', token('erin'));
    assert.equal(statusOf(await probe(erin, 'erin')).status, 481, 'a dialog this proxy never saw');
    const direct = await erin.request(
      'MESSAGE',
      target,
      [`To: <${target}>`, `From: <sip:erin@${DOMAIN}>;tag=1`, 'Call-ID: relay-direct', 'CSeq: 1 MESSAGE'],
      'x',
    );
    assert.equal(statusOf(direct).status, 404, 'another domain');
    erin.close();
    await sleep(500);
    assert.deepEqual(seen, [], 'nothing reached the TCP listener');
  } finally {
    listener.close();
  }
});

test('identity comes from the token: P-Asserted-Identity from its name and user; client identity and auto-answer headers removed; a caller ID outside caller_ids is refused', async () => {
  const { client: frank } = await rawRegister('frank', token('frank', { name: 'Frank Token', callerIds: ['+15550100'] }));
  const { client: gina } = await rawRegister('gina', token('gina'));
  const spoof = [
    'P-Asserted-Identity: "Your Bank" <sip:bank@bank.example>',
    'Remote-Party-ID: "Your Bank" <sip:bank@bank.example>',
    'Diversion: <sip:ceo@bank.example>',
    'Call-Info: <sip:x>;answer-after=0',
    'Alert-Info: <http://x>;info=alert-autoanswer',
  ];
  const arrived = answerMessage(gina);
  const sent = frank.request(
    'MESSAGE',
    `sip:gina@${DOMAIN}`,
    [`To: <sip:gina@${DOMAIN}>`, `From: "Your Bank - Fraud Dept" <sip:frank@${DOMAIN}>;tag=1`, 'Call-ID: identity-1', 'CSeq: 1 MESSAGE', ...spoof],
    'hi',
  );
  const got = await arrived;
  assert.equal(statusOf(await sent).status, 200);
  assert.equal(header(got, 'P-Asserted-Identity'), `"Frank Token" <sip:frank@${DOMAIN}>`);
  for (const name of ['Remote-Party-ID', 'Diversion', 'Call-Info', 'Alert-Info', 'P-Preferred-Identity']) assert.equal(header(got, name), null, name);
  assert.equal(got.match(/^P-Asserted-Identity:/gim).length, 1);

  const allowed = answerMessage(gina);
  await message(frank, 'frank', 'gina', [`P-Preferred-Identity: <sip:+15550100@${DOMAIN}>`]);
  assert.equal(header(await allowed, 'P-Asserted-Identity'), `"Frank Token" <sip:+15550100@${DOMAIN}>`);
  assert.deepEqual(statusOf(await message(frank, 'frank', 'gina', [`P-Preferred-Identity: <sip:+15550199@${DOMAIN}>`])), {
    status: 403,
    reason: 'Caller ID Not Allowed',
  });
  assert.deepEqual(statusOf(await message(frank, 'gina', 'gina')), { status: 403, reason: 'Forbidden (From Mismatch)' });
  frank.close();
  gina.close();
});

test('connection lifecycle: unregistered slots per address come back after FIN and RST; an unregistered socket is closed after its grace', async () => {
  const other = { localAddress: '127.0.0.2' }; // its own per-address count
  const refused = () =>
    connectRaw(kam.wsUrl, other).then(
      (c) => (c.close(), 'open'),
      (e) => e.message,
    );
  const held = [];
  for (let i = 0; i < LIMITS.UNREGISTERED_PER_ADDRESS; i++) held.push(await connectRaw(kam.wsUrl, other));
  assert.equal(await refused(), 'handshake answered 503');
  // A registered connection does not count.
  const { client: ivy, status } = await rawRegister('ivy', token('ivy'));
  assert.equal(status.status, 200);
  held[0].ws._socket.end(); // FIN without a WebSocket close: tcp:closed
  held[1].ws._socket.resetAndDestroy(); // RST: tcp:reset
  await sleep(500);
  const again = [await connectRaw(kam.wsUrl, other), await connectRaw(kam.wsUrl, other)];
  assert.equal(await refused(), 'handshake answered 503');
  // The grace: closed with 1008 within REGISTER_WITHIN plus the 2 s sweep.
  const t0 = performance.now();
  const closed = await Promise.race([held[2].closed, sleep((LIMITS.REGISTER_WITHIN + 6) * 1000, { code: 'still open' })]);
  assert.equal(closed.code, 1008, `closed after ${Math.round(performance.now() - t0)} ms`);
  for (const c of again) c.close();
  // The registered one stays.
  assert.equal(ivy.ws.readyState, ivy.ws.OPEN);
  ivy.close();
});

test('limits: bindings per user, one Contact per REGISTER, message size', async () => {
  const tok = token('jack');
  const held = [];
  for (let i = 0; i < LIMITS.MAX_CONTACTS; i++) {
    const { client, status } = await rawRegister('jack', tok);
    assert.equal(status.status, 200, `binding ${i + 1}`);
    held.push(client);
  }
  const { client: extra, status } = await rawRegister('jack', tok);
  assert.deepEqual(status, { status: 403, reason: 'Too Many Registrations' });
  // A binding already held refreshes.
  const claims = decodeToken(tok);
  assert.equal(
    statusOf(await held[0].register({ user: 'jack', domain: DOMAIN, token: tok, authUser: claims.sip_auth_user, password: claims.sip_auth_password })).status,
    200,
  );
  for (const c of held) c.close();
  await sleep(300); // the bindings go with their sockets
  const two = await extra.register({
    user: 'jack',
    domain: DOMAIN,
    token: tok,
    authUser: claims.sip_auth_user,
    password: claims.sip_auth_password,
    extra: ['Contact: <sip:second@x.invalid;transport=ws>'],
  });
  assert.deepEqual(statusOf(two), { status: 403, reason: 'Forbidden (One Contact Per Register)' });
  assert.equal(
    statusOf(await extra.register({ user: 'jack', domain: DOMAIN, token: tok, authUser: claims.sip_auth_user, password: claims.sip_auth_password })).status,
    200,
  );
  // 60 KiB goes through; over 64 KiB the message and its connection go (the embedded server closes with 1009).
  const { client: kate, status: ok } = await rawRegister('kate', token('kate'));
  assert.equal(ok.status, 200);
  const arrived = answerMessage(kate);
  assert.equal(statusOf(await message(extra, 'jack', 'kate', ['X-Pad: ' + 'a'.repeat(60 * 1024)])).status, 200);
  assert.ok((await arrived).length > 60 * 1024);
  const big = await message(extra, 'jack', 'kate', ['X-Pad: ' + 'a'.repeat(66 * 1024)]).then(statusOf, () => 'no reply');
  assert.ok(big === 'no reply' || big.status === 513, JSON.stringify(big));
  assert.equal(await kate.receives((t) => t.startsWith('MESSAGE '), 300), false, 'not delivered');
  // The node still answers.
  const { client: lee, status: again } = await rawRegister('lee', token('lee'));
  assert.equal(again.status, 200);
  for (const c of [kate, lee, extra]) c.close();
});

test('the control listener takes only signed, fresh pushes, and only on its own port', async () => {
  const body = JSON.stringify({ jti: 'never-minted-1234', exp: Math.floor(Date.now() / 1000) + 600 });
  const push = (base, signature) =>
    fetch(`${base}/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(signature ? { 'X-Voice-Widget-Signature': signature } : {}) },
      body,
    }).then((r) => r.status);
  const mac = (ts, key) => createHmac('sha256', key).update(`${ts}.${body}`).digest('base64url');
  const now = Math.floor(Date.now() / 1000);
  assert.equal(await push(kam.controlUrl), 401, 'unsigned');
  assert.equal(await push(kam.controlUrl, `${now}.${mac(now, 'wrong-secret-0123456789')}`), 401, 'wrong secret');
  assert.equal(await push(kam.controlUrl, `${now - 120}.${mac(now - 120, CONTROL_SECRET)}`), 401, 'two minutes old');
  assert.equal(await push(`http://127.0.0.1:${kam.port}`, `${now}.${mac(now, CONTROL_SECRET)}`), 404, 'the public WebSocket port');
  assert.equal(await push(kam.controlUrl, `${now}.${mac(now, CONTROL_SECRET)}`), 200, 'signed and fresh');
});

test('revocation: both tabs of the user get token-expired {reason: revoked} within 1 s; the token is refused, also after Kamailio restarts', async (t) => {
  web = await startStaticServer({ root: REPO_ROOT });
  browser = await launchBrowser();
  const record = await minted('hana');
  const tabs = [];
  for (let i = 0; i < 2; i++) {
    const page = await newIsolatedPage(browser);
    pages.push(page);
    await page.goto(web.url + PAGE, { waitUntil: 'load' });
    await page.waitForFunction(() => customElements.get('voice-widget') && window.vw);
    await page.evaluate((o) => window.vw.configure(o), { token: record.token, server: kam.wsUrl });
    await page.evaluate(() => window.vw.waitFor('ready', { timeout: 15_000 }));
    tabs.push(page);
  }
  // Each tab notes when the event fired (same machine clock), so page round trips do not count.
  for (const p of tabs) await p.evaluate(() => window.vw.el().addEventListener('token-expired', () => (window.expiredAt = Date.now()), { once: true }));
  const started = Date.now();
  assert.equal((await revoke(record.uuid)).status, 200);
  const events = await Promise.all(tabs.map((p) => p.evaluate(() => window.vw.waitFor('token-expired', { timeout: 3000 })))); // 1 s, asserted at 3×
  for (const e of events) assert.deepEqual(e, { reason: 'revoked' });
  const elapsed = Math.max(...(await Promise.all(tabs.map((p) => p.evaluate(() => window.expiredAt))))) - started;
  t.diagnostic(`DELETE → token-expired {reason: 'revoked'} in both tabs: ${elapsed} ms`);
  assert.ok(elapsed < 3000, `${elapsed} ms`);

  // A REGISTER with the revoked token: refused, and the socket closed with 4001.
  let { client, status } = await rawRegister('hana', record.token);
  assert.deepEqual(status, { status: 403, reason: 'Token Revoked' });
  assert.equal((await client.closed).code, 4001);

  // Revocation latency, raw clients: DELETE → the node closes the socket (4001).
  const times = [];
  for (let i = 0; i < 10; i++) {
    const r = await minted(`lat${i}`);
    ({ client, status } = await rawRegister(`lat${i}`, r.token));
    assert.equal(status.status, 200);
    const t0 = performance.now();
    await revoke(r.uuid);
    const closed = await client.closed;
    assert.equal(closed.code, 4001);
    times.push(closed.at - t0);
  }
  t.diagnostic(`revocation latency on Kamailio, median of 10: ${median(times).toFixed(1)} ms (max ${Math.max(...times).toFixed(1)} ms)`);

  // A node that restarts loads the list before it takes a WebSocket.
  const port = kam.port;
  await kam.kill();
  kam = await startKamailio({ secret: SECRET, controlSecret: CONTROL_SECRET, revocationsUrl: revocationsUrl(), port, controlPort, defines: LIMITS });
  ({ client, status } = await rawRegister('hana', record.token));
  client.close();
  assert.deepEqual(status, { status: 403, reason: 'Token Revoked' });
});

test("in the callee's widget, a spoofed From display name and an auto-answer hint change nothing: call-received.from is the token's name and user, and it rings", async () => {
  browser ??= await launchBrowser();
  web ??= await startStaticServer({ root: REPO_ROOT });
  const page = await newIsolatedPage(browser);
  pages.push(page);
  await page.goto(web.url + PAGE, { waitUntil: 'load' });
  await page.waitForFunction(() => customElements.get('voice-widget') && window.vw);
  await page.evaluate((o) => window.vw.configure(o), { token: token('mia', { name: 'Mia' }), server: kam.wsUrl });
  await page.evaluate(() => window.vw.waitFor('ready', { timeout: 15_000 }));
  const { client: noah } = await rawRegister('noah', token('noah', { name: 'Noah Token' }));
  // An INVITE without an offer is enough to ring (the callee would offer in its 200).
  const answered = noah.request('INVITE', `sip:mia@${DOMAIN}`, [
    `To: <sip:mia@${DOMAIN}>`,
    `From: "Your Bank - Fraud Dept" <sip:noah@${DOMAIN}>;tag=spoof1`,
    'Call-ID: spoofed-display-name',
    'CSeq: 1 INVITE',
    `Contact: <${noah.contact}>`,
    'Call-Info: <sip:x>;answer-after=0',
    'Alert-Info: <http://x>;info=alert-autoanswer',
  ]);
  const received = await page.evaluate(() => window.vw.waitFor('call-received', { timeout: 10_000 }));
  assert.deepEqual(received.from, { name: 'Noah Token', address: `sip:noah@${DOMAIN}` });
  await sleep(500);
  assert.equal(await page.evaluate(() => window.vw.el().getState()), 'incoming', 'still ringing: not answered by itself');
  await page.evaluate(() => window.vw.el().reject());
  assert.equal(statusOf(await answered).status, 603, 'declined by the user');
  noah.close();
});
