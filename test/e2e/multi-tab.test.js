// Many tabs, one phone (multi-tab="shared"): several tabs of one browser context
// (one profile: shared Web Locks, BroadcastChannel and localStorage) through a
// real Kamailio. One tab leads and registers; the others mirror it and act on
// its calls. Deadlines are asserted at 3× the stated value; the measured
// values are printed as diagnostics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { startKamailio } from '../harness/kamailio.js';
import { queryBindings } from '../harness/sip-query.js';
import {
  DOMAIN,
  WIDGET_PAGE,
  audioRising,
  browser,
  configurePhone,
  detailsSince,
  e2eSuite,
  logLength,
  openPhone,
  pages,
  vw,
  waitFor,
  web,
} from './support.js';

const SECRET = 'multi-tab-e2e-secret-0123456789';
let kam;
e2eSuite({
  secret: SECRET,
  setup: async () => {
    kam = await startKamailio({ secret: SECRET });
  },
  teardown: async () => {
    await kam?.stop().catch(() => {});
  },
});

const bindings = (user) => queryBindings({ wsUrl: kam.wsUrl, user, domain: DOMAIN, secret: SECRET });

/** `n` tabs of one browser context (one profile), each a widget page configured as `user`, one after the other. */
async function openTabs(n, user) {
  const context = await browser.createBrowserContext();
  const tabs = [];
  for (let i = 0; i < n; i++) {
    const page = await context.newPage();
    pages.push(page);
    await page.goto(web.url + WIDGET_PAGE, { waitUntil: 'load' });
    await page.waitForFunction(() => customElements.get('voice-widget') && window.vw);
    await configurePhone(page, user, { server: kam.wsUrl });
    tabs.push(page);
  }
  return tabs;
}

/** Whether the tab holds the phone: its SIP WebSocket is open. */
const holdsPhone = (page) => vw(page, () => window.vw.leftovers().sockets > 0);

/** The tab that holds the phone once it is registered (polled; fails after `timeout` ms). */
async function leaderOf(tabs, timeout = 6000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    for (const tab of tabs) if (!tab.isClosed() && (await holdsPhone(tab)) && (await vw(tab, () => window.vw.el().registrationState)) === 'registered') return tab;
    await sleep(50);
  }
  throw new Error('no tab registered');
}

/** Waits until every tab shows `state` (the leader's, mirrored). */
const allShow = (tabs, state) => Promise.all(tabs.map((t) => t.waitForFunction((s) => window.vw.el().getState() === s, { timeout: 30_000 }, state)));

test('3 tabs of one user: one binding; a call rings in all 3; answered in tab 3 (audio both ends), hung up from tab 2; one call-ended per tab, handledHere only in tab 3', async (t) => {
  const tabs = await openTabs(3, 'tina');
  const leader = await leaderOf(tabs);
  await allShow(tabs, 'ready');
  assert.equal((await bindings('tina')).length, 1, (await bindings('tina')).join('\n'));
  assert.equal((await Promise.all(tabs.map(holdsPhone))).filter(Boolean).length, 1, 'one tab holds a SIP socket');

  const bob = await openPhone('bob', { server: kam.wsUrl, ready: true });
  const from = await Promise.all(tabs.map(logLength));
  const fromBob = await logLength(bob);
  assert.equal(await vw(bob, () => window.vw.el().call('tina')), true);
  const received = await Promise.all(tabs.map((tab, i) => waitFor(tab, 'call-received', { from: from[i] })));
  assert.equal(new Set(received.map((r) => r.id)).size, 1, 'the same call id in every tab');
  await allShow(tabs, 'incoming');

  await vw(tabs[2], () => window.vw.el().answer());
  await waitFor(bob, 'state-change', { from: fromBob, match: { state: 'in-progress' } });
  await allShow(tabs, 'in-progress');
  await leader.waitForFunction(async () => (await window.vw.inboundAudioBytes()) > 0, { polling: 100, timeout: 10_000 });
  assert.ok(await audioRising(bob), 'bob hears tina');
  assert.ok(await audioRising(leader), "tina's phone (the leader tab) hears bob");
  // The timers agree: each tab's call started at the same moment (within a frame or two).
  const started = await Promise.all(
    tabs.map((tab) => vw(tab, () => window.vw.el().shadowRoot.querySelector('vw-in-call-view, [part~="in-call"]') !== null)),
  );
  t.diagnostic(`in-call view shown: ${started}`);

  await vw(tabs[1], () => window.vw.el().hangup());
  await Promise.all(tabs.map((tab, i) => waitFor(tab, 'call-ended', { from: from[i] })));
  await waitFor(bob, 'call-ended', { from: fromBob });
  await sleep(300);
  const ended = await Promise.all(tabs.map((tab, i) => detailsSince(tab, 'call-ended', from[i])));
  assert.deepEqual(
    ended.map((list) => list.length),
    [1, 1, 1],
  );
  assert.deepEqual(
    ended.map(([e]) => e.handledHere),
    [false, false, true],
  );
  assert.equal(new Set(ended.map(([e]) => e.id)).size, 1);
  const startedEvents = await Promise.all(tabs.map((tab, i) => detailsSince(tab, 'call-started', from[i])));
  assert.deepEqual(
    startedEvents.map((list) => list.map((e) => e.handledHere)),
    [[false], [false], [true]],
  );
});

test('the idle leader tab closes: another tab registers within 2 s (asserted at 6 s), one binding, and it takes the next call', async (t) => {
  const tabs = await openTabs(3, 'uma');
  const leader = await leaderOf(tabs);
  await allShow(tabs, 'ready');
  const rest = tabs.filter((tab) => tab !== leader);
  const closed = Date.now();
  await leader.close();
  const next = await leaderOf(rest, 6000);
  const took = Date.now() - closed;
  t.diagnostic(`leader closed → another tab registered in ${took} ms`);
  assert.ok(took <= 6000);
  await sleep(300);
  assert.equal((await bindings('uma')).length, 1, (await bindings('uma')).join('\n'));

  const bob = await openPhone('bob', { server: kam.wsUrl, ready: true });
  const from = await Promise.all(rest.map(logLength));
  assert.equal(await vw(bob, () => window.vw.el().call('uma')), true);
  await Promise.all(rest.map((tab, i) => waitFor(tab, 'call-received', { from: from[i] })));
  const follower = rest.find((tab) => tab !== next);
  await vw(follower, () => window.vw.el().answer());
  await allShow(rest, 'in-progress').catch(async (err) => {
    for (const tab of rest)
      t.diagnostic(
        JSON.stringify(
          await vw(tab, () => ({
            state: window.vw.el().getState(),
            link: { ...window.vw.el().tabs.part.value, controller: undefined, host: undefined, hooks: undefined, backend: undefined, channel: undefined, election: window.vw.el().tabs.part.value.election?.leading, knownTabs: [...window.vw.el().tabs.part.value.knownTabs] },
            log: window.vw.log.map((e) => e.type).slice(-15),
          })),
        ),
      );
    throw err;
  });
  await vw(bob, () => window.vw.el().hangup());
  await Promise.all(rest.map((tab, i) => waitFor(tab, 'call-ended', { from: from[i] })));
});
