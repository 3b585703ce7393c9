// Agent comfort end to end (issue 23): do-not-disturb, auto-answer, volumes and
// caller lookup (contact-checks.js), in real Chromium, through a real Kamailio
// and through the embedded SIP server.
// The server-originated call comes from a raw SIP-over-WebSocket client bound
// to 127.0.0.2, the address both servers are told is the deployment's own
// originator (AUTOANSWER_NET / autoAnswerSources); the same INVITE from
// 127.0.0.1 is a user's, and loses its auto-answer hint on the way.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { SipServer } from '../../dist/node/index.js';
import { startKamailio } from '../harness/kamailio.js';
import { claimsOf, connectRaw, statusOf } from '../harness/sip-ws-client.js';
import { webrtcOffer } from '../harness/sip-ws-calls.js';
import { DOMAIN, audit, browser, count, e2eSuite, logLength, openPage, openPhone, token, vw, waitFor, web } from './support.js';
import { hookFailures, lookupOnCall, setHook } from './contact-checks.js';

const SECRET = 'comfort-e2e-secret-0123456789';
/** The deployment's own call originator (a CRM's click-to-dial service). */
const ORIGINATOR = '127.0.0.2';

const servers = {};
e2eSuite({
  secret: SECRET,
  // The bridge's host application runs on crm.app.localhost (another origin than the widget's frame).
  launch: { args: ['--host-resolver-rules=MAP *.localhost 127.0.0.1'] },
  setup: async () => {
    const kam = await startKamailio({ secret: SECRET, autoAnswerNet: `${ORIGINATOR}/32` });
    servers.kamailio = { wsUrl: kam.wsUrl, stop: () => kam.stop(), log: () => kam.log() };
    const lines = [];
    const sip = await SipServer.start({ secret: SECRET, domain: DOMAIN, autoAnswerSources: [ORIGINATOR], log: (l) => lines.push(l) });
    servers.embedded = { wsUrl: sip.url, stop: () => sip.stop(), log: () => lines.join('\n') };
  },
  teardown: async () => {
    for (const s of Object.values(servers)) await s.stop().catch(() => {});
  },
});

/** A raw client registered as `user`, connecting from `localAddress`. */
async function rawUser(url, user, localAddress) {
  const client = await connectRaw(url, { localAddress });
  const tok = token(user);
  const { sip_auth_user: authUser, sip_auth_password: password } = claimsOf(tok);
  const reply = await client.register({ user, domain: DOMAIN, token: tok, authUser, password });
  assert.equal(statusOf(reply).status, 200, `${user} registers: ${reply.split('\r\n')[0]}`);
  return client;
}

/** An INVITE from raw client `c` (user `from`) to `to` with a WebRTC offer and `extra` headers; resolves with the final answer. */
function invite(c, from, to, extra) {
  const callId = `comfort-${Math.random().toString(36).slice(2)}`;
  const headers = [
    `To: <sip:${to}@${DOMAIN}>`,
    `From: <sip:${from}@${DOMAIN}>;tag=${callId}`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <${c.contact}>`,
    ...extra,
    'Content-Type: application/sdp',
  ];
  return c.request('INVITE', `sip:${to}@${DOMAIN}`, headers, webrtcOffer());
}

/** The ACK of a 2xx, sent along its Record-Route (reversed: we are the caller). */
function ack(c, reply) {
  const get = (name) => reply.match(new RegExp(`^${name}:.*$`, 'gmi')) ?? [];
  const routes = get('Record-Route')
    .flatMap((l) => l.replace(/^Record-Route:\s*/i, '').split(/,(?=\s*<)/))
    .reverse();
  const target = /^Contact:\s*<([^>]+)>/im.exec(reply)[1];
  c.ws.send(
    [
      `ACK ${target} SIP/2.0`,
      `Via: SIP/2.0/WS ack.invalid;branch=z9hG4bK${Math.random().toString(36).slice(2)}`,
      'Max-Forwards: 70',
      ...routes.map((r) => `Route: ${r.trim()}`),
      ...get('From'),
      ...get('To'),
      ...get('Call-ID'),
      'CSeq: 1 ACK',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
}

const AUTO_ANSWER_HINT = `Call-Info: <sip:crm@${DOMAIN}>;answer-after=0`;

for (const kind of ['kamailio', 'embedded']) {
  describe(`on ${kind === 'kamailio' ? 'Kamailio' : 'the embedded server'}`, () => {
    let alice;
    let bob;
    const server = () => servers[kind];

    before(async () => {
      [alice, bob] = await Promise.all([
        openPhone('alice', { server: server().wsUrl, ready: true }),
        openPhone('bob', { server: server().wsUrl, ready: true }),
      ]);
    });
    after(async () => {
      for (const page of [alice, bob]) await vw(page, () => window.vw.el().reset()).catch(() => {});
    });

    test('do-not-disturb: the caller gets busy (486), then unavailable (480) with dnd-response; the callee lists missed calls and says DND', async () => {
      const b0 = await logLength(bob);
      assert.equal(await vw(bob, () => window.vw.el().setDnd(true)), true);
      assert.deepEqual(await waitFor(bob, 'dnd-change', { from: b0 }), { on: true });
      assert.match(await vw(bob, () => window.vw.part('status').textContent), /Do not disturb/);

      for (const [response, cause] of [
        [null, 'busy'],
        ['unavailable', 'unavailable'],
      ]) {
        if (response) await vw(bob, (r) => window.vw.el().setAttribute('dnd-response', r), response);
        const a = await logLength(alice);
        const b = await logLength(bob);
        assert.equal(await vw(alice, () => window.vw.el().call('bob')), true);
        assert.equal((await waitFor(alice, 'call-ended', { from: a, timeout: 10_000 })).cause, cause, `the caller hears ${cause}`);
        const missed = await waitFor(bob, 'call-ended', { from: b });
        assert.deepEqual([missed.direction, missed.number, missed.cause], ['inbound', 'alice', cause]);
        assert.equal(await count(bob, 'call-received', b), 0, 'it never rang');
      }
      // The history lists both as missed (the launcher's badge counts them).
      await vw(bob, () => window.vw.part('history-button').click());
      await bob.waitForFunction(() => window.vw.el().shadowRoot.querySelectorAll('[part~="history"] [data-missed]').length === 2);
      await vw(bob, () => window.vw.part('dialer-button').click());

      await vw(bob, () => window.vw.el().removeAttribute('dnd-response'));
      const b1 = await logLength(bob);
      await vw(bob, () => window.vw.el().setDnd(false));
      assert.deepEqual(await waitFor(bob, 'dnd-change', { from: b1 }), { on: false });
      assert.equal(await vw(bob, () => window.vw.el().setDnd(false)), false, 'already off: nothing changes');
    });

    test('auto-answer="header": the server\'s own originator\'s INVITE with Call-Info answer-after=0 is answered with no click; the same INVITE from a user rings', async () => {
      await vw(bob, () => window.vw.el().setAttribute('auto-answer', 'header'));
      const crm = await rawUser(server().wsUrl, 'crm', ORIGINATOR);
      const mallory = await rawUser(server().wsUrl, 'mallory', '127.0.0.1');
      try {
        const b0 = await logLength(bob);
        const reply = await invite(crm, 'crm', 'bob', [AUTO_ANSWER_HINT]);
        assert.equal(statusOf(reply).status, 200, `answered by itself: ${reply.split('\r\n')[0]}`);
        ack(crm, reply);
        await waitFor(bob, 'state-change', { from: b0, match: { state: 'in-progress' } });
        assert.equal(await count(bob, 'call-received', b0), 1, 'it was announced as a call');
        await bob.waitForFunction(() => window.vw.part('auto-answered')?.textContent === 'Answered automatically');
        assert.match(await vw(bob, () => window.vw.part('in-call').textContent), /crm/i, 'shows who called');
        await vw(bob, () => window.vw.el().hangup());
        await waitFor(bob, 'call-ended', { from: b0 });

        // A user sends the same hint: the server strips it, and the call rings.
        const b1 = await logLength(bob);
        const refused = invite(mallory, 'mallory', 'bob', [AUTO_ANSWER_HINT, 'Alert-Info: <http://x>;info=alert-autoanswer']);
        await waitFor(bob, 'call-received', { from: b1 });
        await sleep(1500);
        assert.equal(await vw(bob, () => window.vw.el().getState()), 'incoming', 'still ringing: the user-sent hint was not honoured');
        await vw(bob, () => window.vw.el().reject());
        assert.equal(statusOf(await refused).status, 603);
      } finally {
        crm.close();
        mallory.close();
        await vw(bob, () => window.vw.el().removeAttribute('auto-answer'));
      }
    });

    if (kind === 'kamailio') {
      test('caller lookup: the number at once, the contact when the CRM answers (call-received waits, the ringing does not); in the call, the events and history; remembered', () =>
        lookupOnCall(alice, bob, 'alice', 'bob'));
    } else {
      test('caller lookup: a hook that throws or hangs leaves the number; the call rings and is answered', () => hookFailures(alice, bob, 'alice', 'bob'));
    }
  });
}

describe('in dialog mode and through the iframe bridge (embedded server)', () => {
  let alice;
  before(async () => {
    alice = await openPhone('alice2', { server: servers.embedded.wsUrl, ready: true });
  });

  /** Alice calls `user`: resolves with the cause her call ended with. */
  async function callCause(user) {
    const a = await logLength(alice);
    assert.equal(await vw(alice, (u) => window.vw.el().call(u), user), true);
    return (await waitFor(alice, 'call-ended', { from: a, timeout: 10_000 })).cause;
  }

  test('ring volume 0: no ring tone while the call rings on screen, and answered its audio plays; a ringtone file plays at the ring volume; a javascript: ringtone is refused', async () => {
    const fay = await openPhone('fay', { server: servers.embedded.wsUrl, ready: true });
    // Every media element played, with its source and volume (the ringtone file is one).
    await vw(fay, () => {
      window.played = [];
      const play = HTMLMediaElement.prototype.play;
      HTMLMediaElement.prototype.play = function () {
        window.played.push({ src: this.src, volume: this.volume });
        return play.call(this);
      };
    });
    assert.equal(await vw(fay, () => window.vw.el().setVolume('ring', 0)), true);
    assert.deepEqual(
      await vw(fay, () => JSON.parse(localStorage.getItem(`voice-widget:volumes:fay@voice.test`))),
      { ring: 0, call: 1 },
      'remembered for the user',
    );
    const tones = await vw(fay, () => window.vwAudio.count());
    const f0 = await logLength(fay);
    await vw(alice, () => window.vw.el().call('fay'));
    await waitFor(fay, 'call-received', { from: f0 });
    await sleep(1500);
    assert.equal(await vw(fay, () => window.vw.el().getState()), 'incoming');
    assert.ok(await vw(fay, () => !!window.vw.part('incoming')), 'the incoming screen shows');
    assert.deepEqual(
      (await vw(fay, (n) => window.vwAudio.frequencies(n), tones)).filter((f) => f === 400 || f === 450),
      [],
      'no ring tone was started',
    );
    await vw(fay, () => window.vw.el().answer());
    await waitFor(fay, 'state-change', { from: f0, match: { state: 'in-progress' } });
    await fay.waitForFunction(async () => (await window.vw.inboundAudioEnergy()).energy > 0, { timeout: 10_000, polling: 200 });
    await vw(fay, () => window.vw.el().hangup());
    await waitFor(fay, 'call-ended', { from: f0 });

    await vw(fay, () => {
      window.vw.el().setVolume('ring', 0.5);
      window.vw.el().setAttribute('ringtone', '/test/e2e/pages/ringtone.wav');
    });
    const f1 = await logLength(fay);
    await vw(alice, () => window.vw.el().call('fay'));
    await waitFor(fay, 'call-received', { from: f1 });
    await fay.waitForFunction(() => window.played.some((p) => p.src.endsWith('/ringtone.wav') && p.volume === 0.5), { timeout: 5000 });
    await vw(fay, () => window.vw.el().reject());
    await waitFor(fay, 'call-ended', { from: f1 });

    const f2 = await logLength(fay);
    await vw(fay, () => window.vw.el().setAttribute('ringtone', 'javascript:alert(1)'));
    assert.equal((await waitFor(fay, 'error', { from: f2 })).code, 'invalid-url');

    // The settings with the do-not-disturb switch and the volume sliders, DND on in the status line: axe finds nothing.
    await vw(fay, async () => {
      window.vw.el().setDnd(true);
      window.vw.part('settings-button').click();
    });
    await fay.waitForFunction(() => window.vw.el().shadowRoot.querySelectorAll('[part~="volume"]').length === 2);
    assert.deepEqual(await audit(fay), []);
  });

  test("dialog mode: the host element's setDnd() runs in the popup's phone; dnd-change reaches the host (and its dnd follows the popup's); a caller hears busy; volumes are the popup's; caller lookup asks the host's hook", async () => {
    const host = await openPage('/test/e2e/pages/dialog-host.html');
    await vw(host, (o) => window.vw.configure(o), { token: token('dora'), server: servers.embedded.wsUrl });
    const popupTarget = browser.waitForTarget((t) => t.url().includes('voice-widget-popup.html'), { timeout: 10_000 });
    assert.equal(await vw(host, () => window.vw.el().show()), true);
    const popup = await (await popupTarget).page();
    try {
      await waitFor(host, 'ready', { timeout: 15_000 });
      const h0 = await logLength(host);
      assert.equal(await vw(host, () => window.vw.el().setDnd(true)), true);
      assert.deepEqual(await waitFor(host, 'dnd-change', { from: h0 }), { on: true });
      assert.equal(await popup.evaluate(() => document.querySelector('voice-widget').dnd), true, "the popup's element has it");
      assert.equal(await callCause('dora'), 'busy');
      await vw(host, () => window.vw.el().setDnd(false));
      assert.deepEqual(await waitFor(host, 'dnd-change', { from: h0, match: { on: false } }), { on: false });

      // The popup's own switch: the host element's `dnd` follows it. The host's `volumes` are the popup's.
      await popup.evaluate(() => document.querySelector('voice-widget').setDnd(true));
      await host.waitForFunction(() => window.vw.el().dnd === true);
      await popup.evaluate(() => document.querySelector('voice-widget').setDnd(false));
      await host.waitForFunction(() => window.vw.el().dnd === false);
      await vw(host, () => window.vw.el().setVolume('ring', 0.35));
      await host.waitForFunction(() => window.vw.el().volumes.ring === 0.35);
      assert.equal(await vw(host, () => window.vw.el().volumes.call), await popup.evaluate(() => document.querySelector('voice-widget').volumes.call));

      // Caller lookup: the popup's phone asks the host element's hook by message.
      await setHook(host, { alice2: { name: 'Alice Host-CRM', detail: 'via the opener' } }, 50);
      const h1 = await logLength(host);
      assert.equal(await vw(alice, () => window.vw.el().call('dora')), true);
      assert.deepEqual((await waitFor(host, 'call-received', { from: h1 })).contact, { name: 'Alice Host-CRM', detail: 'via the opener' });
      await popup.waitForFunction(() =>
        /Alice Host-CRM/.test(document.querySelector('voice-widget').shadowRoot.querySelector('[part~="incoming"]')?.textContent),
      );
      assert.deepEqual(await vw(host, () => window.lookups), [{ number: 'alice2', direction: 'inbound' }]);
      await vw(host, () => window.vw.el().reject());
      assert.equal((await waitFor(host, 'call-ended', { from: h1 })).contact.name, 'Alice Host-CRM');
    } finally {
      await vw(host, () => window.vw.el().hide()).catch(() => {});
    }
  });

  test("iframe bridge: setDnd through the host helper (a boolean only), dnd-change back to the host, a caller hears busy; caller lookup asks the helper's resolveContact", async () => {
    const hostOrigin = `http://crm.app.localhost:${web.port}`;
    const host = await openPage('/test/e2e/pages/widget.html');
    await host.goto(`${hostOrigin}/test/e2e/pages/bridge-host.html`, { waitUntil: 'load' });
    await host.waitForFunction(() => window.host);
    const src = `${web.url}/test/e2e/pages/bridge-frame.html#${new URLSearchParams({ token: token('erin'), server: servers.embedded.wsUrl, origins: hostOrigin })}`;
    // The host's CRM (the helper's resolveContact): its javascript: avatar is dropped in the frame.
    const book = { alice2: { name: 'Alice Bridge-CRM', avatarUrl: 'javascript:alert(1)' } };
    await host.evaluate((u, o, b) => window.host.connect(u, o, 10_000, b), src, web.url, book);
    await host.evaluate(() => window.host.waitFor('ready', { timeout: 15_000 }));
    const refused = await host.evaluate(() => window.host.command('setDnd', 'yes'));
    assert.deepEqual([refused.ok, refused.code], [false, 'invalid-arguments']);
    assert.deepEqual(await host.evaluate(() => window.host.command('setDnd', true)), { ok: true, result: true });
    assert.deepEqual(await host.evaluate(() => window.host.waitFor('dnd-change')), { on: true });
    assert.equal(await callCause('erin'), 'busy');

    // Caller lookup: the frame's phone asks the host page, which answers through the helper.
    assert.deepEqual(await host.evaluate(() => window.host.command('setDnd', false)), { ok: true, result: true });
    const from = await host.evaluate(() => window.host.log.length);
    assert.equal(await vw(alice, () => window.vw.el().call('erin')), true);
    const received = await host.evaluate((f) => window.host.waitFor('call-received', { from: f }), from);
    assert.deepEqual(received.contact, { name: 'Alice Bridge-CRM' });
    const frame = host.frames().find((f) => f.url().includes('bridge-frame.html'));
    await frame.waitForFunction(() => /Alice Bridge-CRM/.test(window.vw.part('incoming')?.textContent));
    assert.deepEqual(await host.evaluate(() => window.host.command('reject')), { ok: true, result: true });
    assert.equal((await host.evaluate((f) => window.host.waitFor('call-ended', { from: f }), from)).contact.name, 'Alice Bridge-CRM');
  });
});
