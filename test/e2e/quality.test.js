// Live call quality on a real call: two widgets talk through a real TURN
// server (coturn, relay-only ICE) with the user-space impairment proxy
// (test/harness/udp-impair.js) in front of it. 5 % loss at the proxy raises
// `high-packet-loss`, which clears once the loss stops; `call-ended` carries
// the call's quality; a held call raises no `low-bytes-*`. The measured
// time-to-warning and time-to-clear are printed as diagnostics; bounds are
// generous (the machine is shared), the figures are 5 s and 10 s.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { startTurn } from '../harness/coturn.js';
import { startSipServer } from '../harness/sip-servers.js';
import { startUdpImpair } from '../harness/udp-impair.js';
import { DOMAIN, connectCall, detailsSince, e2eSuite, logLength, openPhone, vw, waitFor } from './support.js';

const SECRET = 'quality-e2e-secret-0123456789';
let sip, turn, proxy;

e2eSuite({
  secret: SECRET,
  setup: async () => {
    sip = await startSipServer('embedded', { secret: SECRET, domain: DOMAIN });
    turn = await startTurn({ secret: SECRET });
    proxy = await startUdpImpair({ target: { port: turn.port } });
  },
  teardown: async () => {
    await proxy?.close().catch(() => {});
    await turn?.stop().catch(() => {});
    await sip?.stop().catch(() => {});
  },
});

test('through coturn behind the impairment proxy: 5 % loss raises high-packet-loss and it clears; a held call raises no low-bytes-*; call-ended carries the quality', async (t) => {
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
  assert.ok(ended.quality.warnings.includes('high-packet-loss'), JSON.stringify(ended.quality));
  assert.equal(typeof ended.quality.mosAverage, 'number');
  assert.ok(ended.quality.mosMin <= ended.quality.mosAverage);
  assert.equal(await vw(alice, (callId) => window.vw.el().getCallStats(callId), id), null);
  // The far end ends when the BYE arrives, a moment after alice.
  const bobEnded = await waitFor(bob, 'call-ended', { from: from.b });
  assert.ok(bobEnded?.quality, 'the far end logs its quality too');
});
