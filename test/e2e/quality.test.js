// Live call quality on a real call: two widgets talk through a real TURN
// server (coturn, relay-only ICE) with the user-space impairment proxy
// (test/harness/udp-impair.js) in front of it. 5 % loss at the proxy raises
// `high-packet-loss`, which clears once the loss stops; `call-ended` carries
// the call's quality; a held call raises no `low-bytes-*`. The measured
// time-to-warning and time-to-clear are printed as diagnostics; bounds are
// generous (the machine is shared), the figures are 5 s and 10 s.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { startTurn } from '../harness/coturn.js';
import { startSipServer } from '../harness/sip-servers.js';
import { startUdpImpair } from '../harness/udp-impair.js';
import { fileURLToPath } from 'node:url';
import { DOMAIN, audit, connectCall, count, detailsSince, e2eSuite, logLength, openPhone, vw, waitFor } from './support.js';

/** QUALITY_SCREENSHOTS=1: the warning state, light and dark, into docs/screenshots/. */
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
    await panel.screenshot({ path: fileURLToPath(new URL(`../../docs/screenshots/${theme}-quality-warning.png`, import.meta.url)) });
  }
  await vw(page, () => window.vw.el().setAttribute('theme', 'light'));
}

const SECRET = 'quality-e2e-secret-0123456789';

/**
 * The microphone: Chromium's fake device plays this file, a tone whose loudness changes at random every
 * 50–400 ms, like speech. Its own beep repeats each second, and a sample each second then reads the same
 * level every time: a flat microphone (`constant-audio-input-level`) where there is none.
 */
const VOICE = path.join(os.tmpdir(), `voice-widget-quality-${process.pid}.wav`);
writeFileSync(VOICE, voiceWav(7));

function voiceWav(seconds, rate = 48_000) {
  let seed = 20;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const samples = new Int16Array(seconds * rate);
  for (let i = 0, until = 0, gain = 0; i < samples.length; i++) {
    if (i >= until) [until, gain] = [i + Math.floor(rate * (0.05 + 0.35 * random())), 0.05 + 0.75 * random()];
    samples[i] = Math.round(32767 * gain * Math.sin((2 * Math.PI * 300 * i) / rate));
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples.byteLength, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer)]);
}
let sip, turn, proxy;

e2eSuite({
  secret: SECRET,
  launch: { args: [`--use-file-for-fake-audio-capture=${VOICE}`] },
  setup: async () => {
    sip = await startSipServer('embedded', { secret: SECRET, domain: DOMAIN });
    turn = await startTurn({ secret: SECRET });
    proxy = await startUdpImpair({ target: { port: turn.port } });
  },
  teardown: async () => {
    await proxy?.close().catch(() => {});
    await turn?.stop().catch(() => {});
    await sip?.stop().catch(() => {});
    rmSync(VOICE, { force: true });
  },
});

test('through coturn behind the impairment proxy: 5 % loss raises high-packet-loss, 500 ms delay high-rtt (the indicator and the live region say so), 100 % loss ice-connectivity-lost, each clears; voice processing switches mid-call; a flat microphone raises constant-audio-input-level; a held call raises no low-bytes-*; call-ended carries the quality', async (t) => {
  // The token's TURN server is the proxy: every relayed packet crosses it.
  const tokenOptions = { iceServers: [`turn:127.0.0.1:${proxy.port}?transport=udp`] };
  const [alice, bob] = await Promise.all(['alice', 'bob'].map((user) => openPhone(user, { server: sip.wsUrl, tokenOptions })));
  for (const page of [alice, bob]) await vw(page, () => window.vw.el().setAttribute('ice-transport-policy', 'relay'));
  await Promise.all([waitFor(alice, 'ready'), waitFor(bob, 'ready')]);
  const from = { a: await logLength(alice), b: await logLength(bob) };
  const id = await connectCall(alice, bob, 'bob');

  // Clean: samples arrive, through the relay, with a good score.
  await alice.waitForFunction((callId) => window.vw.el().getCallStats(callId)?.bitrate, { polling: 200, timeout: 10_000 }, id);
  await sleep(1500);
  const clean = await vw(alice, (callId) => window.vw.el().getCallStats(callId), id);
  t.diagnostic(`clean sample: ${JSON.stringify({ ...clean, totals: undefined })}`);
  assert.equal(clean.localCandidateType, 'relay');
  assert.equal(clean.codec, 'audio/opus');
  assert.ok(clean.mos > 3.5, `clean MOS ${clean.mos}`);

  // 5 % each way at the proxy; media crosses it twice (into the relay and out), about 10 % in all.
  const lossFrom = await logLength(alice);
  proxy.set({ loss: 5 });
  const lossAt = performance.now();
  const warning = await waitFor(alice, 'quality-warning', { from: lossFrom, match: { name: 'high-packet-loss' }, timeout: 15_000 });
  const toWarning = performance.now() - lossAt;
  assert.equal(warning.id, id);
  assert.equal(warning.threshold, 1);
  assert.ok(warning.value > 1, `loss ${warning.value} %`);
  const impaired = await vw(alice, (callId) => window.vw.el().getCallStats(callId), id);
  t.diagnostic(`impaired sample: loss ${impaired.packetLoss} %, MOS ${impaired.mos}`);

  proxy.set({ loss: 0 });
  const cleanAt = performance.now();
  await waitFor(alice, 'quality-warning-cleared', { from: lossFrom, match: { name: 'high-packet-loss' }, timeout: 20_000 });
  const toClear = performance.now() - cleanAt;
  t.diagnostic(`time-to-warning ${Math.round(toWarning)} ms (5 % loss), time-to-clear ${Math.round(toClear)} ms`);

  // 125 ms at each crossing of the proxy (media crosses it twice each way): 500 ms more on the round trip. high-rtt; the indicator turns poor, its
  // tooltip names the problem and the live region says it; MOS falls, and recovers once the delay goes.
  const signal = () =>
    vw(alice, () => {
      const root = window.vw.el().shadowRoot;
      const el = root.querySelector('[part~="signal"]');
      return {
        quality: el?.dataset.quality,
        title: el?.title,
        text: el?.textContent.replace(/\s+/g, ' ').trim(),
        live: root.querySelector('[aria-live]').textContent,
      };
    });
  await vw(alice, () => window.vw.el().show());
  // Any warning the loss raised (low-mos with it) clears first.
  await alice
    .waitForFunction(() => window.vw.el().shadowRoot.querySelector('[part~="signal"]')?.dataset.quality === 'good', { polling: 200, timeout: 15_000 })
    .catch(async () => assert.fail(`still poor: ${JSON.stringify(await signal())}`));
  const mosBefore = (await vw(alice, (callId) => window.vw.el().getCallStats(callId), id)).mos;
  const delayFrom = await logLength(alice);
  proxy.set({ delay: 125 });
  const delayAt = performance.now();
  const rttWarning = await waitFor(alice, 'quality-warning', { from: delayFrom, match: { name: 'high-rtt' }, timeout: 20_000 });
  const toRttWarning = performance.now() - delayAt;
  assert.equal(rttWarning.threshold, 400);
  await alice.waitForFunction(() => window.vw.el().shadowRoot.querySelector('[part~="signal"]')?.dataset.quality === 'poor', { polling: 100, timeout: 5000 });
  const poor = await signal();
  t.diagnostic(`indicator while delayed: ${JSON.stringify(poor)}`);
  assert.equal(poor.title, 'Your network is slow: words arrive late');
  assert.match(poor.text, /Poor connection/);
  assert.match(poor.live, /Poor connection: Your network is slow/);
  const delayed = await vw(alice, (callId) => window.vw.el().getCallStats(callId), id);
  const mosDelayed = delayed.mos;
  assert.ok(mosDelayed < mosBefore, `MOS fell: ${mosBefore} → ${mosDelayed}`);
  if (process.env.QUALITY_SCREENSHOTS) await screenshots(alice);
  assert.deepEqual(await audit(alice), [], 'the warning state passes axe');
  proxy.set({ delay: 0 });
  const undelayedAt = performance.now();
  await waitFor(alice, 'quality-warning-cleared', { from: delayFrom, match: { name: 'high-rtt' }, timeout: 20_000 });
  const toRttClear = performance.now() - undelayedAt;
  await alice.waitForFunction(() => window.vw.el().shadowRoot.querySelector('[part~="signal"]')?.dataset.quality === 'good', { polling: 100, timeout: 10_000 });
  assert.doesNotMatch((await signal()).live, /Poor connection/);
  await alice.waitForFunction((callId) => window.vw.el().getCallStats(callId)?.mos > 4, { polling: 200, timeout: 10_000 }, id);
  t.diagnostic(
    `500 ms delay: RTT ${Math.round(delayed.rtt)} ms, MOS ${mosBefore} → ${mosDelayed}, then back over 4; time-to-warning ${Math.round(toRttWarning)} ms, time-to-clear ${Math.round(toRttClear)} ms`,
  );

  // Voice processing switched off mid-call: a new microphone track with the new settings, the same call, audio still flowing.
  const sending = () =>
    vw(alice, () => {
      const { echoCancellation, noiseSuppression, autoGainControl } = window.vw
        .el()
        .getPeerConnection()
        .getSenders()
        .find((s) => s.track?.kind === 'audio')
        .track.getSettings();
      return { echoCancellation, noiseSuppression, autoGainControl };
    });
  assert.deepEqual(await sending(), { echoCancellation: true, noiseSuppression: true, autoGainControl: true });
  const vpFrom = await logLength(alice);
  await vw(alice, () => {
    for (const name of ['noise-suppression', 'echo-cancellation', 'auto-gain-control']) window.vw.el().setAttribute(name, 'off');
  });
  await alice.waitForFunction(
    () =>
      window.vw
        .el()
        .getPeerConnection()
        .getSenders()
        .find((s) => s.track?.kind === 'audio')
        .track.getSettings().echoCancellation === false,
    { polling: 100, timeout: 10_000 },
  );
  assert.deepEqual(await sending(), { echoCancellation: false, noiseSuppression: false, autoGainControl: false });
  const bytesAt = await vw(bob, () => window.vw.inboundAudioBytes());
  await sleep(1500);
  assert.ok((await vw(bob, () => window.vw.inboundAudioBytes())) > bytesAt + 1000, 'bob still hears alice');
  assert.equal(await vw(alice, () => window.vw.el().getState()), 'in-progress');
  assert.equal(await count(alice, 'call-ended', vpFrom), 0);
  assert.equal(await vw(alice, () => window.vw.liveMicTracks()), 1, 'the old microphone track was stopped');

  // Everything dropped at the proxy: the ICE connection goes; back when the proxy passes packets again.
  const iceFrom = await logLength(alice);
  proxy.set({ loss: 100 });
  const dropAt = performance.now();
  await waitFor(alice, 'quality-warning', { from: iceFrom, match: { name: 'ice-connectivity-lost' }, timeout: 25_000 });
  const toIceWarning = performance.now() - dropAt;
  proxy.set({ loss: 0 });
  const passAt = performance.now();
  await waitFor(alice, 'quality-warning-cleared', { from: iceFrom, match: { name: 'ice-connectivity-lost' }, timeout: 25_000 });
  t.diagnostic(`100 % loss: ice-connectivity-lost after ${Math.round(toIceWarning)} ms, cleared ${Math.round(performance.now() - passAt)} ms after it stopped`);

  // The outage's other warnings (low-bytes-*: nothing went either way) clear too.
  await alice
    .waitForFunction(() => window.vw.el().shadowRoot.querySelector('[part~="signal"]')?.dataset.quality === 'good', { polling: 200, timeout: 15_000 })
    .catch(async () => assert.fail(`still poor: ${JSON.stringify(await signal())}`));

  // A dead headset: a flat track in place of the microphone, not muted, for 10 s.
  const flatFrom = await logLength(alice);
  await vw(alice, async () => {
    // A constant (DC) signal: packets still go out, at a level that never moves.
    const context = new AudioContext();
    const source = context.createConstantSource();
    source.offset.value = 0.3;
    const out = context.createMediaStreamDestination();
    source.connect(out);
    source.start();
    const sender = window.vw
      .el()
      .getPeerConnection()
      .getSenders()
      .find((s) => s.track?.kind === 'audio');
    await sender.replaceTrack(out.stream.getAudioTracks()[0]);
  });
  const flatAt = performance.now();
  const flat = await waitFor(alice, 'quality-warning', { from: flatFrom, match: { name: 'constant-audio-input-level' }, timeout: 30_000 });
  t.diagnostic(`flat microphone: constant-audio-input-level after ${Math.round(performance.now() - flatAt)} ms (value ${flat.value})`);
  assert.equal(await vw(alice, () => window.vw.el().shadowRoot.querySelector('[part~="signal"]').title), 'Your microphone hears nothing: check your headset');

  // Held: no audio flows either way, which is no reason for low-bytes-* (3 of 3 samples would raise it).
  const heldFrom = { a: await logLength(alice), b: await logLength(bob) };
  assert.equal(await vw(alice, () => window.vw.el().hold()), true);
  await waitFor(alice, 'hold-change', { from: heldFrom.a, match: { held: true } });
  await sleep(5000);
  for (const [page, start] of [
    [alice, heldFrom.a],
    [bob, heldFrom.b],
  ]) {
    const names = (await detailsSince(page, 'quality-warning', start)).map((d) => d.name);
    assert.deepEqual(
      names.filter((n) => n.startsWith('low-bytes')),
      [],
      `no low-bytes-* while held (${names})`,
    );
  }

  await vw(alice, () => window.vw.el().hangup());
  const ended = await waitFor(alice, 'call-ended', { from: from.a });
  t.diagnostic(`call-ended quality: ${JSON.stringify(ended.quality)}`);
  for (const name of ['high-packet-loss', 'high-rtt', 'ice-connectivity-lost', 'constant-audio-input-level'])
    assert.ok(ended.quality.warnings.includes(name), `${name} in ${JSON.stringify(ended.quality)}`);
  assert.equal(typeof ended.quality.mosAverage, 'number');
  assert.ok(ended.quality.mosMin <= ended.quality.mosAverage);
  assert.equal(await vw(alice, (callId) => window.vw.el().getCallStats(callId), id), null);
  // The history shows it: a call with warnings reads "Poor connection", its mean MOS as the tooltip.
  const listed = await vw(alice, async () => {
    const el = window.vw.el();
    await el.updateComplete;
    el.shadowRoot.querySelector('[part~="history-button"]').click();
    await el.updateComplete;
    await new Promise((r) => requestAnimationFrame(r));
    const q = el.shadowRoot.querySelector('[part~="history"] .quality');
    return { text: q?.textContent, title: q?.title };
  });
  assert.equal(listed.text, 'Poor connection');
  assert.match(listed.title, /^Quality \d\.\d of 5$/);
  // The far end ends when the BYE arrives, a moment after alice.
  const bobEnded = await waitFor(bob, 'call-ended', { from: from.b });
  assert.ok(bobEnded?.quality, 'the far end logs its quality too');
});
