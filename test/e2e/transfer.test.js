// Attended (warm) transfer end to end: three widgets, A (alice, the transferor), B (bob, the transferee) and
// C (carol, the target), in real headless Chromium, through a real Kamailio and through the embedded SIP server.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { SIP_SERVERS, startSipServer } from '../harness/sip-servers.js';
import { DOMAIN, audioRising, audit, e2eSuite, logLength, openPhone, vw, waitFor as waitForEvent } from './support.js';

const SECRET = 'transfer-e2e-secret-0123456789';
e2eSuite({ secret: SECRET });

/** The events of the documented sequence, each reduced to the fields that matter (ids as the page saw them). */
const sequence = (page, from) =>
  vw(
    page,
    (f) => {
      const pick = {
        'call-received': (d) => ({ id: d.id, from: d.from.address.replace(/^sip:|@.*$/g, ''), replaces: d.replaces }),
        'call-started': (d) => ({ id: d.id, direction: d.direction, number: d.number, replaces: d.replaces }),
        'call-ended': (d) => ({ id: d.id, cause: d.cause }),
        'hold-change': (d) => ({ id: d.id, held: d.held, by: d.by }),
        transfer: (d) => ({ id: d.id, target: d.target, result: d.result, kind: d.kind }),
        'transfer-requested': (d) => ({ id: d.id, target: d.target, kind: d.kind }),
      };
      return window.vw.log
        .slice(f)
        .filter((e) => pick[e.type])
        .map((e) => JSON.parse(JSON.stringify({ type: e.type, ...pick[e.type](e.detail) })));
    },
    from,
  );

/** Waits for an event with room for a loaded machine (30 s unless told). */
const waitFor = (page, type, opts = {}) => waitForEvent(page, type, { timeout: 30_000, ...opts });

/** `caller` calls `number` (the user of `callee`), who answers; resolves once both are connected (and audio flows if asked). */
async function connectCall(caller, callee, number, { audio = false } = {}) {
  const from = await marks({ caller, callee });
  assert.equal(await el(caller, 'call', number), true);
  await waitFor(callee, 'call-received', { from: from.callee });
  assert.equal(await el(callee, 'answer'), true);
  await waitFor(caller, 'state-change', { from: from.caller, match: { state: 'in-progress' } });
  await waitFor(callee, 'state-change', { from: from.callee, match: { state: 'in-progress' } });
  if (audio) await caller.waitForFunction(async () => (await window.vw.inboundAudioBytes()) > 0, { polling: 100, timeout: 30_000 });
}

const el = (page, method, ...args) => vw(page, (m, a) => window.vw.el()[m](...a), method, args);
const marks = async (pages) => Object.fromEntries(await Promise.all(Object.entries(pages).map(async ([k, p]) => [k, await logLength(p)])));

/** Whether the audio `page` receives stays still over 800 ms (after 400 ms for packets in flight). */
async function inboundStill(page) {
  await sleep(400);
  const first = await vw(page, () => window.vw.inboundAudioBytes());
  await sleep(800);
  return (await vw(page, () => window.vw.inboundAudioBytes())) === first;
}

/** The consult screen, light and dark, into docs/screenshots/. */
async function screenshots(page) {
  for (const theme of ['light', 'dark']) {
    await vw(
      page,
      async (th) => {
        window.vw.el().setAttribute('theme', th);
        await window.vw.el().updateComplete;
      },
      theme,
    );
    const panel = await page.evaluateHandle(() => window.vw.el().shadowRoot.querySelector('[part~="panel"]'));
    await panel.screenshot({ path: fileURLToPath(new URL(`../../docs/screenshots/${theme}-consult.png`, import.meta.url)) });
  }
  await vw(page, () => window.vw.el().removeAttribute('theme'));
}

for (const kind of SIP_SERVERS) {
  describe(`attended transfer through ${kind}`, () => {
    let sip;
    let alice;
    let bob;
    let carol;

    before(async () => {
      sip = await startSipServer(kind, { secret: SECRET, domain: DOMAIN });
      [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((u) => openPhone(u, { server: sip.wsUrl, ready: true })));
      // The panel shows the call screens (the consult screen's buttons are clicked there).
      await vw(alice, () => window.vw.el().show());
    });

    after(async () => {
      await sip?.stop().catch(() => {});
    });

    // A test that fails mid-call must not leave a call up for the next one.
    afterEach(async () => {
      for (const page of [alice, bob, carol])
        await vw(page, async () => {
          const w = window.vw.el();
          for (const name of ['refer-policy', 'busy-policy']) w.removeAttribute(name);
          w.setDnd(false);
          for (let i = 0; i < 6 && w.calls.length > 0; i++) {
            if (!w.hangup()) w.reject();
            await new Promise((r) => setTimeout(r, 200));
          }
        }).catch(() => {});
    });

    test('refer-policy="accept" at B, busy-policy="reject" and do-not-disturb at C: consult (B hears nothing), complete on screen; B and C talk; the events at A, B and C exactly as documented', async (t) => {
      await vw(bob, () => window.vw.el().setAttribute('refer-policy', 'accept'));
      await connectCall(alice, bob, 'bob', { audio: true });
      const m = await marks({ alice, bob, carol });
      const consultAt = Date.now();
      assert.equal(await el(alice, 'consult', 'carol'), true);
      await waitFor(carol, 'call-received', { from: m.carol });
      assert.equal(await el(carol, 'answer'), true);
      await waitFor(alice, 'state-change', { from: m.alice, match: { state: 'in-progress' } });
      t.diagnostic(`consult('carol') → the consult call connected: ${Date.now() - consultAt} ms`);
      assert.ok(await inboundStill(bob), "B's inbound RTP stops while A consults");
      assert.ok(await audioRising(carol), 'A and C talk');
      // C is now busy: a plain second call would be refused (486), and so would any call under do-not-disturb.
      await vw(carol, () => {
        window.vw.el().setAttribute('busy-policy', 'reject');
        window.vw.el().setDnd(true);
      });
      // The consult screen: who waits on hold, Cancel and Complete transfer; screenshots and the audit.
      const banner = await vw(alice, async () => {
        await window.vw.el().updateComplete;
        return window.vw.part('consult')?.textContent.replace(/\s+/g, ' ').trim() ?? null;
      });
      assert.match(banner, /^bob on hold Cancel Complete transfer$/);
      assert.deepEqual(await audit(alice), [], 'the consult screen');
      if (kind === SIP_SERVERS[0]) await screenshots(alice);

      const completeAt = Date.now();
      await vw(alice, () => window.vw.part('consult-complete-button').click());
      const transfer = await waitFor(alice, 'transfer', { from: m.alice });
      const acceptedAfter = Date.now() - completeAt;
      await waitFor(carol, 'call-ended', { from: m.carol });
      await waitFor(bob, 'call-ended', { from: m.bob });
      await waitFor(alice, 'call-ended', { from: m.alice, match: { cause: 'transferred', id: (await sequence(alice, m.alice))[1].id } });
      assert.ok(await audioRising(bob), 'B hears C');
      assert.ok(await audioRising(carol), 'C hears B');
      t.diagnostic(`completeTransfer() → transfer accepted at A: ${acceptedAfter} ms; → B and C talking (audio checked): ${Date.now() - completeAt} ms`);
      assert.equal(transfer.kind, 'attended');
      await sleep(300); // anything extra would show now

      const a = await sequence(alice, m.alice);
      const b = await sequence(bob, m.bob);
      const c = await sequence(carol, m.carol);
      const [held, consult] = [transfer.id, a[1].id];
      assert.deepEqual(a, [
        { type: 'hold-change', id: held, held: true, by: 'local' },
        { type: 'call-started', id: consult, direction: 'outbound', number: 'carol' },
        { type: 'transfer', id: held, target: 'carol', result: 'accepted', kind: 'attended' },
        { type: 'call-ended', id: held, cause: 'transferred' },
        { type: 'call-ended', id: consult, cause: 'transferred' },
      ]);
      const [withA, toC] = [b[0].id, b[1].id];
      assert.deepEqual(b, [
        { type: 'hold-change', id: withA, held: true, by: 'remote' },
        { type: 'call-started', id: toC, direction: 'outbound', number: 'carol' },
        { type: 'call-ended', id: withA, cause: 'transferred' },
      ]);
      const [fromA, fromB] = [c[0].id, c[2].id];
      assert.deepEqual(c, [
        { type: 'call-received', id: fromA, from: 'alice' },
        { type: 'call-started', id: fromA, direction: 'inbound', number: 'alice' },
        { type: 'call-received', id: fromB, from: 'bob', replaces: fromA },
        { type: 'call-started', id: fromB, direction: 'inbound', number: 'bob', replaces: fromA },
        { type: 'call-ended', id: fromA, cause: 'transferred' },
      ]);
      // Nothing rang at C: the new call never showed as incoming, and C's screen now shows it, connected.
      const states = await vw(
        carol,
        (f, id) =>
          window.vw.log
            .slice(f)
            .filter((e) => e.type === 'state-change' && e.detail.id === id)
            .map((e) => e.detail.state),
        m.carol,
        fromB,
      );
      assert.ok(states.length > 0 && states.every((x) => x === 'in-progress'), `the new call's states at C: ${states}`);
      assert.equal(await vw(carol, () => window.vw.el().shadowRoot.querySelector('[part~="call-waiting"]')), null, 'no call-waiting banner');
      assert.deepEqual(await vw(carol, () => window.vw.el().calls.map((x) => [x.number, x.state])), [['bob', 'in-progress']]);
      assert.equal(await vw(alice, () => window.vw.el().calls.length), 0, 'A left');

      const end = await marks({ bob, carol });
      await el(carol, 'hangup');
      assert.equal((await waitFor(bob, 'call-ended', { from: end.bob })).cause, 'remote-hangup');
      assert.equal((await waitFor(carol, 'call-ended', { from: end.carol })).cause, 'local-hangup');
    });

    test('cancel consult: the consult call ends, B is resumed and A and B talk again', async () => {
      await connectCall(alice, bob, 'bob', { audio: true });
      const m = await marks({ alice, bob, carol });
      assert.equal(await el(alice, 'completeTransfer'), false, 'nothing to complete yet');
      assert.equal(await el(alice, 'consult', 'carol'), true);
      await waitFor(carol, 'call-received', { from: m.carol });
      await el(carol, 'answer');
      await waitFor(alice, 'state-change', { from: m.alice, match: { state: 'in-progress' } });
      await vw(alice, async () => {
        await window.vw.el().updateComplete;
        window.vw.part('consult-cancel-button').click();
      });
      assert.equal((await waitFor(carol, 'call-ended', { from: m.carol })).cause, 'remote-hangup');
      await waitFor(alice, 'hold-change', { from: m.alice, match: { held: false } });
      assert.ok(await audioRising(bob), 'B hears A again');
      assert.ok(await audioRising(alice), 'A hears B again');
      const a = await sequence(alice, m.alice);
      assert.deepEqual(
        a.map((e) => [e.type, e.held ?? e.cause ?? e.number]),
        [
          ['hold-change', true],
          ['call-started', 'carol'],
          ['call-ended', 'local-hangup'],
          ['hold-change', false],
        ],
      );
      assert.equal(await el(alice, 'cancelConsult'), false, 'nothing left to cancel');
      assert.deepEqual(await vw(alice, () => window.vw.el().calls.map((x) => [x.number, x.state])), [['bob', 'in-progress']]);
      await el(alice, 'hangup');
      await waitFor(bob, 'call-ended', { from: m.bob });
    });

    test('refer-policy="ask" (the default) at B: B is asked (attended) and the transfer completes when B accepts', async () => {
      await connectCall(alice, bob, 'bob');
      const m = await marks({ alice, bob, carol });
      assert.equal(await el(alice, 'consult', 'carol'), true);
      await waitFor(carol, 'call-received', { from: m.carol });
      await el(carol, 'answer');
      await waitFor(alice, 'state-change', { from: m.alice, match: { state: 'in-progress' } });
      assert.equal(await el(alice, 'completeTransfer'), true);
      const asked = await waitFor(bob, 'transfer-requested', { from: m.bob });
      assert.equal(asked.kind, 'attended');
      assert.equal(asked.target, 'carol');
      assert.equal(await el(bob, 'acceptTransfer'), true);
      const done = await waitFor(alice, 'transfer', { from: m.alice });
      assert.deepEqual([done.result, done.kind], ['accepted', 'attended']);
      const replaced = await waitFor(carol, 'call-started', { from: m.carol, match: { number: 'bob' } });
      assert.ok(replaced.replaces, 'C: the new call names the call it replaces');
      assert.equal((await waitFor(carol, 'call-ended', { from: m.carol })).cause, 'transferred');
      assert.equal((await waitFor(bob, 'call-ended', { from: m.bob })).cause, 'transferred');
      assert.ok(await audioRising(carol), 'C hears B');
      await el(bob, 'hangup');
      await waitFor(carol, 'call-ended', { from: m.carol, match: { cause: 'remote-hangup' } });
    });

    test('an INVITE whose Replaces matches no call is answered 481 and nothing rings at C', async () => {
      const m = await marks({ carol });
      const sent = await vw(carol, () => window.vw.sip.sent.length);
      // A JsSIP user agent in A's page (the widget's own, registered) sends the crafted INVITE.
      const status = await vw(
        alice,
        async (uri) => {
          const ua = window.vw.el().controller.phone.connection.agent.ua;
          const mediaStream = await navigator.mediaDevices.getUserMedia({ audio: true });
          const result = await new Promise((resolve) => {
            ua.call(uri, {
              mediaStream,
              extraHeaders: ['Replaces: no-such-call@voice.test;to-tag=a1b2c3;from-tag=d4e5f6'],
              eventHandlers: { failed: (e) => resolve(e.message?.status_code ?? e.cause), confirmed: () => resolve('answered') },
            });
          });
          for (const track of mediaStream.getTracks()) track.stop();
          return result;
        },
        `sip:carol@${DOMAIN}`,
      );
      assert.equal(status, 481);
      assert.ok(await vw(carol, (f) => window.vw.sip.sent.slice(f).some((x) => x.startsWith('SIP/2.0 481')), sent));
      assert.deepEqual(await sequence(carol, m.carol), [], 'no call-received, nothing at all');
      assert.deepEqual(await vw(carol, () => window.vw.el().calls), []);
    });
  });
}
