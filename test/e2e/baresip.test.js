// <voice-widget> with a phone that is not a browser: baresip (Debian's
// baresip-core) registered over UDP on the same Kamailio, with ephemeral
// credentials. The widget calls baresip (ICE + DTLS-SRTP + Opus, audio both
// ways, RFC 2833 digits) and baresip calls the widget.
//
// baresip's ICE ignores loopback, so this file re-runs itself in a private
// network namespace (test/harness/netns.js): Kamailio, the page server,
// Chromium (without --allow-loopback-in-peer-connection) and baresip all run
// there, and media really flows over 198.51.100.10. Needs root (CI is).
// Run: node --test test/e2e/baresip.test.js (BARESIP_VERBOSE=1: baresip's
// debug log in failure messages).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { mintToken } from '../../dist/node/index.js';
import { eventSummary, startBaresip, wavLoudness } from '../harness/baresip.js';
import { newIsolatedPage, pageLog } from '../harness/browser.js';
import { ephemeralCredentials } from '../harness/credentials.js';
import { startKamailio } from '../harness/kamailio.js';
import { networkSnapshot, privateNetwork } from '../harness/netns.js';
import { widgetMedia } from '../harness/widget-media.js';
import { DOMAIN, WIDGET_PAGE as PAGE, browser, detailsSince, e2eSuite, logLength, vw, waitFor, web, withLogs as dumpLogs } from './support.js';

// Outside the namespace this never returns: the file runs again inside.
const { address } = await privateNetwork(import.meta.url);

const SECRET = 'baresip-e2e-secret-0123456789';
const DIGITS = '37*#0D';

// No loopback candidates: ICE has to use the namespace's real address.
e2eSuite({
  secret: SECRET,
  launch: { without: ['--allow-loopback-in-peer-connection'] },
  setup: async () => {
    kam = await startKamailio({ secret: SECRET, udpHost: address });
    const creds = ephemeralCredentials({ secret: SECRET, user: 'bob' });
    bob = await startBaresip({
      user: 'bob',
      domain: DOMAIN,
      authUser: creds.username,
      password: creds.password,
      proxy: kam.udp,
      address,
      answerMode: 'auto',
      verbose: process.env.BARESIP_VERBOSE === '1',
    });
  },
  teardown: async () => {
    await alice
      ?.browserContext()
      .close()
      .catch(() => {});
    await bob?.stop().catch(() => {});
    await kam?.stop().catch(() => {});
  },
});

let kam;
let bob; // baresip
let alice; // the widget's page

const strip = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

/** Runs `fn`; on failure, adds what the logs said to the error and leaves no call behind. */
const withLogs = (fn) =>
  dumpLogs(
    fn,
    () => [
      ['baresip log', bob?.log(), 6000],
      ['baresip events', eventSummary(bob)],
      ['page log', alice ? pageLog(alice).join('\n') : ''],
      ['kamailio log', kam?.log(), 4000],
    ],
    async () => {
      if (alice) await vw(alice, () => window.vw.el().hangup()).catch(() => {});
      await bob?.command('hangup').catch(() => {});
    },
  );

/** The loudest of a few audio-level readings 100 ms apart (levels are instantaneous). */
async function loudestLevel(page, n = 6) {
  let max = 0;
  for (let i = 0; i < n; i++) {
    max = Math.max(max, (await widgetMedia(page)).audioLevel);
    await sleep(100);
  }
  return max;
}

/**
 * Asserts media over 198.51.100.10 (not loopback), DTLS-SRTP and Opus on
 * both sides, and audio flowing both ways; reports the numbers.
 */
async function assertTwoWayAudio(t) {
  // Right after the answer no packet may have arrived yet.
  await alice.waitForFunction(async () => (await window.vw.inboundAudioBytes()) > 0, { timeout: 5000, polling: 50 });
  let b1 = await bob.audioStats();
  for (const deadline = Date.now() + 5000; !(b1.rxPackets > 0 && b1.rxSeconds > 0) && Date.now() < deadline; b1 = await bob.audioStats()) await sleep(50);
  const w1 = await widgetMedia(alice);
  await sleep(1000);
  const w2 = await widgetMedia(alice);
  const b2 = await bob.audioStats();

  // The widget: a host pair on the namespace's address, DTLS up, Opus, RTP in and out.
  assert.equal(w2.local?.address, address, `local candidate ${JSON.stringify(w2.local)}`);
  assert.equal(w2.remote?.address, address, `remote candidate ${JSON.stringify(w2.remote)}`);
  assert.equal(w2.local.protocol, 'udp');
  assert.equal(w2.dtlsState, 'connected');
  assert.ok(w2.srtpCipher, 'an SRTP cipher was negotiated');
  assert.equal(w2.inboundCodec, 'audio/opus');
  assert.equal(w2.outboundCodec, 'audio/opus');
  assert.ok(w2.bytesReceived > w1.bytesReceived && w1.bytesReceived > 0, `widget inbound RTP bytes rise: ${w1.bytesReceived} → ${w2.bytesReceived}`);
  assert.ok(w2.bytesSent > w1.bytesSent, `widget outbound RTP bytes rise: ${w1.bytesSent} → ${w2.bytesSent}`);
  // What baresip sends is its 440 Hz sine, not silence.
  const level = await loudestLevel(alice);
  assert.ok(level > 0.05, `the widget hears baresip's tone: audio level ${level}`);

  // baresip: ICE connected, DTLS-SRTP secure, Opus, RTP arriving from the widget.
  assert.match(b2.ice ?? '', /^ice \(connected=yes\)$/, b2.text);
  assert.match(b2.encryption ?? '', /^dtls_srtp \(secure=yes\)$/, b2.text);
  assert.match(b2.decoder ?? '', /^opus 48000Hz/, b2.text);
  assert.deepEqual(
    b2.addresses.map((a) => a.split(':')[0]),
    [address, address],
    b2.text,
  );
  assert.ok(b2.rxPackets > b1.rxPackets && b1.rxPackets > 0, `baresip RTP packets received rise: ${b1.rxPackets} → ${b2.rxPackets}`);
  assert.ok(b2.rxSeconds > b1.rxSeconds, `baresip decodes more audio: ${b1.rxSeconds} s → ${b2.rxSeconds} s`);

  t.diagnostic(
    `ICE pair ${w2.local.address}:${w2.local.port} (${w2.local.type}) ↔ ${w2.remote.address}:${w2.remote.port} (${w2.remote.type}), ${w2.srtpCipher}, ${w2.inboundCodec}`,
  );
  t.diagnostic(`widget received ${w1.bytesReceived} → ${w2.bytesReceived} bytes in 1 s (${w2.packetsReceived} packets in all), level ${level.toFixed(3)}`);
  t.diagnostic(
    `baresip received ${b1.rxPackets} → ${b2.rxPackets} packets in 1 s, decoded ${b2.rxSeconds} s; sent ${b2.txPackets} packets / ${b2.txBytes} bytes`,
  );
}

/** After a call: what baresip decoded from the widget was the fake microphone's beeps, not silence. */
async function assertBaresipHeardTheWidget(t, filesBefore) {
  const files = (await bob.receivedAudioFiles()).filter((f) => !filesBefore.includes(f));
  assert.equal(files.length, 1, `one received-audio recording for the call: ${files}`);
  const { seconds, windowRms } = await wavLoudness(files[0]);
  const loud = windowRms.filter((r) => r > 1000).length;
  assert.ok(seconds > 1, `recorded ${seconds} s`);
  // Chromium's fake microphone beeps about twice a second.
  assert.ok(loud >= 2, `baresip decoded audible beeps: ${loud} loud 100 ms windows of ${windowRms.length} (RMS ${windowRms.join(' ')})`);
  t.diagnostic(
    `baresip's recording of the widget: ${seconds.toFixed(2)} s, ${loud}/${windowRms.length} windows above RMS 1000 (max ${Math.max(...windowRms)})`,
  );
}

test('a private network: loopback plus 198.51.100.10 on a veth pair, no route out', () => {
  const net = networkSnapshot();
  assert.deepEqual(net.links.sort(), ['lo', 'vw0', 'vw1']);
  assert.deepEqual(net.addresses.sort(), ['lo 127.0.0.1/8', `vw0 ${address}/32`]);
  assert.equal(net.routes, '', 'no default (or any) route');
});

test('baresip registers over UDP and the widget over WebSocket, on the same Kamailio, with ephemeral credentials', { timeout: 30_000 }, () =>
  withLogs(async () => {
    // baresip registers as soon as it starts: ask it rather than wait for an event it may have sent before we connected.
    const deadline = Date.now() + 10_000;
    let reg = '';
    // (Its log line of the 200 may be flushed a moment after reginfo says OK.)
    while ((!/\bOK\b/.test((reg = strip(await bob.command('reginfo')))) || !/\{0\/UDP\/v4\} 200 OK/.test(bob.log())) && Date.now() < deadline) await sleep(100);
    assert.match(reg, new RegExp(`sip:bob@${DOMAIN.replace('.', '\\.')}\\s+OK\\b`), reg);
    assert.match(bob.log(), /\{0\/UDP\/v4\} 200 OK/, 'registered over UDP');

    alice = await newIsolatedPage(browser);
    await alice.goto(web.url + PAGE, { waitUntil: 'load' });
    await alice.waitForFunction(() => customElements.get('voice-widget') && window.vw);
    const token = mintToken({ secret: SECRET, user: 'alice', domain: DOMAIN, name: 'Alice' });
    await vw(alice, (o) => window.vw.configure(o), { token, server: kam.wsUrl, dtmfMode: 'rfc2833' });
    await waitFor(alice, 'ready');
    assert.equal(await vw(alice, () => window.vw.el().registrationState), 'registered');
    assert.equal(await vw(alice, () => window.vw.el().dtmfMode), 'rfc2833');
  }),
);

test('the widget calls baresip: answered, two-way audio over ICE + DTLS-SRTP + Opus, RFC 2833 digits arrive in order', { timeout: 60_000 }, (t) =>
  withLogs(async () => {
    const filesBefore = await bob.receivedAudioFiles();
    const fromA = await logLength(alice);
    const fromB = bob.events.length;
    const { at, placed } = await vw(alice, () => window.vw.call('bob'));
    assert.equal(placed, true);
    await waitFor(alice, 'state-change', { from: fromA, match: { state: 'in-progress' }, timeout: 15_000 });
    const connectedAt = await vw(alice, (f) => window.vw.log.slice(f).find((e) => e.detail?.state === 'in-progress').at, fromA);
    const incoming = await bob.waitForEvent('CALL_ESTABLISHED', { from: fromB });
    assert.equal(incoming.direction, 'incoming');
    assert.equal(incoming.peeruri, `sip:alice@${DOMAIN}`);
    assert.equal(incoming.peerdisplayname, 'Alice');
    t.diagnostic(`call() → in-progress (baresip auto-answers): ${(connectedAt - at).toFixed(0)} ms`);

    await assertTwoWayAudio(t);

    // RFC 2833: in the RTP stream, so baresip (unlike a browser) can hear them.
    // baresip only has telephone-event/8000, while Opus runs at 48 kHz; Chrome
    // then measures an event's length in 48 kHz ticks against 8 kHz ones, and
    // a tone of 120 ms or less goes out as its three end packets only.
    // baresip 1.0 reports such an end-only event once per call at most, so
    // every digit must last longer than that to arrive here.
    const fromDtmf = bob.events.length;
    const sentAt = Date.now();
    assert.equal(await vw(alice, (d) => window.vw.el().sendDtmf(d), DIGITS), true);
    const starts = () => bob.events.slice(fromDtmf).filter((e) => e.type === 'CALL_DTMF_START');
    const deadline = Date.now() + 15_000;
    while (starts().length < DIGITS.length && Date.now() < deadline) await sleep(50);
    await sleep(300); // anything extra (a repeated digit) would show up now
    const received = starts()
      .map((e) => e.param)
      .join('');
    assert.equal(
      received,
      DIGITS,
      `baresip received the digits in order (its log: ${
        bob
          .log()
          .match(/received event.*$/gm)
          ?.join(' | ') ?? 'none'
      }); ` + 'only the first one, as an end, means the widget sent tones of 120 ms or less',
    );
    const widgetDtmf = (await detailsSince(alice, 'dtmf', fromA)).map((d) => d.digit + d.direction[0]);
    assert.deepEqual(
      widgetDtmf,
      [...DIGITS].map((d) => `${d}o`),
    );
    t.diagnostic(`digits ${DIGITS} → baresip CALL_DTMF_START ${received} in ${Date.now() - sentAt} ms`);

    assert.equal(await vw(alice, () => window.vw.el().hangup()), true);
    await bob.waitForEvent('CALL_CLOSED', { from: fromB });
    const ended = await waitFor(alice, 'call-ended', { from: fromA });
    assert.equal(ended.cause, 'local-hangup');
    await assertBaresipHeardTheWidget(t, filesBefore);
  }),
);

test('baresip calls the widget: it rings, the widget answers, two-way audio; baresip hangs up', { timeout: 60_000 }, (t) =>
  withLogs(async () => {
    const filesBefore = await bob.receivedAudioFiles();
    const fromA = await logLength(alice);
    const fromB = bob.events.length;
    const dialedAt = Date.now();
    await bob.command('dial', `sip:alice@${DOMAIN}`);
    const received = await waitFor(alice, 'call-received', { from: fromA, timeout: 15_000 });
    assert.equal(received.from.address, `sip:bob@${DOMAIN}`);
    assert.equal(received.to.address, `sip:alice@${DOMAIN}`);
    assert.equal(await vw(alice, () => window.vw.el().getState()), 'incoming');
    const ringingAfter = Date.now() - dialedAt;

    const answeredAt = Date.now();
    assert.equal(await vw(alice, () => window.vw.el().answer()), true);
    const established = await bob.waitForEvent('CALL_ESTABLISHED', { from: fromB });
    assert.equal(established.direction, 'outgoing');
    assert.match(established.peeruri, /^sip:alice@voice\.test(;|$)/); // baresip adds ;transport=udp
    await waitFor(alice, 'state-change', { from: fromA, match: { state: 'in-progress' } });
    t.diagnostic(`dial → widget rings: ${ringingAfter} ms; answer() → baresip CALL_ESTABLISHED: ${established.at - answeredAt} ms`);

    await assertTwoWayAudio(t);

    await bob.command('hangup');
    const ended = await waitFor(alice, 'call-ended', { from: fromA });
    assert.equal(ended.cause, 'remote-hangup');
    assert.equal(ended.direction, 'inbound');
    await bob.waitForEvent('CALL_CLOSED', { from: fromB });
    assert.equal(await vw(alice, () => window.vw.liveMicTracks()), 0, 'the microphone is released');
    await assertBaresipHeardTheWidget(t, filesBefore);
  }),
);
