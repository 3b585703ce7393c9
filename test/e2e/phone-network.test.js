// The phone network (kamailio/phone-network.cfg): rtpengine bridges the
// widget's ICE + DTLS-SRTP leg to a "carrier" that speaks only plain
// RTP/AVP with G.711 (baresip with g711 and no ice/dtls_srtp module), the
// trunk in both directions (numbers out through the dispatcher, DIDs in,
// only from the trunk's address), and Opus ↔ G.711 transcoding.
//
// Like baresip.test.js this re-runs itself in a private network namespace
// (test/harness/netns.js): Kamailio, rtpengine, the page server, Chromium
// and the carrier all use 198.51.100.10. Needs root (CI is).
// Run: node --test test/e2e/phone-network.test.js (RTPENGINE_LOG_LEVEL=7:
// rtpengine's debug log in failure messages).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { eventSummary, startBaresip, wavLoudness } from '../harness/baresip.js';
import { pageLog } from '../harness/browser.js';
import { freeUdpPort, startKamailio } from '../harness/kamailio.js';
import { privateNetwork } from '../harness/netns.js';
import { ngListCalls, startRtpengine } from '../harness/rtpengine.js';
import { widgetMedia } from '../harness/widget-media.js';
import { e2eSuite, logLength, openPhone, vw, waitFor, withLogs as dumpLogs } from './support.js';

const { address } = await privateNetwork(import.meta.url);

const SECRET = 'phone-network-e2e-secret-0123456789';
// A UK-style numbering plan, so national and international formats differ.
const PLAN = { countryCode: '44', nationalPrefix: '0', internationalPrefix: '00' };
const DID = '+442071230001'; // → alice
const DID_NATIONAL = '02071230001';
// The carrier's own number: baresip only takes calls to its account's user,
// so a call arrives only when the format dialled was normalised to exactly this.
const CARRIER_NUMBER = '+442079460999';
const CARRIER_NATIONAL = '(020) 7946-0999';
const CARRIER_INTERNATIONAL = '00442079460999';

let rtp;
let kam;
let carrier;
let carrierPort;
let alice;
let bob;
let flaky; // a second trunk gateway: answers OPTIONS, refuses every INVITE with 503

// Digest credentials the trunk asks for (TRUNK_CREDENTIAL).
const TRUNK_AUTH = { user: 'trunkuser', realm: 'carrier.test', password: 'trunk-pass-0123' };
const md5 = (s) => createHash('md5').update(s).digest('hex');

/**
 * A trunk gateway that answers the dispatcher's OPTIONS probes (with 503
 * once told it is failing), challenges an INVITE without credentials (407),
 * checks the digest of the one with them, and refuses it with 503 so the
 * call fails over to the next gateway.
 */
async function startFlakyGateway(host) {
  const sock = dgram.createSocket('udp4');
  await new Promise((r) => sock.bind(0, host, r));
  const gw = {
    options: 0,
    invites: 0,
    challenged: 0,
    authorized: [],
    failing: false,
    replies: [],
    uri: `sip:${host}:${sock.address().port}`,
    port: sock.address().port,
    send: (text, port, to) => sock.send(text, port, to),
    close: () => sock.close(),
  };
  sock.on('message', (m, rinfo) => {
    const text = m.toString();
    if (text.startsWith('SIP/2.0 ')) gw.replies.push(text);
    const method = text.match(/^(\w+) /)?.[1];
    if (!method || method === 'ACK') return;
    if (method === 'OPTIONS') gw.options++;
    if (method === 'INVITE') gw.invites++;
    let status = method === 'INVITE' || gw.failing ? '503 Service Unavailable' : '200 OK';
    const extra = [];
    const auth = text.match(/^Proxy-Authorization:\s*Digest (.*)$/im)?.[1];
    if (method === 'INVITE' && !auth) {
      gw.challenged++;
      status = '407 Proxy Authentication Required';
      extra.push(`Proxy-Authenticate: Digest realm="${TRUNK_AUTH.realm}", nonce="n${gw.challenged}x", algorithm=MD5`);
    } else if (method === 'INVITE') {
      const p = Object.fromEntries([...auth.matchAll(/(\w+)="?([^",]*)"?/g)].map((m) => [m[1], m[2]]));
      const ha1 = md5(`${TRUNK_AUTH.user}:${TRUNK_AUTH.realm}:${TRUNK_AUTH.password}`);
      const ha2 = md5(`INVITE:${p.uri}`);
      const expected = p.qop ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
      gw.authorized.push({ username: p.username, realm: p.realm, valid: p.response === expected });
    }
    const copy = (name) => text.match(new RegExp(`^${name}:.*$`, 'gmi')) ?? [];
    const to = copy('To').map((l) => (/;tag=/.test(l) ? l : `${l};tag=flaky`));
    const reply = [
      `SIP/2.0 ${status}`,
      ...copy('Via'),
      ...copy('From'),
      ...to,
      ...copy('Call-ID'),
      ...copy('CSeq'),
      ...extra,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    sock.send(reply, rinfo.port, rinfo.address);
  });
  return gw;
}

// No loopback candidates: ICE has to use the namespace's real address.
e2eSuite({
  secret: SECRET,
  name: (user) => user,
  launch: { without: ['--allow-loopback-in-peer-connection'] },
  setup: async () => {
    flaky = await startFlakyGateway(address);
    rtp = await startRtpengine({ address, logLevel: Number(process.env.RTPENGINE_LOG_LEVEL ?? 5) });
    carrierPort = await freeUdpPort(address);
    kam = await startKamailio({
      secret: SECRET,
      udpHost: address,
      phoneNetwork: {
        rtpengine: rtp.ngUrl,
        gateways: [flaky.uri, `sip:${address}:${carrierPort}`],
        dids: { [DID]: 'alice' },
        transcode: true,
        pingInterval: 1,
        trunkCredential: `${TRUNK_AUTH.user}:${TRUNK_AUTH.realm}:${TRUNK_AUTH.password}`,
        ...PLAN,
      },
    });
    carrier = await startBaresip({ user: CARRIER_NUMBER, domain: address, address, carrier: { port: carrierPort }, answerMode: 'auto' });
    alice = await widgetPage('alice');
  },
  teardown: async () => {
    for (const p of [alice, bob])
      await p
        ?.browserContext()
        .close()
        .catch(() => {});
    await carrier?.stop().catch(() => {});
    await kam?.stop().catch(() => {});
    await rtp?.stop().catch(() => {});
    flaky?.close();
  },
});

const widgetPage = (user) => openPhone(user, { server: kam.wsUrl, ready: true });

/** Runs `fn`; on failure, adds what the logs said to the error and leaves no call behind. */
const withLogs = (fn) =>
  dumpLogs(
    fn,
    () => [
      ['carrier log', carrier?.log(), 5000],
      ['carrier events', eventSummary(carrier)],
      ['page log', alice ? pageLog(alice).join('\n') : ''],
      ['rtpengine log', rtp?.log(), 3000],
      ['kamailio log', kam?.log(), 5000],
    ],
    async () => {
      if (alice) await vw(alice, () => window.vw.el().hangup()).catch(() => {});
      await carrier?.command('hangup').catch(() => {});
    },
  );

/**
 * Audio both ways between the widget and the carrier: the widget's leg is
 * DTLS-SRTP to rtpengine (on 198.51.100.10), the carrier's is plain RTP with
 * G.711; the widget hears the carrier's tone and the carrier's RTP counters rise.
 */
async function assertTwoWayAudio(t, { widgetCodec }) {
  await alice.waitForFunction(async () => (await window.vw.inboundAudioBytes()) > 0, { timeout: 8000, polling: 50 });
  // The carrier's RTCP member table lists the widget's stream once a packet came.
  let c1 = await carrier.audioStats();
  for (const deadline = Date.now() + 5000; !(c1.rxPackets > 0) && Date.now() < deadline; c1 = await carrier.audioStats()) await sleep(50);
  const w1 = await widgetMedia(alice);
  await sleep(1000);
  const w2 = await widgetMedia(alice);
  const c2 = await carrier.audioStats();
  let level = 0;
  for (let i = 0; i < 8; i++) {
    level = Math.max(level, (await widgetMedia(alice)).audioLevel);
    await sleep(100);
  }
  assert.equal(w2.dtlsState, 'connected');
  assert.equal(w2.remote?.address, address, 'the widget exchanges media with rtpengine');
  assert.equal(w2.inboundCodec, widgetCodec);
  assert.ok(w2.bytesReceived > w1.bytesReceived && w1.bytesReceived > 0, `widget inbound RTP rises: ${w1.bytesReceived} → ${w2.bytesReceived}`);
  assert.ok(w2.bytesSent > w1.bytesSent, `widget outbound RTP rises: ${w1.bytesSent} → ${w2.bytesSent}`);
  assert.ok(level > 0.05, `the widget hears the carrier's tone: audio level ${level} (${JSON.stringify(w2.samples)})`);
  // The carrier: plain RTP (no ICE, no encryption), G.711.
  assert.match(c2.text, /mnat: \(none\)/, c2.text);
  assert.match(c2.text, /menc: \(none\)/, c2.text);
  assert.match(c2.decoder ?? '', /^PCM[UA] 8000Hz/, c2.text);
  assert.ok(c2.rxPackets > c1.rxPackets, `carrier RTP packets received rise: ${c1.rxPackets} → ${c2.rxPackets}`);
  t.diagnostic(
    `widget ${w2.inboundCodec} in, ${w2.outboundCodec} out, ${w1.bytesReceived} → ${w2.bytesReceived} bytes in 1 s, level ${level.toFixed(3)}; carrier ${c2.decoder}, ${c1.rxPackets} → ${c2.rxPackets} packets`,
  );
}

/** The carrier's recording of the call has the widget's beeps in it. */
async function assertCarrierHeardTheWidget(t, filesBefore) {
  const files = (await carrier.receivedAudioFiles()).filter((f) => !filesBefore.includes(f));
  assert.equal(files.length, 1, `one recording: ${files}`);
  const { seconds, windowRms } = await wavLoudness(files[0]);
  const loud = windowRms.filter((r) => r > 1000).length;
  assert.ok(seconds > 1, `recorded ${seconds} s`);
  assert.ok(loud >= 2, `the carrier heard the widget: ${loud} loud windows of ${windowRms.length} (RMS ${windowRms.join(' ')})`);
  t.diagnostic(`carrier's recording: ${seconds.toFixed(2)} s, ${loud}/${windowRms.length} windows above RMS 1000`);
}

/** Places a call from alice, waits for in-progress; returns ms from call() to in-progress. */
async function aliceCalls(target) {
  const from = await logLength(alice);
  const { at, placed } = await vw(alice, (n) => window.vw.call(n), target);
  assert.equal(placed, true);
  await waitFor(alice, 'state-change', { from, match: { state: 'in-progress' }, timeout: 15_000 });
  const connectedAt = await vw(alice, (f) => window.vw.log.slice(f).find((e) => e.detail?.state === 'in-progress').at, from);
  return { from, setupMs: connectedAt - at };
}

async function aliceHangsUp(from) {
  const fromC = carrier.events.length;
  assert.equal(await vw(alice, () => window.vw.el().hangup()), true);
  await carrier.waitForEvent('CALL_CLOSED', { from: fromC });
  await waitFor(alice, 'call-ended', { from });
}

test('the widget calls a national number: the trunk (plain RTP, G.711) answers through rtpengine, audio both ways', { timeout: 60_000 }, (t) =>
  withLogs(async () => {
    const filesBefore = await carrier.receivedAudioFiles();
    const fromC = carrier.events.length;
    const { from, setupMs } = await aliceCalls(CARRIER_NATIONAL);
    const incoming = await carrier.waitForEvent('CALL_ESTABLISHED', { from: fromC });
    assert.equal(incoming.direction, 'incoming');
    t.diagnostic(`call() → in-progress through rtpengine: ${setupMs.toFixed(0)} ms`);
    await assertTwoWayAudio(t, { widgetCodec: 'audio/PCMU' });
    await aliceHangsUp(from);
    await assertCarrierHeardTheWidget(t, filesBefore);
  }),
);

const iceUfrag = (page, side) => vw(page, (d) => /a=ice-ufrag:(\S+)/.exec(window.vw.el().getPeerConnection()?.[d]?.sdp ?? '')?.[1] ?? null, side);

test(
  'network recovery with a far end that is not a widget: the socket dropped and an ICE restart re-INVITE through rtpengine to the trunk (issue 19)',
  { timeout: 60_000 },
  (t) =>
    withLogs(async () => {
      const fromC = carrier.events.length;
      const { from } = await aliceCalls(CARRIER_NATIONAL);
      await carrier.waitForEvent('CALL_ESTABLISHED', { from: fromC });
      await alice.waitForFunction(async () => (await window.vw.inboundAudioBytes()) > 0, { timeout: 8000, polling: 50 });
      const before = { local: await iceUfrag(alice, 'localDescription'), remote: await iceUfrag(alice, 'remoteDescription') };
      // Offline drops the WebSocket; online reconnects and restarts ICE (a network change).
      await alice.setOfflineMode(true);
      await waitFor(alice, 'call-reconnecting', { from, match: { reason: 'network-change' }, timeout: 5000 });
      await sleep(1000);
      await alice.setOfflineMode(false);
      const back = await vw(alice, () => window.vw.now());
      await waitFor(alice, 'call-reconnected', { from, timeout: 20_000 });
      const at = await vw(alice, (f) => window.vw.log.slice(f).find((e) => e.type === 'call-reconnected').at, from);
      const after = { local: await iceUfrag(alice, 'localDescription'), remote: await iceUfrag(alice, 'remoteDescription') };
      assert.notEqual(after.local, before.local, 'the widget restarted ICE');
      assert.notEqual(after.remote, before.remote, 'rtpengine answered the restart with new ICE credentials');
      await assertTwoWayAudio(t, { widgetCodec: 'audio/PCMU' });
      assert.ok(!carrier.events.slice(fromC).some((e) => e.type === 'CALL_CLOSED'), 'the carrier kept the call');
      t.diagnostic(`network back → call-reconnected ${Math.round(at - back)} ms`);
      // The carrier's BYE finds the widget's new connection.
      await carrier.command('hangup');
      const ended = await waitFor(alice, 'call-ended', { from });
      assert.equal(ended.cause, 'remote-hangup');
    }),
);

test('the carrier calls a DID in national format: the mapped widget user answers, audio both ways', { timeout: 60_000 }, (t) =>
  withLogs(async () => {
    const filesBefore = await carrier.receivedAudioFiles();
    const from = await logLength(alice);
    const fromC = carrier.events.length;
    await carrier.command('dial', `sip:${DID_NATIONAL}@${kam.udp.host}:${kam.udp.port}`);
    const received = await waitFor(alice, 'call-received', { from, timeout: 15_000 });
    assert.equal(received.from.address, `sip:${CARRIER_NUMBER}@${address}`);
    assert.equal(await vw(alice, () => window.vw.el().answer()), true);
    await carrier.waitForEvent('CALL_ESTABLISHED', { from: fromC });
    await waitFor(alice, 'state-change', { from, match: { state: 'in-progress' } });
    await assertTwoWayAudio(t, { widgetCodec: 'audio/PCMU' });
    await carrier.command('hangup');
    const ended = await waitFor(alice, 'call-ended', { from });
    assert.equal(ended.cause, 'remote-hangup');
    await assertCarrierHeardTheWidget(t, filesBefore);
  }),
);

/** A bodiless INVITE to `number` as sent from host:port. */
function rawInvite(number, host, port) {
  const callId = `raw-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return [
    `INVITE sip:${number}@${kam.udp.host}:${kam.udp.port} SIP/2.0`,
    `Via: SIP/2.0/UDP ${host}:${port};branch=z9hG4bK-${callId};rport`,
    'Max-Forwards: 70',
    `From: <sip:+15550100@${host}>;tag=${callId}`,
    `To: <sip:${number}@${kam.udp.host}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:caller@${host}:${port}>`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

test('a call to a DID from an address that is not the trunk is refused (403)', { timeout: 20_000 }, async () => {
  const sock = dgram.createSocket('udp4');
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  const fromA = await logLength(alice);
  const reply = new Promise((resolve) => sock.on('message', (m) => resolve(m.toString())));
  sock.send(rawInvite(DID, '127.0.0.1', sock.address().port), kam.udp.port, kam.udp.host);
  const first = await Promise.race([reply, sleep(5000, 'timeout')]);
  sock.close();
  assert.match(first, /^SIP\/2\.0 403 /, first);
  await sleep(300);
  assert.equal(await vw(alice, (f) => window.vw.log.slice(f).filter((e) => e.type === 'call-received').length, fromA), 0, 'the widget never rang');
});

test('the trunk may only call DIDs: an INVITE from a gateway to another number gets 404', { timeout: 20_000 }, async () => {
  const before = flaky.replies.length;
  flaky.send(rawInvite('+442079460000', address, flaky.port), kam.udp.port, kam.udp.host);
  for (const deadline = Date.now() + 5000; flaky.replies.length === before && Date.now() < deadline;) await sleep(20);
  assert.match(flaky.replies[before] ?? 'no reply', /^SIP\/2\.0 404 /);
});

test('Opus-only offer from the browser with transcoding on: the trunk gets G.711, audio both ways (Opus ↔ G.711 through rtpengine)', { timeout: 60_000 }, (t) =>
  withLogs(async () => {
    // Strip every codec but Opus from this page's offers.
    await vw(alice, () => {
      const orig = RTCPeerConnection.prototype.setLocalDescription;
      RTCPeerConnection.prototype.setLocalDescription = function (desc) {
        if (desc?.type === 'offer') {
          const lines = desc.sdp.split('\r\n');
          const opus = lines.map((l) => l.match(/^a=rtpmap:(\d+) opus\//)?.[1]).find(Boolean);
          const out = lines
            .filter((l) => !(/^a=(rtpmap|fmtp|rtcp-fb):(\d+)/.test(l) && l.match(/^a=\w[\w-]*:(\d+)/)[1] !== opus))
            .map((l) => (l.startsWith('m=audio ') ? l.split(' ').slice(0, 3).concat(opus).join(' ') : l));
          desc = { type: 'offer', sdp: out.join('\r\n') };
          window.vw.opusOnlyOffer = desc.sdp;
        }
        return orig.call(this, desc);
      };
    });
    const filesBefore = await carrier.receivedAudioFiles();
    const { from, setupMs } = await aliceCalls(CARRIER_INTERNATIONAL);
    const offer = await vw(alice, () => window.vw.opusOnlyOffer);
    assert.match(offer, /^m=audio \d+ UDP\/TLS\/RTP\/SAVPF \d+\r?$/m, 'the browser offered one codec');
    assert.doesNotMatch(offer, /PCMU|PCMA/);
    t.diagnostic(`Opus-only call() → in-progress: ${setupMs.toFixed(0)} ms`);
    // The widget hears the carrier's tone re-encoded as Opus (its stream has
    // a new SSRC: phone-network.cfg drops the carrier's a=ssrc, route
    // PLAIN_SSRC); the carrier's recording has the widget's beeps as G.711.
    await assertTwoWayAudio(t, { widgetCodec: 'audio/opus' });
    await aliceHangsUp(from);
    await assertCarrierHeardTheWidget(t, filesBefore);
  }),
);

test('call setup time: through rtpengine to the trunk vs a direct browser-to-browser call (same run)', { timeout: 60_000 }, (t) =>
  withLogs(async () => {
    // A fresh page for alice (the previous test patched her offers).
    await alice.browserContext().close();
    alice = await widgetPage('alice');
    bob = await widgetPage('bob');
    // bob answers as soon as it rings.
    await vw(bob, () => window.vw.el().addEventListener('call-received', () => window.vw.el().answer()));
    const direct = [];
    const anchored = [];
    for (let i = 0; i < 2; i++) {
      const d = await aliceCalls('bob');
      direct.push(d.setupMs);
      // Direct by default: rtpengine relays nothing for a browser-to-browser call.
      assert.deepEqual(await ngListCalls(rtp.ngPort), [], 'no rtpengine session for a direct call');
      await vw(alice, () => window.vw.el().hangup());
      await waitFor(alice, 'call-ended', { from: d.from });
      const a = await aliceCalls(CARRIER_NUMBER);
      anchored.push(a.setupMs);
      await aliceHangsUp(a.from);
    }
    const fmt = (xs) => xs.map((x) => x.toFixed(0)).join(', ');
    t.diagnostic(`call() → in-progress: direct browser-to-browser ${fmt(direct)} ms; through rtpengine to the trunk ${fmt(anchored)} ms`);
  }),
);

test(
  'the trunk: every gateway is probed with OPTIONS, a 407 is answered with TRUNK_CREDENTIAL, a 503 fails over to the next, one whose probes fail is marked down',
  { timeout: 30_000 },
  async (t) => {
    // Round-robin over two gateways: the calls above went to the flaky one too.
    assert.ok(flaky.challenged >= 1, `the flaky gateway challenged INVITEs (and every call still reached the carrier): ${flaky.challenged}`);
    assert.equal(flaky.authorized.length, flaky.challenged, 'each challenge was answered once');
    for (const a of flaky.authorized) assert.deepEqual(a, { username: TRUNK_AUTH.user, realm: TRUNK_AUTH.realm, valid: true });
    assert.ok(flaky.options >= 2, `OPTIONS probes: ${flaky.options}`);
    flaky.failing = true;
    const since = kam.log().length;
    const down = new RegExp(`trunk gateway ${flaky.uri.replace(/[.]/g, '[.]')} is down`);
    const startedAt = Date.now();
    while (!down.test(kam.log().slice(since)) && Date.now() - startedAt < 15_000) await sleep(100);
    assert.match(kam.log().slice(since), down);
    t.diagnostic(
      `${flaky.challenged} INVITEs challenged and answered with a valid digest, then failed over; ${flaky.options} probes answered; failing gateway marked down after ${Date.now() - startedAt} ms`,
    );
  },
);
