// Proves the e2e harness with bare JsSIP (no widget): real Kamailio, real
// headless Chromium, two isolated pages, WebRTC audio over loopback.
// Run: node --test test/e2e/harness.test.js
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { launchBrowser, newIsolatedPage, pageLog } from '../harness/browser.js';
import { buildJsSIPBundle, REPO_ROOT } from '../harness/bundle-jssip.js';
import { decodeToken, mintToken } from '../../dist/node/index.js';
import { ephemeralCredentials } from '../harness/credentials.js';
import { startKamailio } from '../harness/kamailio.js';
import { startStaticServer } from '../harness/static-server.js';
import { closePages } from './support.js';

const SECRET = 'harness-test-secret-0123456789';
const DOMAIN = 'voice.test'; // deliberately unresolvable: the proxy must not care
const PAGE = '/test/e2e/pages/bare-jssip.html';

let kam;
let web;
let browser;
const pages = [];

before(async () => {
  await buildJsSIPBundle();
  kam = await startKamailio({ secret: SECRET });
  web = await startStaticServer({ root: REPO_ROOT });
  browser = await launchBrowser();
});

after(async () => {
  // Each step on its own so one failure doesn't leak the others.
  await closePages(pages);
  await browser?.close().catch(() => {});
  await web?.stop().catch(() => {});
  await kam?.stop().catch(() => {});
});

/** Opens the bare JsSIP page in a fresh browser context. */
async function openPhone() {
  const page = await newIsolatedPage(browser);
  pages.push(page);
  await page.goto(web.url + PAGE, { waitUntil: 'load' });
  await page.waitForFunction(() => typeof window.bare === 'object', { timeout: 10_000 });
  return page;
}

/** Registers `user` with a widget token and its credential (overridable for negative tests; ttl < 0: already expired). */
function register(page, user, { ttl = 3600, password, authUser = user, autoAnswer = false } = {}) {
  const issued = ttl > 0 ? Date.now() : Date.now() + (ttl - 60) * 1000;
  const token = mintToken({ secret: SECRET, user, domain: DOMAIN, ttl: ttl > 0 ? ttl : 60, now: () => issued });
  const claims = decodeToken(token);
  const creds =
    authUser === user ? { username: claims.sip_auth_user, password: claims.sip_auth_password } : ephemeralCredentials({ secret: SECRET, user: authUser, ttl });
  return page.evaluate((o) => window.bare.start(o), {
    wsUrl: kam.wsUrl,
    user,
    domain: DOMAIN,
    username: creds.username,
    password: password ?? creds.password,
    token,
    autoAnswer,
  });
}

const evalBare = (page, fn, ...args) => page.evaluate(fn, ...args);

/** On failure, attach the Kamailio log tail and page console errors. */
async function explain(fn) {
  try {
    return await fn();
  } catch (err) {
    const pageErrors = pages.map((p, i) => `page ${i}: ${pageLog(p).join('\n  ') || '(none)'}`).join('\n');
    err.message += `\n--- page logs ---\n${pageErrors}\n--- kamailio log (tail) ---\n${kam?.log().slice(-8000)}`;
    throw err;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;

describe('harness with bare JsSIP', () => {
  test('register, call, audio both ways, DTMF via INFO, hang-up', async (t) => {
    await explain(async () => {
      const [alice, bob] = await Promise.all([openPhone(), openPhone()]);

      const regA = await register(alice, 'alice');
      const regB = await register(bob, 'bob', { autoAnswer: true });
      assert.equal(regA.ok, true, `alice register: ${JSON.stringify(regA)}`);
      assert.equal(regB.ok, true, `bob register: ${JSON.stringify(regB)}`);

      const call = await evalBare(alice, (to) => window.bare.call(to), `sip:bob@${DOMAIN}`);
      assert.equal(call.ok, true, `call: ${JSON.stringify(call)}`);
      const bobConfirmed = await evalBare(bob, () => window.bare.waitFor('confirmed', { timeoutMs: 10_000 }));
      assert.equal(bobConfirmed.ok, true, 'bob confirmed');

      // Audio flows in both directions: inbound bytes rise on each side.
      const s1 = await Promise.all([alice, bob].map((p) => evalBare(p, () => window.bare.stats())));
      await sleep(1000);
      const s2 = await Promise.all([alice, bob].map((p) => evalBare(p, () => window.bare.stats())));
      for (const [i, who] of ['alice', 'bob'].entries()) {
        assert.equal(s2[i].ok, true, `${who} stats: ${JSON.stringify(s2[i])}`);
        assert.ok(
          s2[i].bytesReceived > s1[i].bytesReceived && s1[i].bytesReceived >= 0,
          `${who} inbound-rtp bytesReceived must rise: ${s1[i].bytesReceived} -> ${s2[i].bytesReceived}`,
        );
      }
      t.diagnostic(`inbound-rtp bytes/s: alice ${s2[0].bytesReceived - s1[0].bytesReceived}, bob ${s2[1].bytesReceived - s1[1].bytesReceived}`);

      // DTMF via SIP INFO, relayed in-dialog by the proxy.
      const sent = await evalBare(alice, () => window.bare.sendDTMF('1#'));
      assert.equal(sent.ok, true, JSON.stringify(sent));
      await bob.waitForFunction(() => window.bare.state.dtmf.length >= 2, { timeout: 5000 });
      assert.deepEqual(await evalBare(bob, () => window.bare.state.dtmf), ['1', '#']);

      // Hang-up reaches the other side.
      const bobEventsBefore = await evalBare(bob, () => window.bare.state.events.length);
      assert.equal((await evalBare(alice, () => window.bare.hangup())).ok, true);
      const ended = await evalBare(bob, (from) => window.bare.waitFor('ended', { from, timeoutMs: 5000 }), bobEventsBefore);
      assert.equal(ended.ok, true, `bob ended: ${JSON.stringify(ended)}`);
      assert.equal(ended.originator, 'remote');

      // More calls for a steadier call-setup figure (benchmark baseline).
      const setups = [call.setupMs];
      for (let i = 0; i < 2; i++) {
        const from = await evalBare(bob, () => window.bare.state.events.length);
        const again = await evalBare(alice, (to) => window.bare.call(to), `sip:bob@${DOMAIN}`);
        assert.equal(again.ok, true, `call #${i + 2}: ${JSON.stringify(again)}`);
        setups.push(again.setupMs);
        await evalBare(alice, () => window.bare.hangup());
        const e = await evalBare(bob, (f) => window.bare.waitFor('ended', { from: f, timeoutMs: 5000 }), from);
        assert.equal(e.ok, true, `bob ended after call #${i + 2}`);
      }

      t.diagnostic(`bare JsSIP register (UA.start -> registered): alice ${ms(regA.registerMs)}, bob ${ms(regB.registerMs)}`);
      t.diagnostic(`bare JsSIP call setup (call() -> confirmed): ${setups.map(ms).join(', ')}; median ${ms(median(setups))}`);

      await Promise.all([alice, bob].map((p) => evalBare(p, () => window.bare.stop())));
    });
  });

  test('CANCEL while ringing and a rejected call reach the other side', async () => {
    await explain(async () => {
      const [carol, dave] = await Promise.all([openPhone(), openPhone()]);
      assert.equal((await register(carol, 'carol')).ok, true);
      assert.equal((await register(dave, 'dave')).ok, true); // no auto-answer: rings

      // Caller gives up while the callee rings: CANCEL must be relayed.
      let from = await evalBare(dave, () => window.bare.state.events.length);
      const canceled = evalBare(carol, (to) => window.bare.call(to), `sip:dave@${DOMAIN}`);
      const ringing = await evalBare(dave, (f) => window.bare.waitFor('progress', { from: f }), from);
      assert.equal(ringing.ok, true, `dave rings: ${JSON.stringify(ringing)}`);
      assert.equal((await evalBare(carol, () => window.bare.hangup())).ok, true);
      const carolRes = await canceled;
      assert.equal(carolRes.ok, false);
      assert.equal(carolRes.cause, 'Canceled', JSON.stringify(carolRes));
      const daveEnd = await evalBare(dave, (f) => window.bare.waitFor('failed', { from: f, timeoutMs: 5000 }), from);
      assert.equal(daveEnd.ok, true, `dave sees the CANCEL: ${JSON.stringify(daveEnd)}`);
      assert.equal(daveEnd.originator, 'remote');
      assert.equal(daveEnd.cause, 'Canceled');

      // Callee declines: the caller gets the callee's final response.
      from = await evalBare(dave, () => window.bare.state.events.length);
      const declined = evalBare(carol, (to) => window.bare.call(to), `sip:dave@${DOMAIN}`);
      assert.equal((await evalBare(dave, (f) => window.bare.waitFor('progress', { from: f }), from)).ok, true);
      assert.equal((await evalBare(dave, () => window.bare.reject(486))).ok, true);
      const rejected = await declined;
      assert.equal(rejected.ok, false);
      assert.equal(rejected.status, 486, JSON.stringify(rejected));

      await Promise.all([carol, dave].map((p) => evalBare(p, () => window.bare.stop())));
    });
  });

  test("a client cannot assert an identity: the proxy replaces its P-Asserted-Identity with the token's", async () => {
    await explain(async () => {
      const [mallory, victim] = await Promise.all([openPhone(), openPhone()]);
      assert.equal((await register(mallory, 'mallory')).ok, true);
      assert.equal((await register(victim, 'victim')).ok, true);
      const from = await evalBare(victim, () => window.bare.state.events.length);
      const calling = evalBare(
        mallory,
        (to) => window.bare.call(to, { extraHeaders: ['P-Asserted-Identity: "CEO" <sip:ceo@voice.test>'] }),
        `sip:victim@${DOMAIN}`,
      );
      assert.equal((await evalBare(victim, (f) => window.bare.waitFor('newRTCSession', { from: f }), from)).ok, true);
      assert.equal(await evalBare(victim, () => window.bare.state.assertedIdentity), `"mallory" <sip:mallory@${DOMAIN}>`);
      await evalBare(victim, () => window.bare.reject(486));
      await calling;
      await Promise.all([mallory, victim].map((p) => evalBare(p, () => window.bare.stop())));
    });
  });

  test('expired credentials are rejected with 403 "...Expired"', async () => {
    await explain(async () => {
      const page = await openPhone();
      const res = await register(page, 'erin', { ttl: -60 });
      assert.equal(res.ok, false, JSON.stringify(res));
      assert.equal(res.status, 403, JSON.stringify(res));
      assert.match(res.reason, /Expired/, JSON.stringify(res));
      await evalBare(page, () => window.bare.stop());
    });
  });

  test('a wrong password is rejected with 403 Forbidden', async () => {
    await explain(async () => {
      const page = await openPhone();
      const res = await register(page, 'frank', { password: 'd3JvbmcgcGFzc3dvcmQ=' });
      assert.equal(res.ok, false, JSON.stringify(res));
      assert.equal(res.status, 403, JSON.stringify(res));
      assert.doesNotMatch(res.reason, /Expired/);
      await evalBare(page, () => window.bare.stop());
    });
  });

  test('credentials of another user cannot register', async () => {
    await explain(async () => {
      const page = await openPhone();
      const res = await register(page, 'alice', { authUser: 'mallory' });
      assert.equal(res.ok, false, JSON.stringify(res));
      assert.equal(res.status, 403, JSON.stringify(res));
      await evalBare(page, () => window.bare.stop());
    });
  });

  test('calling a user with no registration fails with 480', async () => {
    await explain(async () => {
      const page = await openPhone();
      assert.equal((await register(page, 'grace')).ok, true);
      const res = await evalBare(page, (to) => window.bare.call(to), `sip:nobody@${DOMAIN}`);
      assert.equal(res.ok, false, JSON.stringify(res));
      assert.equal(res.status, 480, JSON.stringify(res));
      await evalBare(page, () => window.bare.stop());
    });
  });
});
