// <voice-widget> end to end: the script-tag build in real headless Chromium,
// two phones in two isolated pages, through a real Kamailio and through the
// embedded SIP server, both on loopback.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { readFile } from 'node:fs/promises';

import { launchBrowser, newIsolatedPage, withoutGesture } from '../harness/browser.js';
import { SIP_SERVERS, startSipServer } from '../harness/sip-servers.js';
import {
  DOMAIN,
  WIDGET_PAGE as PAGE,
  AXE,
  audit,
  count,
  detailsSince,
  e2eSuite,
  events,
  logLength,
  openPhone as openWidget,
  pages,
  token,
  vw,
  waitFor,
  web,
} from './support.js';

const SECRET = 'widget-e2e-secret-0123456789';
e2eSuite({ secret: SECRET });

/** The SIP server of the suite running now. */
let sip;

/** Opens a page with one widget on the suite's SIP server; configures it unless told not to. */
const openPhone = (user, { configure = true, tokenOptions, dtmfMode } = {}) => openWidget(user, { server: sip.wsUrl, configure, tokenOptions, dtmfMode });

const callEvents = (page, from) =>
  vw(
    page,
    (f) =>
      window.vw.log
        .slice(f)
        .filter((e) => e.type.startsWith('call-'))
        .map((e) => ({ type: e.type, ...e.detail })),
    from,
  );

/**
 * Waits for `call-ended` on the caller's and the callee's page (since `fromA`, `fromB`), lets anything extra arrive,
 * and checks that each side logged only the start and the end, with `cause`; returns both sides' call events.
 */
async function endedOnBoth(caller, callee, fromA, fromB, cause) {
  await waitFor(caller, 'call-ended', { from: fromA });
  await waitFor(callee, 'call-ended', { from: fromB });
  await sleep(200);
  const a = await callEvents(caller, fromA);
  const b = await callEvents(callee, fromB);
  assert.deepEqual(
    a.map((e) => [e.type, e.cause]),
    [
      ['call-started', undefined],
      ['call-ended', cause],
    ],
  );
  assert.deepEqual(
    b.map((e) => [e.type, e.cause]),
    [
      ['call-received', undefined],
      ['call-ended', cause],
    ],
  );
  return { a, b };
}

async function inboundBytesRising(page) {
  // Right after the answer no packet may have arrived yet: wait for the first.
  await page.waitForFunction(async () => (await window.vw.inboundAudioBytes()) > 0, { timeout: 5000, polling: 50 });
  const first = await vw(page, () => window.vw.inboundAudioBytes());
  await sleep(700);
  const second = await vw(page, () => window.vw.inboundAudioBytes());
  return { first, second };
}

/**
 * The mean power of the audio `page` receives over the next `ms`. The fake
 * microphone beeps once a second, so a window of whole seconds always holds
 * the same number of beeps, where instantaneous levels may fall between them.
 */
/**
 * Waits (up to `ms`) until the far end's level over short windows meets `ok`:
 * mute and unmute reach the ear after the jitter buffer, which grows to a
 * second or more on a loaded machine.
 */
async function settleAudio(page, ok, ms = 6000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !ok(await audioPower(page, 400)));
}

async function audioPower(page, ms = 2000) {
  const energy = () => vw(page, () => window.vw.inboundAudioEnergy());
  const a = await energy();
  await sleep(ms);
  const b = await energy();
  return b.seconds > a.seconds ? (b.energy - a.energy) / (b.seconds - a.seconds) : 0;
}

/** A real mouse click (a user gesture) on a part of the widget, found without a gesture. */
async function clickPart(page, quiet, name) {
  const box = await quiet((n) => {
    const r = window.vw.part(n).getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  }, name);
  await page.mouse.click(box.x, box.y);
}

/** A calls B, B answers; resolves with log offsets taken before the call. */
async function connect(caller, callee, target) {
  const from = { caller: await logLength(caller), callee: await logLength(callee) };
  assert.equal(await vw(caller, (n) => window.vw.el().call(n), target), true);
  await waitFor(callee, 'call-received', { from: from.callee });
  assert.equal(await vw(callee, () => window.vw.el().answer()), true);
  await waitFor(caller, 'state-change', { from: from.caller, match: { state: 'in-progress' } });
  await waitFor(callee, 'state-change', { from: from.callee, match: { state: 'in-progress' } });
  return from;
}

for (const kind of SIP_SERVERS) {
  describe(`through ${kind}`, () => {
    let alice;
    let bob;

    before(async () => {
      sip = await startSipServer(kind, { secret: SECRET, domain: DOMAIN });
    });

    after(async () => {
      for (const p of pages.splice(0))
        await p
          .browserContext()
          .close()
          .catch(() => {});
      await sip?.stop().catch(() => {});
    });

    describe('two widgets', () => {
      // A test that fails mid-call must not leave the call up for the next one.
      afterEach(async () => {
        for (const page of pages) {
          if (page.isClosed()) continue;
          await vw(page, async () => {
            const el = window.vw.el();
            for (let i = 0; i < 5 && el.calls.length > 0; i++) {
              if (!el.hangup()) el.reject();
              await new Promise((r) => setTimeout(r, 200));
            }
          }).catch(() => {});
        }
      });

      test('both register and fire ready', async (t) => {
        const started = Date.now();
        [alice, bob] = await Promise.all([openPhone('alice'), openPhone('bob')]);
        await Promise.all([waitFor(alice, 'ready'), waitFor(bob, 'ready')]);
        for (const page of [alice, bob]) {
          assert.equal(await vw(page, () => window.vw.el().getState()), 'ready');
          assert.equal(await vw(page, () => window.vw.el().registrationState), 'registered');
          assert.equal(await vw(page, () => window.vw.el().isReady()), true);
          const reg = await events(page, 'registration-change');
          assert.deepEqual(
            reg.map((r) => r.state),
            ['connecting', 'registered'],
          );
        }
        for (const [name, page] of [
          ['alice', alice],
          ['bob', bob],
        ]) {
          const ms = await vw(page, () => window.vw.log.find((e) => e.type === 'ready').at - window.vw.configuredAt);
          t.diagnostic(`${name}: token and server set → ready in ${ms.toFixed(1)} ms`);
        }
        t.diagnostic(`both phones up ${Date.now() - started} ms after opening their pages`);
      });

      test('A calls B: caller and callee details, answer, two-way audio, DTMF 1#, A hangs up', async () => {
        const fromA = await logLength(alice);
        const fromB = await logLength(bob);
        assert.equal(await vw(alice, () => window.vw.el().call('bob')), true);

        const received = await waitFor(bob, 'call-received', { from: fromB });
        assert.deepEqual(received.from, { name: 'Alice', address: `sip:alice@${DOMAIN}` });
        assert.equal(received.to.address, `sip:bob@${DOMAIN}`);
        assert.ok(Array.isArray(received.paths) && received.paths.length >= 1);
        assert.equal(await vw(bob, () => window.vw.el().getState()), 'incoming');
        // The incoming screen shows who is calling.
        const incomingText = await vw(bob, () => window.vw.el().shadowRoot.querySelector('[part~="incoming"]')?.textContent ?? '');
        assert.match(incomingText, /Alice/);

        assert.equal(await vw(bob, () => window.vw.el().answer()), true);
        await waitFor(alice, 'state-change', { from: fromA, match: { state: 'in-progress' } });
        await waitFor(bob, 'state-change', { from: fromB, match: { state: 'in-progress' } });

        // Audio flows both ways: inbound RTP bytes rise on each side.
        for (const [name, page] of [
          ['alice', alice],
          ['bob', bob],
        ]) {
          const { first, second } = await inboundBytesRising(page);
          assert.ok(first > 0 && second > first, `${name} inbound RTP bytes should rise: ${first} → ${second}`);
        }

        // DTMF over SIP INFO: the callee hears both digits.
        assert.equal(await vw(alice, () => window.vw.el().sendDtmf('1#')), true);
        await waitFor(bob, 'dtmf', { from: fromB, match: { digit: '#' } });
        const bobDtmf = (await events(bob, 'dtmf')).map((d) => [d.digit, d.direction]);
        assert.deepEqual(bobDtmf, [
          ['1', 'inbound'],
          ['#', 'inbound'],
        ]);
        const aliceDtmf = (await events(alice, 'dtmf')).map((d) => [d.digit, d.direction]);
        assert.deepEqual(aliceDtmf, [
          ['1', 'outbound'],
          ['#', 'outbound'],
        ]);

        await sleep(300);
        assert.equal(await vw(alice, () => window.vw.el().hangup()), true);
        await waitFor(alice, 'call-ended', { from: fromA });
        await waitFor(bob, 'call-ended', { from: fromB });
        await sleep(300); // anything extra would arrive now

        const a = await callEvents(alice, fromA);
        const b = await callEvents(bob, fromB);
        assert.deepEqual(
          a.map((e) => e.type),
          ['call-started', 'call-ended'],
        );
        assert.deepEqual(
          b.map((e) => e.type),
          ['call-received', 'call-started', 'call-ended'],
        );
        assert.equal(a[1].cause, 'local-hangup');
        assert.equal(b[2].cause, 'remote-hangup');
        assert.equal(a[0].direction, 'outbound');
        assert.equal(a[0].number, 'bob');
        assert.equal(b[1].direction, 'inbound');
        assert.equal(b[1].number, 'alice');
        assert.ok(a[1].duration > 0 && b[2].duration > 0, `durations ${a[1].duration} / ${b[2].duration}`);
        assert.equal(a[0].id, a[1].id);
        assert.equal(await vw(alice, () => window.vw.el().getState()), 'completed');
        assert.equal(await vw(alice, () => window.vw.el().isReady()), true);
        // The microphone is released on both sides.
        assert.equal(await vw(alice, () => window.vw.liveMicTracks()), 0);
        assert.equal(await vw(bob, () => window.vw.liveMicTracks()), 0);
      });

      test('B declines: both sides end with rejected, B never starts', async () => {
        const fromA = await logLength(alice);
        const fromB = await logLength(bob);
        assert.equal(await vw(alice, () => window.vw.el().call('bob')), true);
        await waitFor(bob, 'call-received', { from: fromB });
        assert.equal(await vw(bob, () => window.vw.el().reject()), true);
        const { a } = await endedOnBoth(alice, bob, fromA, fromB, 'rejected');
        assert.equal(a[1].duration, 0);
        assert.equal(await vw(alice, () => window.vw.liveMicTracks()), 0);
      });

      test('A cancels while B rings: both sides end with canceled', async () => {
        const fromA = await logLength(alice);
        const fromB = await logLength(bob);
        assert.equal(await vw(alice, () => window.vw.el().call('bob')), true);
        await waitFor(bob, 'call-received', { from: fromB });
        await waitFor(alice, 'state-change', { from: fromA, match: { state: 'ringing' } });
        assert.equal(await vw(alice, () => window.vw.el().hangup()), true);
        await endedOnBoth(alice, bob, fromA, fromB, 'canceled');
        assert.equal(await vw(bob, () => window.vw.el().getState()), 'completed');
        assert.equal(await vw(alice, () => window.vw.liveMicTracks()), 0);
      });

      test('calling a user who is not registered ends with not-found or unavailable', async () => {
        const fromA = await logLength(alice);
        assert.equal(await vw(alice, () => window.vw.el().call('carol')), true);
        const ended = await waitFor(alice, 'call-ended', { from: fromA });
        assert.ok(['not-found', 'unavailable'].includes(ended.cause), ended.cause);
        assert.equal(await vw(alice, () => window.vw.el().getState()), 'failed');
        assert.equal(await vw(alice, () => window.vw.el().isReady()), true);
        await vw(alice, () => window.vw.el().reset());
        assert.equal(await vw(alice, () => window.vw.el().getState()), 'ready');
      });

      test('call setup with an auto-answering callee (measured, not asserted)', async (t) => {
        await vw(bob, () => (window.vw.autoAnswer = true));
        const times = [];
        for (let i = 0; i < 5; i++) {
          const fromA = await logLength(alice);
          const fromB = await logLength(bob);
          const { at, placed } = await vw(alice, () => window.vw.call('bob'));
          assert.equal(placed, true);
          const connected = await vw(
            alice,
            (f) =>
              window.vw
                .waitFor('state-change', { from: f, match: { state: 'in-progress' } })
                .then(() => window.vw.log.slice(f).find((e) => e.detail?.state === 'in-progress').at),
            fromA,
          );
          times.push(connected - at);
          await vw(alice, () => window.vw.el().hangup());
          await waitFor(bob, 'call-ended', { from: fromB });
          await waitFor(alice, 'call-ended', { from: fromA });
        }
        await vw(bob, () => (window.vw.autoAnswer = false));
        times.sort((x, y) => x - y);
        t.diagnostic(`call() → in-progress, auto-answer: median ${times[2].toFixed(1)} ms (runs: ${times.map((x) => x.toFixed(0)).join(', ')})`);
        assert.equal(await vw(alice, () => window.vw.liveMicTracks()), 0);
      });

      test('an unreachable STUN server does not hold up the call', async (t) => {
        // A UDP port on loopback with nothing behind it: the STUN request goes unanswered.
        const sock = dgram.createSocket('udp4');
        await new Promise((r) => sock.bind(0, '127.0.0.1', r));
        const port = sock.address().port;
        sock.close();
        await vw(alice, (p) => window.vw.el().setAttribute('ice-servers', JSON.stringify([{ urls: `stun:127.0.0.1:${p}` }])), port);
        await vw(bob, () => (window.vw.autoAnswer = true));
        const fromA = await logLength(alice);
        const fromB = await logLength(bob);
        const { at, placed } = await vw(alice, () => window.vw.call('bob'));
        assert.equal(placed, true);
        // Without the early-ICE policy the INVITE would wait ~40 s for gathering to time out.
        const started = await vw(
          alice,
          (f) => window.vw.waitFor('call-started', { from: f, timeout: 5000 }).then(() => window.vw.log.slice(f).find((e) => e.type === 'call-started').at),
          fromA,
        );
        await waitFor(alice, 'state-change', { from: fromA, match: { state: 'in-progress' } });
        t.diagnostic(`call() → INVITE sent with an unreachable STUN server: ${(started - at).toFixed(0)} ms`);
        await vw(alice, () => window.vw.el().hangup());
        await waitFor(bob, 'call-ended', { from: fromB });
        await vw(bob, () => (window.vw.autoAnswer = false));
        await vw(alice, () => window.vw.el().removeAttribute('ice-servers'));
      });

      test('hanging up while the browser still asks for the microphone: canceled, nothing sent, microphone released', async () => {
        await vw(alice, () => window.vw.delayMicrophone(600));
        const fromA = await logLength(alice);
        const fromB = await logLength(bob);
        assert.equal(await vw(alice, () => window.vw.el().call('bob')), true);
        await sleep(100);
        assert.equal(await vw(alice, () => window.vw.el().hangup()), true);
        const ended = await waitFor(alice, 'call-ended', { from: fromA });
        assert.equal(ended.cause, 'canceled');
        await sleep(900); // the microphone arrives after the hang-up, and must be stopped then
        assert.equal(await vw(alice, () => window.vw.liveMicTracks()), 0);
        assert.equal(await vw(bob, (f) => window.vw.log.slice(f).filter((e) => e.type === 'call-received').length, fromB), 0);
        await vw(alice, () => window.vw.delayMicrophone(0));
      });

      test('a user on two tabs: both ring, answering on one stops the other; declining on one ends the call', async () => {
        const bob2 = await openPhone('bob');
        await waitFor(bob2, 'ready');
        // Answer on the second tab.
        let fromA = await logLength(alice);
        let fromB = await logLength(bob);
        let fromB2 = await logLength(bob2);
        assert.equal(await vw(alice, () => window.vw.el().call('bob')), true);
        await Promise.all([waitFor(bob, 'call-received', { from: fromB }), waitFor(bob2, 'call-received', { from: fromB2 })]);
        assert.equal(await vw(bob2, () => window.vw.el().answer()), true);
        await waitFor(alice, 'state-change', { from: fromA, match: { state: 'in-progress' } });
        const stopped = await waitFor(bob, 'call-ended', { from: fromB });
        assert.equal(stopped.cause, 'canceled');
        assert.equal(await vw(bob, () => window.vw.liveMicTracks()), 0);
        await vw(alice, () => window.vw.el().hangup());
        await waitFor(bob2, 'call-ended', { from: fromB2, match: { cause: 'remote-hangup' } });
        // Decline on the first tab: the caller hears "declined", the other tab stops ringing.
        fromA = await logLength(alice);
        fromB = await logLength(bob);
        fromB2 = await logLength(bob2);
        assert.equal(await vw(alice, () => window.vw.el().call('bob')), true);
        await Promise.all([waitFor(bob, 'call-received', { from: fromB }), waitFor(bob2, 'call-received', { from: fromB2 })]);
        assert.equal(await vw(bob, () => window.vw.el().reject()), true);
        assert.equal((await waitFor(alice, 'call-ended', { from: fromA })).cause, 'rejected');
        await waitFor(bob2, 'call-ended', { from: fromB2 });
        await bob2.browserContext().close();
      });

      test('an invalid number puts nothing on the wire', async () => {
        const fromA = await logLength(alice);
        assert.equal(await vw(alice, () => window.vw.el().call('sip:bob@elsewhere.test')), false);
        await sleep(200);
        const log = await vw(alice, (f) => window.vw.log.slice(f).map((e) => [e.type, e.detail?.code, e.bubbles]), fromA);
        assert.deepEqual(log, [['error', 'invalid-number', false]]);
      });

      test('dtmf-mode="rfc2833" sends digits in the media, not as SIP INFO', async () => {
        await vw(alice, () => window.vw.el().setAttribute('dtmf-mode', 'rfc2833'));
        const from = await connect(alice, bob, 'bob');
        const sent = await vw(alice, () => window.vw.el().sendDtmf('5*'));
        assert.equal(sent, true);
        await sleep(800);
        const aliceDtmf = (await detailsSince(alice, 'dtmf', from.caller)).map((d) => [d.digit, d.direction]);
        assert.deepEqual(aliceDtmf, [
          ['5', 'outbound'],
          ['*', 'outbound'],
        ]);
        // A browser cannot receive RFC 2833 events; what matters is that no INFO carried them.
        const bobDtmf = await vw(bob, (f) => window.vw.log.slice(f).filter((e) => e.type === 'dtmf').length, from.callee);
        assert.equal(bobDtmf, 0);
        await vw(alice, () => window.vw.el().setAttribute('dtmf-mode', 'info'));
        await vw(bob, () => window.vw.el().hangup());
        await waitFor(alice, 'call-ended', { from: from.caller, match: { cause: 'remote-hangup' } });
      });

      test('mute silences what the far end hears while RTP keeps arriving; unmute restores it; typed digits send DTMF', async () => {
        const from = await connect(alice, bob, 'bob');
        await inboundBytesRising(bob);
        const loud = await audioPower(bob);
        assert.ok(loud > 1e-6, `the far end hears the fake microphone: power ${loud}`);

        assert.equal(await vw(alice, () => window.vw.el().mute()), true);
        assert.equal(await vw(alice, () => window.vw.el().isMuted()), true);
        await settleAudio(bob, (p) => p < loud / 10);
        const quiet = await audioPower(bob);
        const { first, second } = await inboundBytesRising(bob);
        assert.ok(quiet < loud / 10, `muted: power ${quiet} (was ${loud})`);
        assert.ok(second > first, 'RTP keeps arriving while muted');
        // The mute button shows it.
        assert.equal(await vw(alice, () => window.vw.el().shadowRoot.querySelector('[part~="mute-button"]').getAttribute('aria-pressed')), 'true');

        assert.equal(await vw(alice, () => window.vw.el().unmute()), true);
        await settleAudio(bob, (p) => p > loud / 4);
        const again = await audioPower(bob);
        assert.ok(again > loud / 4, `unmuted: audible again, power ${again} (was ${loud})`);
        const mutes = (await detailsSince(alice, 'mute-change', from.caller)).map((d) => d.muted);
        assert.deepEqual(mutes, [true, false]);

        // Digits typed on the keyboard while the widget has focus go out as DTMF.
        await vw(alice, () => window.vw.el().shadowRoot.querySelector('[part~="mute-button"]').focus());
        await alice.keyboard.type('7*');
        await waitFor(bob, 'dtmf', { from: from.callee, match: { digit: '*' } });
        const digits = (await detailsSince(bob, 'dtmf', from.callee)).map((d) => d.digit);
        assert.deepEqual(digits, ['7', '*']);

        await vw(alice, () => window.vw.el().hangup());
        await waitFor(bob, 'call-ended', { from: from.callee });
        assert.equal(await vw(alice, () => window.vw.el().isMuted()), false);
      });

      test('history records every call; a missed call shows on the launcher until seen; redial from the history', async () => {
        const ended = await events(alice, 'call-ended');
        // Every call that ended on Alice's side is in her history, newest first, with its direction and number.
        const entries = await alice.evaluate(() => JSON.parse(localStorage.getItem('voice-widget:history:alice@voice.test')).entries);
        assert.deepEqual(
          entries.map((e) => [e.id, e.direction, e.number]),
          ended
            .reverse()
            .map((e) => [e.id, e.direction, e.number])
            .slice(0, 50),
        );
        // Bob missed the call Alice canceled: his launcher counts it until he opens the history.
        await vw(bob, () => window.vw.el().removeAttribute('open'));
        const badge = () =>
          vw(bob, async () => {
            await window.vw.el().updateComplete;
            return window.vw.el().shadowRoot.querySelector('[part~="badge"]')?.textContent.trim() ?? null;
          });
        assert.match((await badge()) ?? '', /^\d+ missed$/);
        await vw(bob, async () => {
          window.vw.el().setAttribute('open', '');
          await window.vw.el().updateComplete;
          window.vw.el().shadowRoot.querySelector('[part~="history-button"]').click();
          await window.vw.el().updateComplete;
        });
        const text = await vw(bob, () => window.vw.el().shadowRoot.querySelector('[part~="history"]').textContent);
        assert.match(text, /Missed call/);
        await vw(bob, () => window.vw.el().removeAttribute('open'));
        assert.equal(await badge(), null);
        // Redial: Alice's newest entry calls the same number again.
        const from = await logLength(alice);
        await vw(alice, async () => {
          window.vw.el().shadowRoot.querySelector('[part~="history-button"]').click();
          await window.vw.el().updateComplete;
          window.vw.el().shadowRoot.querySelector('[part~="history"] button').click();
        });
        const started = await waitFor(alice, 'call-started', { from });
        assert.equal(started.number, entries[0].number);
        await vw(alice, () => window.vw.el().hangup());
        await waitFor(alice, 'call-ended', { from });
        await vw(bob, () => window.vw.el().setAttribute('open', ''));
      });

      test('hold stops media both ways and unhold restores it, shown on both sides; hold pressed repeatedly ends in the last state', async () => {
        const from = await connect(alice, bob, 'bob');
        await inboundBytesRising(alice);
        await inboundBytesRising(bob);
        const bytes = (page) => vw(page, () => window.vw.inboundAudioBytes());

        assert.equal(await vw(alice, () => window.vw.el().hold()), true);
        await waitFor(alice, 'hold-change', { from: from.caller, match: { held: true, by: 'local' } });
        await waitFor(bob, 'hold-change', { from: from.callee, match: { held: true, by: 'remote' } });
        assert.equal(await vw(alice, () => window.vw.el().isOnHold()), true);
        await sleep(500); // packets in flight
        const heldA = await bytes(alice);
        const heldB = await bytes(bob);
        await sleep(1200);
        assert.equal(await bytes(alice), heldA, 'no audio reaches the holder');
        assert.equal(await bytes(bob), heldB, 'no audio reaches the held party');
        const shown = await vw(bob, () => window.vw.el().shadowRoot.querySelector('[part~="in-call"]').textContent);
        assert.match(shown, /Held by the other party/);

        assert.equal(await vw(alice, () => window.vw.el().unhold()), true);
        await waitFor(alice, 'hold-change', { from: from.caller, match: { held: false, by: 'local' } });
        await waitFor(bob, 'hold-change', { from: from.callee, match: { held: false, by: 'remote' } });
        for (const page of [alice, bob]) {
          const { first, second } = await inboundBytesRising(page);
          assert.ok(second > first, 'audio flows again after unhold');
        }

        // Pressed three times in a row: the requests queue, and the last one wins.
        const mark = await logLength(alice);
        const accepted = await vw(alice, () => [window.vw.el().hold(), window.vw.el().unhold(), window.vw.el().hold()]);
        assert.deepEqual(accepted, [true, true, true]);
        await waitFor(alice, 'hold-change', { from: mark, match: { held: true } });
        await sleep(1500);
        const changes = (await detailsSince(alice, 'hold-change', mark)).map((d) => d.held);
        assert.deepEqual(changes, [true, false, true]);
        assert.equal(await vw(alice, () => window.vw.el().isOnHold()), true);
        assert.equal(await vw(alice, () => window.vw.el().getState()), 'in-progress');
        assert.equal(await vw(bob, () => window.vw.el().getState()), 'in-progress');

        await vw(bob, () => window.vw.el().hangup());
        await waitFor(alice, 'call-ended', { from: from.caller, match: { cause: 'remote-hangup' } });
        assert.equal(await vw(alice, () => window.vw.liveMicTracks()), 0);
      });

      test('both sides press hold at once (glare): each ends up holding, the call goes on', async () => {
        const from = await connect(alice, bob, 'bob');
        await Promise.all([vw(alice, () => window.vw.el().hold()), vw(bob, () => window.vw.el().hold())]);
        await waitFor(alice, 'hold-change', { from: from.caller, match: { held: true, by: 'local' }, timeout: 15000 });
        await waitFor(bob, 'hold-change', { from: from.callee, match: { held: true, by: 'local' }, timeout: 15000 });
        assert.equal(await vw(alice, () => window.vw.el().isOnHold()), true);
        assert.equal(await vw(bob, () => window.vw.el().isOnHold()), true);
        assert.equal(await vw(alice, () => window.vw.el().getState()), 'in-progress');
        const errors = await vw(alice, (f) => window.vw.log.slice(f).filter((e) => e.type === 'error').length, from.caller);
        assert.equal(errors, 0);
        await vw(alice, () => window.vw.el().hangup());
        await waitFor(bob, 'call-ended', { from: from.callee, match: { cause: 'remote-hangup' } });
      });

      test('blind transfer: A transfers B to C, B accepts on screen; B and C talk, A leaves; a refused target reports failed', async () => {
        const carol = await openPhone('carol');
        await waitFor(carol, 'ready');
        const from = await connect(alice, bob, 'bob');
        const fromC = await logLength(carol);
        assert.equal(await vw(alice, () => window.vw.el().transfer('carol')), true);
        // refer-policy="ask" (the default): B is asked, and accepts with the on-screen button.
        await waitFor(bob, 'transfer-requested', { from: from.callee });
        await vw(bob, async () => {
          await window.vw.el().updateComplete;
          window.vw.el().shadowRoot.querySelector('[part~="transfer-accept-button"]').click();
        });
        const received = await waitFor(carol, 'call-received', { from: fromC });
        assert.equal(received.from.address, `sip:bob@${DOMAIN}`);
        assert.equal(await vw(carol, () => window.vw.el().answer()), true);
        assert.deepEqual(await waitFor(alice, 'transfer', { from: from.caller }), {
          id: (await events(alice, 'call-started')).at(-1).id,
          target: 'carol',
          result: 'accepted',
          kind: 'blind',
        });
        // A completed transfer ends the transferor's call as transferred (and the transferee's call with it).
        assert.equal((await waitFor(alice, 'call-ended', { from: from.caller })).cause, 'transferred');
        await waitFor(carol, 'state-change', { from: fromC, match: { state: 'in-progress' } });
        for (const page of [bob, carol]) {
          const { first, second } = await inboundBytesRising(page);
          assert.ok(second > first, 'B and C hear each other');
        }
        assert.equal(await vw(bob, () => window.vw.el().getState()), 'in-progress');
        await vw(carol, () => window.vw.el().hangup());
        await waitFor(bob, 'call-ended', { from: from.callee, match: { cause: 'remote-hangup', number: 'carol' } });

        // A transfer to someone who is not there fails, and the call goes on (refer-policy="accept": B obeys at once).
        await vw(bob, () => window.vw.el().setAttribute('refer-policy', 'accept'));
        const again = await connect(alice, bob, 'bob');
        assert.equal(await vw(alice, () => window.vw.el().transfer('nobody')), true);
        assert.equal((await waitFor(alice, 'transfer', { from: again.caller, timeout: 15000 })).result, 'failed');
        assert.equal(await vw(alice, () => window.vw.el().getState()), 'in-progress');
        await sleep(300);
        assert.equal(await vw(bob, () => window.vw.el().getState()), 'in-progress');
        await vw(alice, () => window.vw.el().hangup());
        await waitFor(bob, 'call-ended', { from: again.callee, match: { cause: 'remote-hangup' } });
        assert.equal(await count(bob, 'transfer-requested', again.callee), 0, 'accept: nobody was asked');
        await vw(bob, () => window.vw.el().removeAttribute('refer-policy'));
        await carol.browserContext().close();
      });

      test('refer-policy: a REFER is never obeyed silently. ask: shown, declined → NOTIFY 603 and no INVITE; reject: 603 at once; a target outside the dial rule: 603 even with accept', async (t) => {
        const from = await connect(alice, bob, 'bob');
        const bobCall = (await events(bob, 'call-started')).at(-1).id;
        const mark = async () => ({
          alice: await logLength(alice),
          bob: await logLength(bob),
          sent: await vw(bob, () => window.vw.sip.sent.length),
          got: await vw(alice, () => window.vw.sip.received.length),
        });
        /** What the REFER led to on the wire: the sipfrag of alice's final NOTIFY, and whether bob sent an INVITE. */
        const wire = async (m) => ({
          notify: await vw(
            alice,
            (f) =>
              window.vw.sip.received
                .slice(f)
                .filter((x) => x.startsWith('NOTIFY '))
                .map((x) => /SIP\/2\.0 \d{3}/.exec(x.split('\r\n\r\n')[1] ?? '')?.[0])
                .filter((x) => x && x !== 'SIP/2.0 100')
                .join(),
            m.got,
          ),
          invite: await vw(bob, (f) => window.vw.sip.sent.slice(f).some((x) => x.startsWith('INVITE ')), m.sent),
        });
        const requestShown = () =>
          vw(bob, async () => {
            await window.vw.el().updateComplete;
            return window.vw.el().shadowRoot.querySelector('[part~="transfer-request"]')?.textContent.replace(/\s+/g, ' ').trim() ?? null;
          });

        // ask (the default): who asks and where to, on screen and in the event; the user declines.
        let m = await mark();
        assert.equal(await vw(alice, () => window.vw.el().transfer('carol')), true);
        assert.deepEqual(await waitFor(bob, 'transfer-requested', { from: m.bob }), { id: bobCall, target: 'carol', kind: 'blind' });
        assert.match(await requestShown(), /Alice asks to transfer you to carol/);
        assert.deepEqual(await audit(bob), [], 'the transfer request');
        await vw(bob, () => window.vw.el().shadowRoot.querySelector('[part~="transfer-decline-button"]').click());
        assert.equal((await waitFor(alice, 'transfer', { from: m.alice, timeout: 15000 })).result, 'failed');
        assert.deepEqual(await wire(m), { notify: 'SIP/2.0 603', invite: false });
        assert.equal(await requestShown(), null, 'the request is gone from the screen');
        assert.equal(await vw(bob, () => window.vw.el().declineTransfer()), false, 'nothing left to decline');

        // A Refer-To with Replaces (an attended transfer, sent from alice's JsSIP session) is asked as `attended`; declined by the method.
        const replaces = encodeURIComponent('a1b2c3@voice.test;to-tag=1234;from-tag=5678');
        m = await mark();
        await vw(alice, (to) => window.vw.el().controller.phone.currentCall.session.refer(to), `sip:carol@${DOMAIN}?Replaces=${replaces}`);
        assert.deepEqual(await waitFor(bob, 'transfer-requested', { from: m.bob }), { id: bobCall, target: 'carol', kind: 'attended' });
        assert.equal(await vw(bob, () => window.vw.el().declineTransfer()), true);
        await alice.waitForFunction(
          (f) => window.vw.sip.received.slice(f).some((x) => x.startsWith('NOTIFY ') && x.includes('SIP/2.0 603')),
          { timeout: 10000 },
          m.got,
        );
        assert.deepEqual(await wire(m), { notify: 'SIP/2.0 603', invite: false });

        // reject: declined at once, nobody asked.
        await vw(bob, () => window.vw.el().setAttribute('refer-policy', 'reject'));
        m = await mark();
        const sentAt = Date.now();
        assert.equal(await vw(alice, () => window.vw.el().transfer('carol')), true);
        assert.equal((await waitFor(alice, 'transfer', { from: m.alice, timeout: 15000 })).result, 'failed');
        t.diagnostic(`refer-policy="reject": transfer() → failed at the transferor in ${Date.now() - sentAt} ms`);
        assert.deepEqual(await wire(m), { notify: 'SIP/2.0 603', invite: false });
        assert.equal(await count(bob, 'transfer-requested', m.bob), 0);

        // accept, but a hostile far end names a target outside the dial rule: another domain (a PSTN
        // gateway), a ;maddr= that routes elsewhere, a Replaces that would add a header line to the INVITE.
        await vw(bob, () => window.vw.el().setAttribute('refer-policy', 'accept'));
        for (const target of [
          'sip:+19005550100@pstn.example',
          `sip:carol@${DOMAIN};maddr=127.0.0.9`,
          `sip:carol@${DOMAIN}?Replaces=${replaces}%0D%0AX-Evil%3A%201`,
        ]) {
          m = await mark();
          await vw(alice, (to) => window.vw.el().controller.phone.currentCall.session.refer(to), target);
          await alice.waitForFunction(
            (f) => window.vw.sip.received.slice(f).some((x) => x.startsWith('NOTIFY ') && x.includes('SIP/2.0 603')),
            { timeout: 10000 },
            m.got,
          );
          assert.deepEqual(await wire(m), { notify: 'SIP/2.0 603', invite: false }, target);
        }
        assert.equal(await vw(bob, () => window.vw.el().getState()), 'in-progress', 'the call went on');
        assert.equal((await events(bob, 'call-started')).at(-1).id, bobCall, 'bob placed no call');
        await vw(bob, () => window.vw.el().removeAttribute('refer-policy'));
        await vw(alice, () => window.vw.el().hangup());
        await waitFor(bob, 'call-ended', { from: from.callee });
      });

      test('a second call rings beside the first: decline it, or answer it with the first on hold; busy-policy="reject" answers 486', async () => {
        const carol = await openPhone('carol');
        await waitFor(carol, 'ready');
        const from = await connect(alice, bob, 'bob');
        // Declined.
        let fromC = await logLength(carol);
        let fromA = await logLength(alice);
        assert.equal(await vw(carol, () => window.vw.el().call('alice')), true);
        const second = await waitFor(alice, 'call-received', { from: fromA });
        assert.equal(second.from.address, `sip:carol@${DOMAIN}`);
        assert.equal(await vw(alice, () => window.vw.el().getState()), 'in-progress', 'not auto-answered');
        assert.match(await vw(alice, () => window.vw.el().shadowRoot.querySelector('[part~="call-waiting"]')?.textContent ?? ''), /Carol/);
        assert.equal(await vw(alice, () => window.vw.el().reject()), true);
        assert.equal((await waitFor(carol, 'call-ended', { from: fromC })).cause, 'rejected');
        assert.equal(await vw(alice, () => window.vw.el().getState()), 'in-progress');

        // Answered: Bob is put on hold, Alice talks with Carol, then goes back to Bob.
        fromC = await logLength(carol);
        fromA = await logLength(alice);
        assert.equal(await vw(carol, () => window.vw.el().call('alice')), true);
        await waitFor(alice, 'call-received', { from: fromA });
        assert.equal(await vw(alice, () => window.vw.el().answer()), true);
        await waitFor(bob, 'hold-change', { from: from.callee, match: { held: true, by: 'remote' } });
        await waitFor(carol, 'state-change', { from: fromC, match: { state: 'in-progress' } });
        const { first, second: later } = await inboundBytesRising(carol);
        assert.ok(later > first, 'Alice and Carol hear each other');
        await vw(alice, () => window.vw.el().hangup());
        await waitFor(carol, 'call-ended', { from: fromC, match: { cause: 'remote-hangup' } });
        assert.equal(await vw(alice, () => window.vw.el().getState()), 'in-progress', 'back to the held call');
        assert.equal(await vw(alice, () => window.vw.el().isOnHold()), true);
        assert.equal(await vw(alice, () => window.vw.el().unhold()), true);
        await waitFor(bob, 'hold-change', { from: from.callee, match: { held: false, by: 'remote' } });

        // busy-policy="reject": the third party gets busy at once and nothing rings here.
        await vw(alice, () => window.vw.el().setAttribute('busy-policy', 'reject'));
        fromC = await logLength(carol);
        fromA = await logLength(alice);
        assert.equal(await vw(carol, () => window.vw.el().call('alice')), true);
        assert.equal((await waitFor(carol, 'call-ended', { from: fromC })).cause, 'busy');
        assert.equal(await vw(alice, (f) => window.vw.log.slice(f).filter((e) => e.type === 'call-received').length, fromA), 0);
        await vw(alice, () => window.vw.el().removeAttribute('busy-policy'));
        await vw(alice, () => window.vw.el().hangup());
        await waitFor(bob, 'call-ended', { from: from.callee });
        await carol.browserContext().close();
      });

      // Both servers assert a caller ID only from the token's signed list (kamailio.cfg reads it from the token too).
      test("outbound caller ID: chosen from the token's list, remembered, announced, and seen by the callee", async () => {
        const zoe = await openPhone('zoe', { tokenOptions: { callerIds: ['+15550100', '+15550101'] } });
        await waitFor(zoe, 'ready');
        await vw(zoe, () => window.vw.part('settings-button').click());
        await zoe.waitForFunction(() => window.vw.part('caller-id'));
        const options = await vw(zoe, () => [...window.vw.el().shadowRoot.querySelectorAll('[part~="caller-id"] option')].map((o) => o.textContent.trim()));
        assert.deepEqual(options, ['zoe', '+15550100', '+15550101']);
        await vw(zoe, async () => {
          const select = window.vw.el().shadowRoot.querySelector('[part~="caller-id"]');
          select.value = '+15550101';
          select.dispatchEvent(new Event('change'));
        });
        assert.deepEqual(await waitFor(zoe, 'outbound-number-changed'), { name: 'Zoe', address: '+15550101' });
        assert.equal(await vw(zoe, () => localStorage.getItem('voice-widget:caller-id:zoe@voice.test')), '+15550101');
        assert.equal(await vw(zoe, () => window.vw.el().selectOutboundNumber('+19999999')), false);
        const fromB = await logLength(bob);
        assert.equal(await vw(zoe, () => window.vw.el().call('bob')), true);
        const received = await waitFor(bob, 'call-received', { from: fromB });
        assert.equal(received.from.address, 'sip:+15550101@voice.test');
        assert.equal(received.from.name, 'Zoe', 'the name the server asserts from the token');
        await vw(bob, () => window.vw.el().reject());
        await waitFor(zoe, 'call-ended');
        await zoe.browserContext().close();
      });

      test('no audio for 3 s on a call nobody holds: warning and no-audio; it clears when audio returns; a held call is not warned about', async () => {
        const from = await connect(alice, bob, 'bob');
        await inboundBytesRising(alice);
        assert.equal(await vw(bob, () => window.vw.sendAudio(false)), true);
        const noAudio = await waitFor(alice, 'no-audio', { from: from.caller, timeout: 9000 }); // 3 s, asserted at 3×
        assert.equal(typeof noAudio.id, 'string');
        assert.match(await vw(alice, () => window.vw.el().shadowRoot.querySelector('[part~="no-audio"]')?.textContent ?? ''), /No audio/);
        assert.equal(await vw(alice, () => window.vw.el().getState()), 'in-progress', 'a warning, not an end');
        await vw(bob, () => window.vw.sendAudio(true));
        await waitFor(alice, 'audio-restored', { from: from.caller, timeout: 5000 });
        assert.equal(await vw(alice, () => window.vw.el().shadowRoot.querySelector('[part~="no-audio"]')), null);
        // Held: silence is expected, so no warning and no end on either side, for 20 s through Kamailio
        // (the embedded server's run keeps it to 6 s, twice the threshold, to save time).
        const mark = { a: await logLength(alice), b: await logLength(bob) };
        await vw(alice, () => window.vw.el().hold());
        await waitFor(bob, 'hold-change', { from: mark.b, match: { held: true } });
        await sleep(kind === 'kamailio' ? 20_000 : 6_000);
        for (const [page, f] of [
          [alice, mark.a],
          [bob, mark.b],
        ]) {
          assert.equal(await vw(page, (x) => window.vw.log.slice(x).filter((e) => e.type === 'no-audio').length, f), 0);
          assert.equal(await vw(page, () => window.vw.el().getState()), 'in-progress');
        }
        await vw(alice, () => window.vw.el().hangup());
        await waitFor(bob, 'call-ended', { from: from.callee });
      });

      for (const theme of ['light', 'dark'])
        test(`every call screen passes the accessibility audit (${theme} theme, contrast included); Answer takes the focus; keyboard shortcuts work`, async () => {
          for (const page of [alice, bob]) await vw(page, (th) => window.vw.el().setAttribute('theme', th), theme);
          const fromA = await logLength(alice);
          const fromB = await logLength(bob);
          assert.equal(await vw(alice, () => window.vw.el().call('bob')), true);
          await waitFor(bob, 'call-received', { from: fromB });
          await waitFor(alice, 'state-change', { from: fromA, match: { state: 'ringing' } });
          assert.deepEqual(await audit(alice), [], 'outgoing');
          assert.deepEqual(await audit(bob), [], 'incoming');
          assert.equal(await vw(bob, () => window.vw.el().shadowRoot.activeElement?.getAttribute('part')), 'answer-button');
          await bob.keyboard.down('Alt');
          await bob.keyboard.down('Shift');
          await bob.keyboard.press('KeyA');
          await bob.keyboard.up('Shift');
          await bob.keyboard.up('Alt');
          await waitFor(alice, 'state-change', { from: fromA, match: { state: 'in-progress' } });
          assert.deepEqual(await audit(alice), [], 'in call');
          const press = async (page, code) => {
            await vw(page, () => window.vw.el().shadowRoot.querySelector('[part~="hangup-button"]').focus());
            await page.keyboard.down('Alt');
            await page.keyboard.down('Shift');
            await page.keyboard.press(code);
            await page.keyboard.up('Shift');
            await page.keyboard.up('Alt');
          };
          await press(alice, 'KeyM');
          await waitFor(alice, 'mute-change', { from: fromA, match: { muted: true } });
          await press(alice, 'KeyP');
          await waitFor(alice, 'hold-change', { from: fromA, match: { held: true } });
          await waitFor(bob, 'hold-change', { from: fromB, match: { held: true } });
          await vw(alice, async () => {
            const root = window.vw.el().shadowRoot;
            root.querySelector('[part~="keypad-button"]').click();
            root.querySelector('[part~="transfer-button"]').click();
          });
          assert.deepEqual(await audit(alice), [], 'muted, on hold, keypad and transfer open');
          assert.deepEqual(await audit(bob), [], 'held by the other party');
          assert.match(await vw(alice, () => window.vw.el().shadowRoot.querySelector('[aria-live="polite"]').textContent), /on hold/);
          await press(alice, 'KeyH');
          await waitFor(bob, 'call-ended', { from: fromB, match: { cause: 'remote-hangup' } });
          await vw(alice, async () => {
            window.vw.el().shadowRoot.querySelector('[part~="history-button"]').click();
          });
          assert.deepEqual(await audit(alice), [], 'recent calls');
          await vw(alice, () => window.vw.part('settings-button').click());
          await alice.waitForFunction(() => window.vw.el().shadowRoot.querySelectorAll('[part~="device-select"]').length === 3);
          assert.deepEqual(await audit(alice), [], 'settings');
          await vw(alice, async () => {
            window.vw.el().shadowRoot.querySelector('[part~="dialer-button"]').click();
          });
          for (const page of [alice, bob]) await vw(page, () => window.vw.el().removeAttribute('theme'));
        });

      test('tones from Web Audio: ringtone on the callee, ringback on the caller, both silent once answered', async () => {
        const tones = { alice: await vw(alice, () => window.vwAudio.count()), bob: await vw(bob, () => window.vwAudio.count()) };
        const fromA = await logLength(alice);
        const fromB = await logLength(bob);
        assert.equal(await vw(alice, () => window.vw.el().call('bob')), true);
        await waitFor(bob, 'call-received', { from: fromB });
        await waitFor(alice, 'state-change', { from: fromA, match: { state: 'ringing' } });
        await bob.waitForFunction((n) => window.vwAudio.count() > n, {}, tones.bob);
        await alice.waitForFunction((n) => window.vwAudio.count() > n, {}, tones.alice);
        // The double ring (400 + 450 Hz) here, the North American ringback (440 + 480 Hz) there.
        assert.deepEqual(new Set(await vw(bob, (n) => window.vwAudio.frequencies(n), tones.bob)), new Set([400, 450]));
        assert.deepEqual(new Set(await vw(alice, (n) => window.vwAudio.frequencies(n), tones.alice)), new Set([440, 480]));
        assert.equal(await vw(bob, () => window.vwAudio.sounding()), true);
        assert.equal(await vw(bob, () => window.vw.el().answer()), true);
        await waitFor(alice, 'state-change', { from: fromA, match: { state: 'in-progress' } });
        await bob.waitForFunction(() => !window.vwAudio.sounding());
        await alice.waitForFunction(() => !window.vwAudio.sounding());
        assert.deepEqual(await events(bob, 'audio-blocked'), [], 'this browser lets audio play');
        await vw(alice, () => window.vw.el().hangup());
        await waitFor(bob, 'call-ended', { from: fromB });
      });

      test('settings: the chosen microphone takes the next call and switches live; the speaker gets the call audio', async () => {
        const fromB = await logLength(bob);
        await vw(bob, () => window.vw.part('settings-button').click());
        await bob.waitForFunction(() => window.vw.el().shadowRoot.querySelectorAll('[part~="device-select"]').length === 3);
        assert.deepEqual(await audit(bob), [], 'settings');
        // Through the screen, as a user would: the second microphone (the fake device has three).
        const mics = await vw(bob, () => [...window.vw.part('device-select').options].map((o) => o.value));
        assert.ok(mics.length >= 3, `microphones: ${mics.length - 1}`);
        await vw(
          bob,
          (id) => {
            const select = window.vw.part('device-select');
            select.value = id;
            select.dispatchEvent(new Event('change'));
          },
          mics[1],
        );
        assert.deepEqual(await waitFor(bob, 'audio-device-change', { from: fromB }), { kind: 'microphone', deviceId: mics[1] });
        const speakers = (await vw(bob, () => window.vw.el().listAudioDevices())).speakers;
        assert.ok(speakers.length > 0, 'the fake device has outputs');
        assert.equal(await vw(bob, (id) => window.vw.el().setAudioDevice('speaker', id), speakers[0].id), true);
        await vw(bob, () => window.vw.part('dialer-button').click());

        const from = await connect(alice, bob, 'bob');
        assert.deepEqual(await vw(bob, () => window.vw.liveMicDevices()), [mics[1]]);
        assert.equal(await vw(bob, () => window.vw.sendingDevice()), mics[1]);
        assert.ok((await vw(bob, () => window.vwAudio.probe.sinks)).includes(speakers[0].id), 'call audio sent to the chosen speaker');

        // Live: another microphone replaces the track without renegotiation; the old one is released.
        assert.equal(await vw(bob, (id) => window.vw.el().setAudioDevice('microphone', id), mics[2]), true);
        await bob.waitForFunction((id) => window.vw.sendingDevice() === id, {}, mics[2]);
        assert.deepEqual(await vw(bob, () => window.vw.liveMicDevices()), [mics[2]]);
        const { first, second } = await inboundBytesRising(alice);
        assert.ok(second > first, 'alice still hears bob');
        assert.equal(await vw(bob, () => window.vw.el().getState()), 'in-progress');
        await vw(alice, () => window.vw.el().hangup());
        await waitFor(bob, 'call-ended', { from: from.callee });
        assert.equal(await vw(bob, () => window.vw.liveMicTracks()), 0);
        await vw(bob, () => ['microphone', 'speaker'].forEach((k) => window.vw.el().setAudioDevice(k, null)));
      });

      test('desktop notification: asked for from a click, shown for a call while the page is not in front, closed when it stops ringing', async () => {
        await bob.browserContext().overridePermissions(web.url, ['notifications']);
        await vw(bob, () => window.vw.part('settings-button').click());
        const toggle = await bob.evaluateHandle(() => window.vw.part('notifications-switch'));
        await toggle.click();
        await bob.waitForFunction(() => window.vw.part('notifications-switch').getAttribute('aria-checked') === 'true');
        await vw(bob, () => window.vw.part('dialer-button').click());
        await vw(bob, () => window.vwAudio.blur());
        const fromA = await logLength(alice);
        const fromB = await logLength(bob);
        assert.equal(await vw(alice, () => window.vw.el().call('bob')), true);
        const received = await waitFor(bob, 'call-received', { from: fromB });
        const shown = await vw(bob, () => window.vwAudio.probe.notifications.at(-1));
        assert.deepEqual(shown, { title: 'Incoming call', body: `Alice\nalice@${DOMAIN}`, tag: `voice-widget-${received.id}`, silent: true });
        await vw(alice, () => window.vw.el().hangup());
        await waitFor(bob, 'call-ended', { from: fromB });
        await waitFor(alice, 'call-ended', { from: fromA });
        assert.deepEqual(await vw(bob, () => window.vwAudio.probe.closed), [`voice-widget-${received.id}`]);
      });

      test('a browser that blocks sound until a gesture: the call still shows, audio-blocked fires, one click enables sound', async () => {
        const strict = await launchBrowser({ without: ['--autoplay-policy=no-user-gesture-required'] });
        try {
          const carol = await newIsolatedPage(strict);
          await carol.goto(web.url + PAGE, { waitUntil: 'load' });
          const quiet = await withoutGesture(carol);
          assert.equal(await quiet(() => navigator.userActivation.hasBeenActive), false);
          await quiet((o) => window.vw.configure(o), { token: token('carol'), server: sip.wsUrl });
          await quiet(() => window.vw.waitFor('ready'));
          const fromA = await logLength(alice);
          assert.equal(await vw(alice, () => window.vw.el().call('carol')), true);
          const received = await quiet(() => window.vw.waitFor('call-received'));
          assert.deepEqual(await quiet(() => window.vw.waitFor('audio-blocked')), { id: null, source: 'tones' });
          // Seen without sound: the incoming screen and the prompt.
          assert.equal(await quiet(() => window.vw.el().getState()), 'incoming');
          assert.ok(await quiet(() => !!window.vw.part('incoming') && !!window.vw.part('sound-blocked')));
          assert.equal(await quiet(() => window.vwAudio.count()), 0, 'no tone scheduled while blocked');
          // The audit, injected without a gesture (which would enable sound).
          await quiet.raw(await readFile(AXE, 'utf8'));
          assert.equal(await quiet(() => navigator.userActivation.hasBeenActive), false);
          assert.deepEqual(await quiet(async () => (await window.axe.run(window.vw.el())).violations.map((v) => v.id)), [], 'incoming with the sound prompt');
          await clickPart(carol, quiet, 'enable-sound');
          await waitFor(carol, 'audio-unblocked');
          await carol.waitForFunction(() => window.vwAudio.count() > 0 && window.vwAudio.sounding());
          assert.deepEqual(new Set(await vw(carol, () => window.vwAudio.frequencies())), new Set([400, 450]));
          assert.equal(await vw(carol, () => !!window.vw.part('sound-blocked')), false);
          await clickPart(carol, quiet, 'answer-button');
          await waitFor(alice, 'state-change', { from: fromA, match: { state: 'in-progress' } });
          const { first, second } = await inboundBytesRising(carol);
          assert.ok(second > first);
          assert.deepEqual(await events(carol, 'audio-blocked'), [{ id: null, source: 'tones' }], 'the call audio plays after the click');
          await vw(alice, () => window.vw.el().hangup());
          await waitFor(carol, 'call-ended', { match: { id: received.id } });
        } finally {
          await strict.close();
        }
      });

      test('a new token mid-call re-registers without dropping the call', async () => {
        const from = await connect(alice, bob, 'bob');
        await vw(alice, (tk) => (window.vw.el().token = tk), token('alice', { ttl: 7200 }));
        await sleep(1000);
        assert.equal(await vw(alice, () => window.vw.el().getState()), 'in-progress');
        assert.equal(await vw(alice, () => window.vw.el().registrationState), 'registered');
        const { first, second } = await inboundBytesRising(alice);
        assert.ok(second > first, 'audio still flows after the token change');
        const errs = await vw(alice, (f) => window.vw.log.slice(f).filter((e) => e.type === 'error' || e.type === 'token-expired').length, from.caller);
        assert.equal(errs, 0);
        await vw(alice, () => window.vw.el().hangup());
        await waitFor(bob, 'call-ended', { from: from.callee, match: { cause: 'remote-hangup' } });
      });
    });

    describe('token lifetime', () => {
      test('an expired token yields token-expired once and no retry loop; a fresh token registers again', async () => {
        // Minted with a 1 s lifetime, handed over after it lapsed: the server refuses it as expired.
        const stale = token('dave', { ttl: 1 });
        await sleep(2100);
        const page = await openPhone('dave', { configure: false });
        await vw(page, (o) => window.vw.configure(o), { token: stale, server: sip.wsUrl });
        await waitFor(page, 'token-expired');
        await sleep(3000);
        const expired = await events(page, 'token-expired');
        assert.deepEqual(expired, [{ reason: 'expired' }]);
        assert.equal(await vw(page, () => window.vw.el().getState()), 'error');
        const regs = await events(page, 'registration-change');
        assert.ok(regs.length <= 3, `no registration loop: ${JSON.stringify(regs)}`);
        assert.equal(await vw(page, () => window.vw.el().call('bob')), false);

        const from = await logLength(page);
        await vw(page, (tk) => (window.vw.el().token = tk), token('dave'));
        await waitFor(page, 'ready', { from });
        assert.equal(await vw(page, () => window.vw.el().getState()), 'ready');
        assert.equal(await vw(page, () => window.vw.el().registrationState), 'registered');
      });

      test('a token that lapses while registered fires token-expired once, timed from receipt', async () => {
        const page = await openPhone('erin', { tokenOptions: { ttl: 3 } });
        await waitFor(page, 'ready');
        await waitFor(page, 'token-expired', { timeout: 6000 });
        await sleep(1500);
        assert.deepEqual(await events(page, 'token-expired'), [{ reason: 'expired' }]);
        assert.equal(await vw(page, () => window.vw.el().getState()), 'error');
        assert.equal(await vw(page, () => window.vw.el().isReady()), false);
      });

      test('a token with a wrong password is rejected once', async () => {
        const good = JSON.parse(Buffer.from(token('frank').split('.')[1], 'base64url'));
        const forged = { ...good, sip_auth_password: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' };
        const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const bad = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(forged)}.x`;
        const page = await openPhone('frank', { configure: false });
        await vw(page, (o) => window.vw.configure(o), { token: bad, server: sip.wsUrl });
        await waitFor(page, 'token-expired');
        await sleep(1500);
        assert.deepEqual(await events(page, 'token-expired'), [{ reason: 'rejected' }]);
        assert.equal(await vw(page, () => window.vw.el().getState()), 'error');
      });
    });
  });
}
