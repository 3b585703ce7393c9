// Randomized sequences against two real phones and the embedded SIP server:
// dial, answer, hang up (either side), hold, server drop (stop and start on
// the same port) and token refresh, at random moments. After every sequence
// the event contract is checked: exactly one call-ended per call on each
// side, call-started before call-ended for the caller, every reconnecting
// followed by recovery, no unhandled rejection or page error. The seed is
// printed; VOICE_WIDGET_SEED=<n> replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { SipServer } from '../../dist/node/index.js';
import { DOMAIN, e2eSuite, openPage, token as signed, vw, waitFor } from './support.js';

const SECRET = 'randomized-e2e-secret-0123456789';
const SEQUENCES = Number(process.env.VOICE_WIDGET_SEQUENCES ?? 200);
const SEED = Number(process.env.VOICE_WIDGET_SEED ?? Date.now() % 2 ** 31);

e2eSuite({
  secret: SECRET,
  name: (user) => user,
  setup: async () => {
    sip = await SipServer.start({ secret: SECRET, domain: DOMAIN });
    port = Number(new URL(sip.url).port);
  },
  teardown: async () => {
    await sip?.stop().catch(() => {});
  },
});

let sip;
let port;

/** mulberry32: small, seedable, good enough to pick actions. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const token = (user) => signed(user, { ttl: 3600 });

async function openPhone(user) {
  const page = await openPage();
  await vw(page, () => {
    window.rejections = [];
    window.addEventListener('unhandledrejection', (e) => window.rejections.push(String(e.reason?.stack ?? e.reason)));
    window.addEventListener('error', (e) => window.rejections.push(String(e.error?.stack ?? e.message)));
  });
  await vw(page, (o) => window.vw.configure(o), { token: token(user), server: sip.url });
  await waitFor(page, 'ready');
  return page;
}

const CALL_STATES = ['dialing', 'ringing', 'incoming', 'in-progress'];

/** Waits until the phone has no call and is registered again (after a drop). */
async function settle(page, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const { state, registration, calls } = await vw(page, () => ({
      state: window.vw.el().getState(),
      registration: window.vw.el().registrationState,
      calls: window.vw.el().calls.length,
    }));
    if (!CALL_STATES.includes(state) && calls === 0 && registration === 'registered') return;
    if (Date.now() > deadline) throw new Error(`did not settle: ${state}, ${registration}, ${calls} calls`);
    await sleep(50);
  }
}

/** The event contract over a slice of a phone's log; returns the problems found. */
function contract(log, side) {
  const problems = [];
  const ended = new Map();
  const started = new Map();
  const seen = new Set();
  for (const [i, e] of log.entries()) {
    const id = e.detail?.id;
    if (e.type === 'call-ended') ended.set(id, (ended.get(id) ?? 0) + 1);
    if (e.type === 'call-started') started.set(id, i);
    if (e.type === 'call-received' || (e.type === 'state-change' && id)) seen.add(id);
    if (e.type === 'call-ended' && side === 'caller' && e.detail.direction === 'outbound' && !started.has(id)) {
      problems.push(`${side}: call-ended before call-started for ${id}`);
    }
  }
  for (const id of seen) if ((ended.get(id) ?? 0) !== 1) problems.push(`${side}: ${ended.get(id) ?? 0} call-ended for ${id}`);
  for (const [id, n] of ended) if (n !== 1) problems.push(`${side}: ${n} call-ended for ${id}`);
  // Every reconnecting is followed, later in the slice, by registered (or the slice ends settled, checked apart).
  const reg = log.filter((e) => e.type === 'registration-change').map((e) => e.detail.state);
  const lastReconnect = reg.lastIndexOf('reconnecting');
  if (lastReconnect !== -1 && !reg.slice(lastReconnect).includes('registered')) problems.push(`${side}: reconnecting without recovery`);
  return problems;
}

test(`${SEQUENCES} random sequences keep the event contract`, async (t) => {
  t.diagnostic(`seed ${SEED} (VOICE_WIDGET_SEED=${SEED} replays it)`);
  const rand = random(SEED);
  const pick = (items) => items[Math.floor(rand() * items.length)];
  const a = await openPhone('amy');
  const b = await openPhone('ben');
  const counts = { calls: 0, drops: 0, refreshes: 0, holds: 0, answers: 0 };
  const started = Date.now();

  for (let n = 0; n < SEQUENCES; n++) {
    const from = { a: await vw(a, () => window.vw.log.length), b: await vw(b, () => window.vw.log.length) };
    const steps = [];
    if (await vw(a, () => window.vw.el().call('ben'))) counts.calls++;
    const actions = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < actions; i++) {
      await sleep(Math.floor(rand() * 250));
      const action = pick(['answer', 'answer', 'hangup-a', 'hangup-b', 'hold', 'refresh', rand() < 0.5 ? 'drop' : 'answer']);
      steps.push(action);
      if (action === 'answer') {
        if (await vw(b, () => window.vw.el().getState() === 'incoming' && window.vw.el().answer())) counts.answers++;
      } else if (action === 'hangup-a') {
        await vw(a, () => window.vw.el().calls.length > 0 && window.vw.el().hangup());
      } else if (action === 'hangup-b') {
        await vw(b, () => window.vw.el().calls.length > 0 && window.vw.el().hangup());
      } else if (action === 'hold') {
        if (await vw(a, () => window.vw.el().getState() === 'in-progress' && window.vw.el().hold())) counts.holds++;
      } else if (action === 'refresh') {
        await vw(a, (tk) => (window.vw.el().token = tk), token('amy'));
        counts.refreshes++;
      } else if (action === 'drop') {
        await sip.stop();
        await sleep(Math.floor(rand() * 300));
        sip = await SipServer.start({ secret: SECRET, domain: DOMAIN, port });
        counts.drops++;
      }
    }
    // End the sequence: hang up whatever is left, on both sides, then let things settle.
    await vw(a, () => window.vw.el().calls.length > 0 && window.vw.el().hangup());
    await vw(b, () => window.vw.el().calls.length > 0 && window.vw.el().hangup());
    try {
      await Promise.all([settle(a), settle(b)]);
    } catch (e) {
      assert.fail(`sequence ${n} (${steps.join(', ')}): ${e.message}`);
    }
    await sleep(100); // a late call-ended would land here
    const logs = {
      a: await vw(a, (f) => window.vw.log.slice(f), from.a),
      b: await vw(b, (f) => window.vw.log.slice(f), from.b),
    };
    const problems = [...contract(logs.a, 'caller'), ...contract(logs.b, 'callee')];
    assert.deepEqual(problems, [], `sequence ${n} (${steps.join(', ')})`);
  }
  for (const page of [a, b]) {
    assert.deepEqual(await vw(page, () => window.rejections), [], 'no unhandled rejection or page error');
    assert.equal(await vw(page, () => window.vw.liveMicTracks()), 0, 'every microphone released');
  }
  t.diagnostic(`${JSON.stringify(counts)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
