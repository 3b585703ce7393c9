// Two Kamailio nodes (kamailio/cluster.cfg) on 127.0.0.2 and 127.0.0.3
// sharing registrations and the deny-list over DMQ, an rtpengine set of two,
// and two token-service processes on one PostgreSQL: a call across nodes
// with audio both ways, the rtpengine set's choice and failover, and a
// revocation through one token service closing the token's sockets on both
// nodes. Run: node --test test/e2e/kamailio-cluster.test.js
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { mintToken } from '../../dist/node/index.js';
import { launchBrowser, newIsolatedPage, pageLog } from '../harness/browser.js';
import { REPO_ROOT } from '../harness/bundle-jssip.js';
import { startKamailio } from '../harness/kamailio.js';
import { startPostgres } from '../harness/postgres.js';
import { ngListCalls, startRtpengine } from '../harness/rtpengine.js';
import { nextMatching, replyTo, webrtcOffer } from '../harness/sip-ws-calls.js';
import { inviteRequest, registerThrough, sipClient, statusLine } from '../harness/sip-ws-client.js';
import { startStaticServer } from '../harness/static-server.js';
import { startTokenServiceProcess } from '../harness/token-service-process.js';
import { widgetMedia } from '../harness/widget-media.js';

const SECRET = 'cluster-e2e-secret-0123456789abcdef';
const CONTROL_SECRET = 'cluster-e2e-control-0123456789ab';
const API_KEY = 'cluster-e2e-api-key-0123456789ab';
const DOMAIN = 'voice.test';
const PAGE = '/test/e2e/pages/widget.html';

let rtp = [];
let nodeA;
let nodeB;
let db;
let services = [];
let web;
let browser;
const pages = [];

before(async () => {
  rtp = await Promise.all([startRtpengine({ address: '127.0.0.1' }), startRtpengine({ address: '127.0.0.1' })]);
  // Browser-to-browser calls anchored too, so every call goes through the set.
  const phoneNetwork = { rtpengine: rtp.map((r) => r.ngUrl), anchorBrowserCalls: true };
  const common = { secret: SECRET, controlSecret: CONTROL_SECRET, phoneNetwork };
  nodeA = await startKamailio({ ...common, host: '127.0.0.2', cluster: {} });
  nodeB = await startKamailio({ ...common, host: '127.0.0.3', cluster: { seed: nodeA.nodeUri } });
  db = await startPostgres();
  const options = {
    secret: SECRET,
    apiKeys: [API_KEY],
    databaseUrl: db.url,
    domain: DOMAIN,
    kamailio: { nodes: [nodeA.controlUrl, nodeB.controlUrl], secret: CONTROL_SECRET },
  };
  services = await Promise.all([startTokenServiceProcess(options), startTokenServiceProcess(options)]);
  web = await startStaticServer({ root: REPO_ROOT });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close().catch(() => {});
  await web?.stop().catch(() => {});
  await Promise.all(services.map((s) => s.stop().catch(() => {})));
  await db?.stop().catch(() => {});
  await nodeB?.stop().catch(() => {});
  await nodeA?.stop().catch(() => {});
  await Promise.all(rtp.map((r) => r.stop().catch(() => {})));
});

const vw = (page, fn, ...args) => page.evaluate(fn, ...args);
const token = (user) => mintToken({ secret: SECRET, user, domain: DOMAIN, name: user });

async function widgetPage(user, server) {
  const page = await newIsolatedPage(browser);
  pages.push(page);
  await page.goto(web.url + PAGE, { waitUntil: 'load' });
  await page.waitForFunction(() => customElements.get('voice-widget') && window.vw);
  await vw(page, (o) => window.vw.configure(o), { token: token(user), server });
  await vw(page, () => window.vw.waitFor('ready'));
  return page;
}

async function withLogs(fn) {
  try {
    return await fn();
  } catch (err) {
    const tail = (s, n = 4000) => (s.length > n ? `…${s.slice(-n)}` : s);
    err.message +=
      `\n--- node A log ---\n${tail(nodeA?.log() ?? '')}\n--- node B log ---\n${tail(nodeB?.log() ?? '')}` +
      pages.map((p, i) => `\n--- page ${i} ---\n${pageLog(p).slice(-30).join('\n')}`).join('');
    throw err;
  }
}

/** Which rtpengine instances (indexes) relay `callId` now. */
async function carriers(callId) {
  const lists = await Promise.all(rtp.map((r) => (r.kill.done ? [] : ngListCalls(r.ngPort))));
  return lists.flatMap((calls, i) => (calls.includes(callId) ? [i] : []));
}

/** Two widgets in a call: inbound RTP rises at both ends within a second. */
async function assertTwoWayAudio(t, caller, callee) {
  for (const p of [caller, callee]) await p.waitForFunction(async () => (await window.vw.inboundAudioBytes()) > 0, { timeout: 10_000, polling: 50 });
  const before = await Promise.all([widgetMedia(caller), widgetMedia(callee)]);
  await sleep(1000);
  const after = await Promise.all([widgetMedia(caller), widgetMedia(callee)]);
  for (const [i, who] of ['caller', 'callee'].entries()) {
    assert.equal(after[i].dtlsState, 'connected', who);
    assert.ok(after[i].bytesReceived > before[i].bytesReceived, `${who} inbound RTP rises: ${before[i].bytesReceived} → ${after[i].bytesReceived}`);
  }
  t.diagnostic(
    `inbound RTP in 1 s: caller +${after[0].bytesReceived - before[0].bytesReceived} B, callee +${after[1].bytesReceived - before[1].bytesReceived} B`,
  );
}

/** bob (node B) calls alice (node A), who answers; two-way audio; hang up. Returns the rtpengine instances the call used. */
async function crossNodeCall(t, alice, bob) {
  const fromA = await vw(alice, () => window.vw.log.length);
  const fromB = await vw(bob, () => window.vw.log.length);
  await vw(alice, () => (window.vw.autoAnswer = true));
  const { placed } = await vw(bob, () => window.vw.call('alice'));
  assert.equal(placed, true);
  await vw(bob, (from) => window.vw.waitFor('state-change', { from, match: { state: 'in-progress' }, timeout: 15_000 }), fromB);
  await assertTwoWayAudio(t, bob, alice);
  const callId = await vw(bob, () => {
    const invite = window.vw.sip.sent.filter((m) => typeof m === 'string' && m.startsWith('INVITE ')).at(-1);
    return /^Call-ID:\s*(.*)$/im.exec(invite ?? '')?.[1]?.trim();
  });
  const used = await carriers(callId);
  assert.equal(await vw(bob, () => window.vw.el().hangup()), true);
  await vw(alice, (from) => window.vw.waitFor('call-ended', { from, timeout: 10_000 }), fromA);
  await vw(bob, (from) => window.vw.waitFor('call-ended', { from, timeout: 10_000 }), fromB);
  return used;
}

/** A raw INVITE from a client on node B to one on node A with `callId`; resolves with the instances relaying it while it rings. */
async function rawCall(caller, callee, callId) {
  caller.send(inviteRequest('carol', 'dave', DOMAIN, { callId, body: webrtcOffer() }));
  const invite = await nextMatching(callee, (m) => m.startsWith('INVITE ') && m.includes(`Call-ID: ${callId}`));
  assert.match(invite, /^a=ice-ufrag:/m, 'the callee gets the browser-side SDP rtpengine wrote');
  const used = await carriers(callId);
  callee.send(replyTo(invite, 486, 'Busy Here'));
  assert.equal(statusLine(await nextMatching(caller, (m) => /^SIP\/2\.0 [3-6]\d\d /.test(m) && m.includes(`Call-ID: ${callId}`))), '486 Busy Here');
  return used;
}

test('a widget on node B calls a widget on node A through the cluster: audio both ways, one rtpengine of the set', { timeout: 90_000 }, (t) =>
  withLogs(async () => {
    const alice = await widgetPage('alice', nodeA.wsUrl);
    const bob = await widgetPage('bob', nodeB.wsUrl);
    const started = Date.now();
    const used = await crossNodeCall(t, alice, bob);
    assert.equal(used.length, 1, `the call is on one rtpengine: ${used}`);
    t.diagnostic(`cross-node call with audio checked in ${Date.now() - started} ms, on rtpengine ${used}`);
  }),
);

test(
  'rtpengine set: calls spread over both instances by Call-ID; one killed, the next call goes to the other (and a widget call still has audio)',
  { timeout: 90_000 },
  (t) =>
    withLogs(async () => {
      const carol = await sipClient(nodeB.wsUrl);
      const dave = await sipClient(nodeA.wsUrl);
      try {
        assert.equal(statusLine(await registerThrough(carol, 'carol', DOMAIN, { token: token('carol') })), '200 OK');
        // A client's own Path is dropped: calls from node B still reach dave's socket, not this address.
        const hijack = { token: token('dave'), extra: ['Path: <sip:127.0.0.9:5999;lr>'] };
        assert.equal(statusLine(await registerThrough(dave, 'dave', DOMAIN, hijack)), '200 OK');
        const byInstance = new Map();
        for (let i = 0; i < 16 && byInstance.size < 2; i++) {
          const callId = `set-${i}-${Date.now()}`;
          const used = await rawCall(carol, dave, callId);
          assert.equal(used.length, 1, `${callId} is on exactly one instance: ${used}`);
          if (!byInstance.has(used[0])) byInstance.set(used[0], callId);
        }
        assert.equal(byInstance.size, 2, 'both instances carried a call');
        // The same Call-ID goes to the same instance again.
        assert.deepEqual(await rawCall(carol, dave, byInstance.get(0)), [0]);

        const killedAt = Date.now();
        await rtp[0].kill();
        rtp[0].kill.done = true;
        const used = await rawCall(carol, dave, byInstance.get(0));
        assert.deepEqual(used, [1], 'the call that hashed to the dead instance is on the other');
        t.diagnostic(`instance 0 killed: its Call-ID set up on instance 1 ${Date.now() - killedAt} ms later`);

        const alice = pages[0];
        const bob = pages[1];
        assert.deepEqual(await crossNodeCall(t, alice, bob), [1], 'the widget call after the kill is on the live instance');
      } finally {
        carol.close();
        dave.close();
      }
    }),
);

test('a token revoked through token-service process 1 (made by process 2) is refused on both nodes; its sockets close within 1 s', { timeout: 60_000 }, (t) =>
  withLogs(async () => {
    const [one, two] = services;
    const made = await two.api('POST', '/v1/tokens', { sip_user: 'erin' });
    assert.equal(made.status, 201);
    const onA = await sipClient(nodeA.wsUrl);
    const onB = await sipClient(nodeB.wsUrl);
    const caller = await sipClient(nodeB.wsUrl);
    try {
      for (const c of [onA, onB]) assert.equal(statusLine(await registerThrough(c, 'erin', DOMAIN, { token: made.json.token })), '200 OK');
      assert.equal(statusLine(await registerThrough(caller, 'frank', DOMAIN, { token: token('frank') })), '200 OK');
      const revokedAt = Date.now();
      assert.equal((await one.api('DELETE', `/v1/tokens/${made.json.uuid}`)).status, 200);
      const codes = await Promise.all([onA.closed, onB.closed]);
      const closedMs = Date.now() - revokedAt;
      t.diagnostic(`revoked through process 1: both sockets closed (${codes}) in ${closedMs} ms`);
      assert.deepEqual(codes, [4001, 4001]);
      assert.ok(closedMs < 1000, `${closedMs} ms`);
      for (const node of [nodeA, nodeB]) {
        const c = await sipClient(node.wsUrl);
        const answer = await registerThrough(c, 'erin', DOMAIN, { token: made.json.token });
        assert.equal(statusLine(answer), '403 Token Revoked', node.host);
        c.close();
      }
      assert.deepEqual(await two.check(made.json.token), { ok: false, reason: 'revoked' });
      // erin's contacts went with her sockets, on both nodes: a call from B finds nobody.
      caller.send(inviteRequest('frank', 'erin', DOMAIN, { body: webrtcOffer() }));
      assert.equal(statusLine(await nextMatching(caller, (m) => /^SIP\/2\.0 [3-6]\d\d /.test(m))), '480 Temporarily Unavailable');
    } finally {
      for (const c of [onA, onB, caller]) c.close();
    }
  }),
);

test(
  'a call whose widget reconnects to the other node (network recovery, issue 19): that node does not know the dialog and refuses the re-INVITE (481), the call ends there at once and at the far end when its media stops, no ghost',
  { timeout: 90_000 },
  (t) =>
    withLogs(async () => {
      const hana = await widgetPage('hana', `${nodeA.wsUrl} ${nodeB.wsUrl}`);
      const alice = await widgetPage('ivy', nodeA.wsUrl); // the far end, on node A
      // The URL of the socket each REGISTER leaves on.
      await vw(hana, () => {
        const real = Object.getPrototypeOf(window.WebSocket.prototype);
        const send = real.send;
        window.registeredOn = [];
        real.send = function (data) {
          if (String(data).startsWith('REGISTER ')) window.registeredOn.push(this.url);
          return send.call(this, data);
        };
      });
      const fromH = await vw(hana, () => window.vw.log.length);
      const fromA = await vw(alice, () => window.vw.log.length);
      await vw(alice, () => (window.vw.autoAnswer = true));
      assert.equal((await vw(hana, () => window.vw.call('ivy'))).placed, true);
      await vw(hana, (from) => window.vw.waitFor('state-change', { from, match: { state: 'in-progress' }, timeout: 15_000 }), fromH);
      await assertTwoWayAudio(t, hana, alice);
      // A network change: the socket is dropped and the next one is the other node's.
      await hana.setOfflineMode(true);
      await vw(hana, (from) => window.vw.waitFor('call-reconnecting', { from, timeout: 5000 }), fromH);
      await hana.setOfflineMode(false);
      await vw(hana, (from) => window.vw.waitFor('registration-change', { from, match: { state: 'registered' }, timeout: 15_000 }), fromH);
      assert.equal(new URL(await vw(hana, () => window.registeredOn.at(-1))).host, new URL(nodeB.wsUrl).host, 'registered again on node B');
      const moved = Date.now();
      const endOf = (page, from) =>
        vw(
          page,
          async (f) => {
            const ended = await window.vw.waitFor('call-ended', { from: f, timeout: 50_000 });
            const at = (type) => window.vw.log.slice(f).find((e) => e.type === type)?.at ?? null;
            return { cause: ended.cause, at: at('call-ended'), reconnecting: at('call-reconnecting'), reconnected: at('call-reconnected') };
          },
          from,
        ).then((end) => ({ ...end, wall: Date.now() - moved }));
      const [h, a] = await Promise.all([endOf(hana, fromH), endOf(alice, fromA)]);
      const refused = await vw(hana, () =>
        window.vw.sip.received
          .filter((m) => typeof m === 'string' && /^SIP\/2\.0 [3-6]\d\d /.test(m) && /^CSeq:\s*\d+ INVITE/im.test(m))
          .map((m) => m.split('\r\n')[0]),
      );
      t.diagnostic(
        `hana (moved to B): ${h.cause} ${Math.round(h.at - h.reconnecting)} ms after call-reconnecting, ${h.wall} ms after registering on B; ` +
          `the far end (on A): ${a.cause} ${a.wall} ms after; re-INVITE answers: ${[...new Set(refused)].join(', ') || 'none'}`,
      );
      assert.equal(h.reconnected, null, 'the call did not recover through the other node');
      assert.equal(h.cause, 'connection-lost');
      assert.ok(h.at - h.reconnecting < 30_000 + 5000, `${h.at - h.reconnecting} ms`);
      assert.ok(['remote-hangup', 'connection-lost'].includes(a.cause), a.cause);
      await sleep(500);
      for (const [page, from] of [
        [hana, fromH],
        [alice, fromA],
      ]) {
        assert.equal(await vw(page, (f) => window.vw.log.slice(f).filter((e) => e.type === 'call-ended').length, from), 1);
        assert.notEqual(await vw(page, () => window.vw.el().getState()), 'in-progress', 'no call left');
      }
    }),
);

test('node A killed: a widget listing both nodes (sip-server="ws://A ws://B") registers on B within 5 s and is called there again', { timeout: 90_000 }, (t) =>
  withLogs(async () => {
    const gina = await widgetPage('gina', `${nodeA.wsUrl} ${nodeB.wsUrl}`);
    const bob = pages[1]; // registered on node B only
    const mark = await vw(gina, () => window.vw.log.length);
    const before = await vw(gina, () => window.vw.now());
    await nodeA.kill();
    // 5 s is the promise; asserted at 3× on this shared machine, the measured time is printed.
    const registered = await vw(
      gina,
      (from) => window.vw.waitFor('registration-change', { from, match: { state: 'registered' }, timeout: 15_000 }).then(() => window.vw.log.slice(from)),
      mark,
    );
    const ms = Math.round(registered.find((e) => e.type === 'registration-change' && e.detail.state === 'registered').at - before);
    t.diagnostic(`node A killed → gina registered on node B ${ms} ms later`);
    assert.ok(ms < 15_000, `${ms} ms`);

    // bob, on B, calls gina: her old contact (on the dead A) still forks a branch there; the one on B answers.
    const fromG = await vw(gina, () => window.vw.log.length);
    const fromB = await vw(bob, () => window.vw.log.length);
    await vw(gina, () => (window.vw.autoAnswer = true));
    const placedAt = Date.now();
    assert.equal((await vw(bob, () => window.vw.call('gina'))).placed, true);
    await vw(bob, (from) => window.vw.waitFor('state-change', { from, match: { state: 'in-progress' }, timeout: 20_000 }), fromB);
    t.diagnostic(`bob → gina on node B answered ${Date.now() - placedAt} ms after call()`);
    await assertTwoWayAudio(t, bob, gina);
    assert.equal(await vw(bob, () => window.vw.el().hangup()), true);
    await vw(gina, (from) => window.vw.waitFor('call-ended', { from, timeout: 10_000 }), fromG);
  }),
);
