// Three-way calls (issue 22: merge, split) and call recording (issue 23), end to
// end in real Chromium, through a real Kamailio and the embedded SIP server.
// Each page's microphone is its own pure tone (getUserMedia replaced before the
// bundle loads), so what a page hears tells who it hears: Alice (the agent)
// 500 Hz, Bob 700 Hz, Carol 1100 Hz; the recording announcement beeps at 1400 Hz.
// AUDIO_SCREENSHOTS=1 writes the merged and recording screens, light and dark,
// into docs/screenshots/.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import { startSipServer } from '../harness/sip-servers.js';
import {
  DOMAIN,
  WIDGET_PAGE,
  audioRising,
  audit,
  browser,
  configurePhone,
  connectCall,
  e2eSuite,
  logLength,
  openPage,
  token,
  vw,
  waitFor,
  web,
} from './support.js';

const SECRET = 'audio-e2e-secret-0123456789';
const TONE = { alice: 500, bob: 700, carol: 1100, beep: 1400 };

const servers = {};
e2eSuite({
  secret: SECRET,
  // Dialog mode: the popup page on localhost obeys the host page on 127.0.0.1. Bridge: the host on crm.app.localhost.
  serve: { popupHosts: (url) => url },
  launch: { args: ['--host-resolver-rules=MAP *.localhost 127.0.0.1'] },
  setup: async () => {
    servers.kamailio = await startSipServer('kamailio', { secret: SECRET, domain: DOMAIN });
    servers.embedded = await startSipServer('embedded', { secret: SECRET, domain: DOMAIN });
  },
  teardown: async () => {
    for (const s of Object.values(servers)) await s.stop().catch(() => {});
  },
});

/** Runs in the page before anything else: the microphone is a tone; `window.hear` reads the received audio's spectrum. */
function toneMicrophone(frequency) {
  // One audio context for the page's tone and its listening (a starved machine runs few better than many).
  let ctx = null;
  let tone = null;
  const context = () => {
    if (!ctx) {
      ctx = new AudioContext();
      const osc = ctx.createOscillator();
      osc.frequency.value = frequency;
      tone = ctx.createGain();
      tone.gain.value = 0.3;
      osc.connect(tone);
      osc.start();
    }
    void ctx.resume();
    return ctx;
  };
  navigator.mediaDevices.getUserMedia = async () => {
    const out = context().createMediaStreamDestination();
    tone.connect(out);
    return out.stream;
  };
  let analyser = null;
  let track = null;
  /** dB at each frequency (the loudest bin within ±20 Hz) in the current call's received audio. */
  window.hear = (freqs) => {
    const now =
      document
        .getElementById('phone')
        .getPeerConnection()
        ?.getReceivers()
        .find((r) => r.track.kind === 'audio')?.track ?? null;
    if (now !== track) {
      track = now;
      analyser = null;
      if (!now) return null;
      analyser = context().createAnalyser();
      analyser.fftSize = 8192;
      analyser.smoothingTimeConstant = 0.5;
      ctx.createMediaStreamSource(new MediaStream([now])).connect(analyser);
    }
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    const hz = analyser.context.sampleRate / analyser.fftSize;
    return freqs.map((f) => Math.round(Math.max(...bins.slice(Math.floor((f - 20) / hz), Math.ceil((f + 20) / hz) + 1))));
  };
  /** The loudest `frequency` heard since `watch` was called (sampled every 20 ms): a short beep is not missed. */
  window.watch = (frequency) => {
    window.loudest = -Infinity;
    clearInterval(window.watcher);
    window.watcher = setInterval(() => (window.loudest = Math.max(window.loudest, window.hear([frequency])?.[0] ?? -Infinity)), 20);
  };
}

/** A widget page whose microphone is `user`'s tone, configured on `server` and registered. */
async function tonePhone(user, server, attributes = {}) {
  const page = await openPage(WIDGET_PAGE, (p) => p.evaluateOnNewDocument(toneMicrophone, TONE[user]));
  await vw(page, (a) => Object.entries(a).forEach(([k, v]) => window.vw.el().setAttribute(k, v)), attributes);
  await configurePhone(page, user, { server });
  await waitFor(page, 'ready');
  return page;
}

/** Waits until `page` hears each of `present` (≥ -65 dB) and none of `absent` (< -75 dB); resolves with the levels. */
async function hears(page, present, absent = [], timeout = 15_000) {
  const freqs = [...present, ...absent];
  await page
    .waitForFunction(
      (f, p) => {
        const levels = window.hear(f);
        return levels && levels.every((db, i) => (i < p ? db >= -65 : db < -75));
      },
      { polling: 100, timeout },
      freqs,
      present.length,
    )
    .catch(async (err) => {
      err.message += `: ${JSON.stringify({ present, absent })} heard at ${JSON.stringify(await vw(page, (f) => window.hear(f), freqs))} dB`;
      throw err;
    });
  const levels = await vw(page, (f) => window.hear(f), freqs);
  return Object.fromEntries(freqs.map((f, i) => [f, levels[i]]));
}

/** AUDIO_SCREENSHOTS=1: the widget's panel as it is, light and dark, as docs/screenshots/<theme>-<name>.png. */
async function screenshots(page, name) {
  if (!process.env.AUDIO_SCREENSHOTS) return;
  for (const theme of ['light', 'dark']) {
    await vw(page, (th) => (window.vw.el().setAttribute('theme', th), window.vw.el().updateComplete), theme);
    const panel = await page.evaluateHandle(() => window.vw.el().shadowRoot.querySelector('[part~="panel"]'));
    await panel.screenshot({ path: fileURLToPath(new URL(`../../docs/screenshots/${theme}-${name}.png`, import.meta.url)) });
  }
  await vw(page, () => window.vw.el().setAttribute('theme', 'light'));
}

const el = (page, fn, ...args) => vw(page, fn, ...args);

for (const [name, ending] of [
  ['kamailio', 'far'],
  ['embedded', 'agent'],
]) {
  describe(`through ${name}`, () => {
    test(`merge: Bob and Carol hear each other and Alice, mute covers both, split holds Bob again; ${ending === 'far' ? 'Bob hangs up and Alice and Carol go on' : "Alice's hang-up ends both"}`, async (t) => {
      const server = servers[name].wsUrl;
      const [alice, bob, carol] = await Promise.all([tonePhone('alice', server), tonePhone('bob', server), tonePhone('carol', server)]);
      await connectCall(bob, alice, 'alice', { audio: true });
      // Alice's id of Bob's call (each phone names its calls itself).
      const bobCall = await vw(alice, () => window.vw.events('call-received').at(-1).id);
      await hears(bob, [TONE.alice]);
      // Carol's call waits; answering it holds Bob.
      const from = { alice: await logLength(alice), bob: await logLength(bob), carol: await logLength(carol) };
      assert.equal(await el(carol, () => window.vw.el().call('alice')), true);
      await waitFor(alice, 'call-received', { from: from.alice }).catch(async (err) => {
        err.message += ` carol: ${JSON.stringify(await vw(carol, () => window.vw.log.map((e) => [e.type, e.detail?.cause ?? e.detail?.code ?? e.detail?.state])))}`;
        throw err;
      });
      assert.equal(await el(alice, () => window.vw.el().answer()), true);
      await waitFor(bob, 'hold-change', { from: from.bob, match: { held: true, by: 'remote' } });
      await waitFor(carol, 'state-change', { from: from.carol, match: { state: 'in-progress' } });
      await hears(carol, [TONE.alice], [TONE.bob]);
      await alice.waitForFunction(() => window.vw.part('merge-button'));

      const chunks = (page) =>
        vw(page, () => Object.keys(globalThis[Symbol.for('voice-widget.chunks')] ?? {}).filter((c) => c === 'conference' || c === 'recording'));
      assert.deepEqual(await chunks(alice), [], 'no merge or recording chunk before a merge');
      // Merge (the button, as the agent would): each far end hears the other and Alice.
      const started = Date.now();
      await el(alice, () => window.vw.part('merge-button').click());
      const { ids } = await waitFor(alice, 'conference-change', { from: from.alice });
      const mixed = Date.now() - started;
      assert.equal(ids.length, 2);
      assert.ok(ids.includes(bobCall));
      const atBob = await hears(bob, [TONE.alice, TONE.carol]);
      const heard = Date.now() - started;
      const atCarol = await hears(carol, [TONE.alice, TONE.bob]);
      t.diagnostic(`merge → conference-change ${mixed} ms; → Bob hears Carol ${heard} ms`);
      t.diagnostic(`levels (dB) at Bob ${JSON.stringify(atBob)}, at Carol ${JSON.stringify(atCarol)}`);
      assert.match(await el(alice, () => window.vw.part('conference')?.textContent ?? ''), /Merged: .*(Bob|Carol).*&.*(Bob|Carol)/);
      assert.deepEqual(await chunks(alice), ['conference'], 'merging loads its chunk only');
      assert.deepEqual(await chunks(bob), [], 'a page that never merges or records downloads neither chunk');
      assert.deepEqual(await audit(alice), []);
      await screenshots(alice, 'merged');

      // Mute is Alice's microphone in both calls: Bob still hears Carol.
      assert.equal(await el(alice, () => window.vw.el().mute()), true);
      await hears(bob, [TONE.carol], [TONE.alice]);
      await hears(carol, [TONE.bob], [TONE.alice]);
      assert.equal(await el(alice, () => window.vw.el().isMuted()), true);
      assert.equal(await el(alice, () => window.vw.el().unmute()), true);
      await hears(bob, [TONE.alice, TONE.carol]);

      // Split: Bob is held again, Carol hears only Alice.
      let mark = { alice: await logLength(alice), bob: await logLength(bob) };
      assert.equal(await el(alice, () => window.vw.el().split()), true);
      assert.deepEqual(await waitFor(alice, 'conference-change', { from: mark.alice }), { ids: [] });
      await waitFor(bob, 'hold-change', { from: mark.bob, match: { held: true, by: 'remote' } });
      await hears(carol, [TONE.alice], [TONE.bob]);

      // Merged again, then the ending.
      mark = { alice: await logLength(alice), bob: await logLength(bob), carol: await logLength(carol) };
      assert.equal(await el(alice, () => window.vw.el().merge()), true);
      await waitFor(alice, 'conference-change', { from: mark.alice });
      await hears(carol, [TONE.alice, TONE.bob]);
      mark.alice = await logLength(alice);
      if (ending === 'far') {
        await el(bob, () => window.vw.el().hangup());
        assert.deepEqual(await waitFor(alice, 'conference-change', { from: mark.alice }), { ids: [] });
        await waitFor(alice, 'call-ended', { from: mark.alice, match: { id: bobCall } });
        assert.ok(await audioRising(carol), 'Carol still hears Alice');
        await hears(carol, [TONE.alice], [TONE.bob]);
        await hears(alice, [TONE.carol]);
        assert.equal(await el(alice, () => window.vw.el().getState()), 'in-progress');
        assert.equal(await el(alice, () => window.vw.el().hangup()), true);
        await waitFor(carol, 'call-ended', { from: mark.carol });
      } else {
        assert.equal(await el(alice, () => window.vw.el().hangup()), true);
        await waitFor(bob, 'call-ended', { from: mark.bob });
        await waitFor(carol, 'call-ended', { from: mark.carol });
        assert.deepEqual(await waitFor(alice, 'conference-change', { from: mark.alice }), { ids: [] });
      }
      await alice.waitForFunction(() => window.vw.el().calls.length === 0);
      await Promise.all([alice, bob, carol].map((p) => p.browserContext().close()));
    });
  });
}

/** Decodes a recording in the page: its duration and the level (dB) of each tone in it (Goertzel over the whole). */
function decodeInPage(freqs) {
  return (async () => {
    const blob = window.vw.events('recording-available').at(-1).blob;
    const audio = await new AudioContext().decodeAudioData(await blob.arrayBuffer());
    const data = audio.getChannelData(0);
    const level = (f, from = 0, to = data.length) => {
      const w = (2 * Math.PI * f) / audio.sampleRate;
      let s1 = 0;
      let s2 = 0;
      for (let i = from; i < to; i++) [s1, s2] = [data[i] + 2 * Math.cos(w) * s1 - s2, s1];
      const power = s1 * s1 + s2 * s2 - 2 * Math.cos(w) * s1 * s2;
      return Math.round(10 * Math.log10(power / ((to - from) * (to - from)) + 1e-12));
    };
    return {
      size: blob.size,
      type: blob.type,
      duration: Math.round(audio.duration * 100) / 100,
      levels: Object.fromEntries(freqs.map((f) => [f, level(f)])),
      firstSecond: level(freqs.at(-1), 0, audio.sampleRate),
    };
  })();
}

test('recording (announced): both directions in one Opus blob, paused by a hold, with the announcement; lazy; dialog-free page', async (t) => {
  const server = servers.embedded.wsUrl;
  const [alice, bob] = await Promise.all([tonePhone('alice', server, { recording: 'announced' }), tonePhone('bob', server)]);
  const id = await connectCall(alice, bob, 'bob', { audio: true });
  const chunk = () => vw(alice, () => !!globalThis[Symbol.for('voice-widget.chunks')]?.recording);
  assert.equal(await chunk(), false, 'no recording chunk before a recording');
  let mark = await logLength(alice);
  await vw(bob, (f) => window.watch(f), TONE.beep);
  await alice.waitForFunction(() => window.vw.part('record-button'));
  await el(alice, () => window.vw.part('record-button').click());
  assert.deepEqual(await waitFor(alice, 'recording-change', { from: mark }), { id, recording: true });
  const began = Date.now();
  assert.equal(await chunk(), true);
  await alice.waitForFunction(() => window.vw.part('recording-indicator'));

  // The announcement reaches Bob too.
  await bob.waitForFunction(() => window.loudest >= -60, { timeout: 5000 });
  await vw(bob, () => clearInterval(window.watcher));
  await sleep(2500);
  // A hold pauses the capture, not the call.
  mark = await logLength(alice);
  await el(alice, () => window.vw.el().hold());
  await waitFor(alice, 'hold-change', { from: mark, match: { held: true } });
  const heldAt = Date.now();
  await alice.waitForFunction(() => window.vw.part('recording-indicator')?.hasAttribute('data-paused'));
  await sleep(1500);
  await el(alice, () => window.vw.el().unhold());
  await waitFor(alice, 'hold-change', { from: mark, match: { held: false } });
  const paused = Date.now() - heldAt;
  await sleep(2500);
  mark = await logLength(alice);
  assert.equal(await el(alice, () => window.vw.el().stopRecording()), true);
  const detail = await waitFor(alice, 'recording-available', { from: mark });
  const wall = Date.now() - began;
  assert.equal(detail.id, id);
  assert.match(detail.mimeType, /^audio\/(webm|ogg)/);
  const decoded = await vw(alice, decodeInPage, [TONE.alice, TONE.bob, 3000, TONE.beep]);
  t.diagnostic(`recorded ${wall} ms wall clock, ${paused} ms of it held; detail.duration ${detail.duration} s; decoded ${JSON.stringify(decoded)}`);
  // About 5 s: the held stretch is left out (the hold's re-INVITEs are the slack).
  assert.ok(Math.abs(detail.duration - (wall - paused) / 1000) < 0.6, `duration ${detail.duration}`);
  // A starved machine drops some audio frames: a tenth of slack.
  assert.ok(Math.abs(decoded.duration - detail.duration) < 0.6 + detail.duration / 10, `decoded ${decoded.duration} vs ${detail.duration}`);
  assert.ok(decoded.duration > 4, `decoded ${decoded.duration} s`);
  // Both sides' tones, well above a frequency nobody sent; the beeps in the first second.
  assert.ok(decoded.levels[TONE.alice] > decoded.levels[3000] + 20, 'Alice in the recording');
  assert.ok(decoded.levels[TONE.bob] > decoded.levels[3000] + 20, 'Bob in the recording');
  assert.ok(decoded.firstSecond > decoded.levels[3000] + 20, 'the announcement in the recording');

  // Recording at the call's end: the blob comes with it; off → refused.
  mark = await logLength(alice);
  assert.equal(await el(alice, () => window.vw.el().startRecording()), true);
  await waitFor(alice, 'recording-change', { from: mark, match: { recording: true } });
  await alice.waitForFunction(() => window.vw.part('recording-indicator'));
  assert.deepEqual(await audit(alice), []);
  await screenshots(alice, 'recording');
  await sleep(1000);
  await el(bob, () => window.vw.el().hangup());
  const atEnd = await waitFor(alice, 'recording-available', { from: mark });
  assert.equal(atEnd.id, id);
  assert.ok(atEnd.duration > 0.5, `duration ${atEnd.duration}`);
  assert.ok(await vw(alice, () => window.vw.events('recording-available').at(-1).blob.size > 0));
  await el(alice, () => window.vw.el().setAttribute('recording', 'off'));
  await connectCall(alice, bob, 'bob');
  mark = await logLength(alice);
  assert.equal(await el(alice, () => window.vw.el().startRecording()), false);
  assert.equal((await waitFor(alice, 'error', { from: mark })).code, 'recording-failed');
  assert.equal(await el(alice, () => !!window.vw.part('record-button')), false);
  await el(alice, () => window.vw.el().hangup());
  await waitFor(bob, 'call-ended');
  await Promise.all([alice, bob].map((p) => p.browserContext().close()));
});

/** In the page: what a `recording-available` detail holds. */
const DESCRIBE = `(d) => ({ isBlob: d.blob instanceof Blob, keys: Object.keys(d).sort(), size: d.blob.size, type: d.mimeType })`;

test('dialog mode and the iframe bridge: merge, split and recording cross; the host receives the recording blob', async (t) => {
  const server = servers.embedded.wsUrl;
  const bob = await tonePhone('bob', server);
  bob.on('dialog', (d) => d.accept());
  await vw(bob, () => (window.vw.autoAnswer = true));

  // Dialog mode: the host page commands the popup's phone; the popup records; the blob comes to the host.
  const context = await browser.createBrowserContext();
  const host = await context.newPage();
  await host.goto(`${web.url}/test/e2e/pages/dialog-host.html`, { waitUntil: 'load' });
  await host.waitForFunction(() => customElements.get('voice-widget') && window.vw);
  const popupUrl = `${web.url.replace('127.0.0.1', 'localhost')}/dist/voice-widget-popup.html`;
  await vw(
    host,
    (o) => {
      window.vw.el().setAttribute('popup-url', o.popupUrl);
      window.vw.el().setAttribute('recording', 'on');
      window.vw.configure({ token: o.token, server: o.server });
    },
    { popupUrl, token: token('alice'), server },
  );
  assert.equal(await vw(host, () => window.vw.el().show()), true);
  await waitFor(host, 'ready', { timeout: 15_000 }).catch(async (err) => {
    err.message += ` ${JSON.stringify(await vw(host, () => window.vw.events('error')))}`;
    throw err;
  });
  assert.equal(await vw(host, () => window.vw.el().call('bob')), true);
  await waitFor(host, 'state-change', { match: { state: 'in-progress' }, timeout: 15_000 });
  let mark = await logLength(host);
  assert.equal(await vw(host, () => window.vw.el().merge()), true, 'sent to the popup');
  assert.equal((await waitFor(host, 'error', { from: mark })).code, 'no-call', "the popup's phone refused: one call only");
  assert.equal(await vw(host, () => window.vw.el().split()), true);
  assert.equal(await vw(host, () => window.vw.el().startRecording()), true);
  const started = await waitFor(host, 'recording-change', { from: mark, timeout: 15_000 });
  assert.equal(started.recording, true);
  await sleep(1500);
  mark = await logLength(host);
  assert.equal(await vw(host, () => window.vw.el().hangup()), true);
  await waitFor(host, 'recording-available', { from: mark, timeout: 15_000 });
  const viaPopup = await host.evaluate(`(${DESCRIBE})(window.vw.events('recording-available').at(-1))`);
  const decoded = await vw(host, decodeInPage, [TONE.bob, 3000]);
  t.diagnostic(`dialog mode: the host received ${JSON.stringify(viaPopup)}, decoded ${JSON.stringify(decoded)}`);
  assert.deepEqual(viaPopup.keys, ['blob', 'duration', 'id', 'mimeType']);
  assert.equal(viaPopup.isBlob, true);
  assert.ok(viaPopup.size > 0);
  assert.ok(decoded.duration > 0.3, `decoded ${decoded.duration} s`);
  assert.ok(decoded.levels[TONE.bob] > decoded.levels[3000] + 20, "Bob's side in the recording");
  await context.close();

  // The iframe bridge: the parent drives the frame with the helper; the blob crosses as a Blob.
  const hostOrigin = `http://crm.app.localhost:${web.port}`;
  const bridgeHost = await (await browser.createBrowserContext()).newPage();
  await bridgeHost.goto(`${hostOrigin}/test/e2e/pages/bridge-host.html`, { waitUntil: 'load' });
  await bridgeHost.waitForFunction(() => window.host);
  const frameUrl = `${web.url}/test/e2e/pages/bridge-frame.html#${new URLSearchParams({ token: token('carol'), server, origins: hostOrigin })}`;
  await bridgeHost.evaluate((src, origin) => window.host.connect(src, origin), frameUrl, web.url);
  await bridgeHost.evaluate(() => window.host.waitFor('ready'));
  const frame = bridgeHost.frames().find((f) => f.url().startsWith(`${web.url}/test/e2e/pages/bridge-frame.html`));
  await frame.evaluate(() => window.vw.el().setAttribute('recording', 'on'));
  const command = (name) => bridgeHost.evaluate((n) => window.host.command(n), name);
  assert.equal((await bridgeHost.evaluate(() => window.host.command('call', 'bob'))).result, true);
  await bridgeHost.evaluate(() => window.host.waitFor('state-change', { match: { state: 'in-progress' } }));
  assert.deepEqual(await command('merge'), { ok: true, result: false });
  assert.deepEqual(await command('split'), { ok: true, result: false });
  assert.deepEqual(await command('startRecording'), { ok: true, result: true });
  await bridgeHost.evaluate(() => window.host.waitFor('recording-change', { match: { recording: true } }));
  await sleep(1000);
  assert.deepEqual(await command('stopRecording'), { ok: true, result: true });
  await bridgeHost.evaluate(() => window.host.waitFor('recording-available'));
  const viaBridge = await bridgeHost.evaluate(`(${DESCRIBE})(window.host.log.filter((e) => e.name === 'recording-available').at(-1).detail)`);
  t.diagnostic(`bridge: the host received ${JSON.stringify(viaBridge)}`);
  assert.deepEqual(viaBridge.keys, ['blob', 'duration', 'id', 'mimeType']);
  assert.equal(viaBridge.isBlob, true);
  assert.ok(viaBridge.size > 0);
  assert.deepEqual(await command('hangup'), { ok: true, result: true });
  await bridgeHost.browserContext().close();
  await bob.browserContext().close();
});
