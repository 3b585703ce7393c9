// Many tabs, one phone (multi-tab="shared"): several tabs of one browser context
// (one profile: shared Web Locks, BroadcastChannel and localStorage) through a
// real Kamailio. One tab leads and registers; the others mirror it and act on
// its calls. Deadlines are asserted at 3× the stated value; the measured
// values are printed as diagnostics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

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
  token,
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

/** MULTITAB_SCREENSHOTS=1: the three tabs ringing, side by side, into docs/screenshots/multi-tab-ringing.png. */
async function screenshot(tabs, leader) {
  const shots = [];
  for (const tab of tabs) {
    await tab.bringToFront();
    const panel = await tab.evaluateHandle(() => window.vw.el().shadowRoot.querySelector('[part~="panel"]'));
    shots.push(await panel.screenshot({ encoding: 'base64' }));
  }
  const sheet = await browser.newPage();
  await sheet.setViewport({ width: 900, height: 560 });
  await sheet.setContent(
    `<body style="margin:0;padding:16px;display:flex;gap:16px;font:14px system-ui;background:#eef1f5">${shots
      .map(
        (png, i) =>
          `<figure style="margin:0"><figcaption style="margin-bottom:6px;color:#344054">Tab ${i + 1}${tabs[i] === leader ? ' (holds the phone)' : ''}</figcaption><img src="data:image/png;base64,${png}"></figure>`,
      )
      .join('')}</body>`,
  );
  await sheet.screenshot({ path: fileURLToPath(new URL('../../docs/screenshots/multi-tab-ringing.png', import.meta.url)), fullPage: true });
  await sheet.close();
}

const bindings = (user) => queryBindings({ wsUrl: kam.wsUrl, user, domain: DOMAIN, secret: SECRET });

/** `n` tabs of one browser context (one profile), each a widget page configured as `user`, one after the other. */
async function openTabs(n, user) {
  const context = await browser.createBrowserContext();
  const tabs = [];
  for (let i = 0; i < n; i++) {
    const page = await context.newPage();
    pages.push(page);
    await page.goto(web.url + WIDGET_PAGE, { waitUntil: 'load' });
    await page.waitForFunction(() => customElements.get('voice-widget') && window.vw, { polling: 100 });
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
    for (const tab of tabs)
      if (!tab.isClosed() && (await holdsPhone(tab)) && (await vw(tab, () => window.vw.el().registrationState)) === 'registered') return tab;
    await sleep(50);
  }
  throw new Error('no tab registered');
}

/** Waits until every tab shows `state` (the leader's, mirrored). */
const allShow = (tabs, state) =>
  // Polled on a timer: the default (animation frames) never polls a tab the browser does not paint.
  Promise.all(tabs.map((t) => t.waitForFunction((s) => window.vw.el().getState() === s, { polling: 200, timeout: 60_000 }, state))).catch(async (err) => {
    const link = () => {
      const l = window.vw.el().tabs.part.value;
      return {
        state: window.vw.el().getState(),
        id: l?.id,
        leading: l?.leading,
        leaderId: l?.leaderId,
        dropped: l?.stats.dropped,
        sockets: window.vw.leftovers().sockets,
      };
    };
    for (const tab of tabs) if (!tab.isClosed()) err.message += `\n${JSON.stringify(await vw(tab, link))}`;
    throw err;
  });

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
  if (process.env.MULTITAB_SCREENSHOTS) await screenshot(tabs, leader);

  await vw(tabs[2], () => window.vw.el().answer());
  await waitFor(bob, 'state-change', { from: fromBob, match: { state: 'in-progress' } });
  await allShow(tabs, 'in-progress');
  await leader.waitForFunction(async () => (await window.vw.inboundAudioBytes()) > 0, { polling: 100, timeout: 10_000 });
  assert.ok(await audioRising(bob), 'bob hears tina');
  assert.ok(await audioRising(leader), "tina's phone (the leader tab) hears bob");
  // The timers agree: each tab's call started at the same moment (within a frame or two).
  const started = await Promise.all(tabs.map((tab) => vw(tab, () => window.vw.el().shadowRoot.querySelector('vw-in-call-view, [part~="in-call"]') !== null)));
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
  const fromBob = await logLength(bob);
  await vw(follower, () => window.vw.el().answer());
  await allShow(rest, 'in-progress');

  // The leader closes mid-call: it asks first (beforeunload), then hangs up: the far end's call ends (no ghost),
  // the other tab sees call-ended, and becomes the leader.
  let asked = 0;
  next.on('dialog', (d) => {
    asked++;
    void d.accept();
  });
  await next.close({ runBeforeUnload: true });
  const ended = await waitFor(follower, 'call-ended', { from: from[rest.indexOf(follower)] });
  await waitFor(bob, 'call-ended', { from: fromBob, timeout: 10_000 });
  t.diagnostic(`leader closed mid-call: call-ended cause ${ended.cause} in the other tab; confirmations asked: ${asked}`);
  assert.equal(asked, 1, 'closing the leader with a live call asks first');
  await leaderOf([follower], 6000);
  assert.equal((await bindings('uma')).length, 1);
});

/** Sends a CDP lifecycle state to the page: `frozen` stops its tasks (timers, messages) as a background tab's freeze does. */
const setLifecycle = async (page, state) => {
  const cdp = await page.createCDPSession();
  await cdp.send('Page.setWebLifecycleState', { state });
  await cdp.detach();
};

test('a frozen leader: a follower takes the phone over and gets the next call; unfrozen, the old leader stands down; one binding', async (t) => {
  const tabs = await openTabs(2, 'vera');
  const leader = await leaderOf(tabs);
  const follower = tabs.find((tab) => tab !== leader);
  await allShow(tabs, 'ready');
  const frozen = Date.now();
  await setLifecycle(leader, 'frozen');
  const alive = await Promise.race([leader.evaluate(() => 'running'), sleep(1500).then(() => 'frozen')]);
  t.diagnostic(`leader after the freeze: ${alive}`);
  await leaderOf([follower], 15_000).catch(async (err) => {
    t.diagnostic(
      JSON.stringify(
        await vw(follower, () => {
          const l = window.vw.el().tabs.part.value;
          return {
            leading: l.election?.leading,
            leaderId: l.leaderId,
            heardAgo: performance.now() - l.heardAt,
            pingedAt: l.pingedAt,
            dropped: l.stats.dropped,
            state: window.vw.el().registrationState,
            log: window.vw.log.map((e) => e.type).slice(-10),
          };
        }),
      ),
    );
    throw err;
  });
  t.diagnostic(`leader frozen → the follower registered in ${Date.now() - frozen} ms`);
  assert.equal((await bindings('vera')).length, 1, (await bindings('vera')).join('\n'));

  const bob = await openPhone('bob', { server: kam.wsUrl, ready: true });
  const from = await logLength(follower);
  assert.equal(await vw(bob, () => window.vw.el().call('vera')), true);
  await waitFor(follower, 'call-received', { from });
  await vw(follower, () => window.vw.el().reject());
  await waitFor(follower, 'call-ended', { from });

  await setLifecycle(leader, 'active');
  // The old leader learns its lock was taken and stands down: its socket closes, without un-REGISTER.
  await leader.waitForFunction(() => window.vw.leftovers().sockets === 0, { polling: 200, timeout: 20_000 });
  await sleep(500);
  assert.equal(await holdsPhone(follower), true);
  assert.equal((await bindings('vera')).length, 1, (await bindings('vera')).join('\n'));
  // It mirrors the new leader again: the declined call's end, as the new leader shows it.
  await allShow([leader], await vw(follower, () => window.vw.el().getState()));
  assert.equal(await holdsPhone(leader), false);
});

test('2 users × 2 tabs: 2 bindings; a new token set in 3 tabs makes one REGISTER; forged channel messages from a same-origin page are dropped', async (t) => {
  const wes = await openTabs(3, 'wes');
  const xia = await openTabs(2, 'xia');
  const leader = await leaderOf(wes);
  await leaderOf(xia);
  await allShow([...wes, ...xia], 'ready');
  assert.equal((await bindings('wes')).length, 1);
  assert.equal((await bindings('xia')).length, 1);

  // A token refresh: the host sets the new token in every tab; the leader registers with it once.
  const fresh = token('wes', { ttl: 7200 });
  const mark = await vw(leader, () => window.vw.sip.received.length);
  await Promise.all(wes.map((tab) => vw(tab, (tk) => (window.vw.el().token = tk), fresh)));
  await leader.waitForFunction(
    (m) => window.vw.sip.received.slice(m).some((msg) => /^SIP\/2\.0 200/.test(msg) && /CSeq: \d+ REGISTER/.test(msg)),
    { polling: 200, timeout: 15_000 },
    mark,
  );
  await sleep(2000);
  const okRegisters = await vw(
    leader,
    (m) => window.vw.sip.received.slice(m).filter((msg) => /^SIP\/2\.0 200/.test(msg) && /CSeq: \d+ REGISTER/.test(msg)).length,
    mark,
  );
  t.diagnostic(`REGISTERs answered 200 after the new token: ${okRegisters}`);
  assert.equal(okRegisters, 1);
  assert.equal((await Promise.all(wes.map(holdsPhone))).filter(Boolean).length, 1);

  // A same-origin page that is not a widget posts on the channel: malformed messages, a forged leader, forged commands.
  const followers = wes.filter((tab) => tab !== leader);
  const dropped = (tab) => vw(tab, () => window.vw.el().tabs.part.value.stats.dropped);
  const before = await Promise.all(wes.map(dropped));
  const hostile = await wes[0].browserContext().newPage();
  await hostile.goto(`${web.url}/README.md`);
  const leaderId = await vw(leader, () => window.vw.el().tabs.part.value.id);
  await hostile.evaluate(
    async (name, leaderId) => {
      const channel = new BroadcastChannel(name);
      const forger = crypto.randomUUID();
      const env = (m) => ({ protocol: 'voice-widget-tabs', version: 1, from: forger, ...m });
      const forged = [
        'hello',
        { protocol: 'voice-widget-tabs', version: 1, type: 'beat' },
        env({ type: 'lead' }),
        env({ type: 'state', snapshot: { state: 'in-progress' } }),
        env({ type: 'command', to: leaderId, name: 'getPeerConnection', args: [] }),
        env({ type: 'token', token: '<img src=x onerror=alert(1)>' }),
        // Well-formed, but from no tab: a forged leader's state and event, and a forged command to the leader.
        env({ type: 'beat' }),
        env({ type: 'event', name: 'call-ended', detail: { id: 'forged', handledHere: true }, handler: forger }),
        env({ type: 'command', to: leaderId, name: 'setDnd', args: [true] }),
      ];
      for (const m of forged) channel.postMessage(m);
      await new Promise((r) => setTimeout(r, 500));
      channel.close();
    },
    `voice-widget:wes@${DOMAIN} ${kam.wsUrl}`,
    leaderId,
  );
  await sleep(500);
  const after = await Promise.all(wes.map(dropped));
  t.diagnostic(`dropped per tab: before ${before}, after ${after}`);
  for (let i = 0; i < wes.length; i++) assert.ok(after[i] - before[i] >= 5, `tab ${i + 1} dropped the malformed and forged messages`);
  for (const tab of wes) {
    assert.equal(await vw(tab, () => window.vw.el().getState()), 'ready');
    assert.equal(await vw(tab, () => window.vw.events('call-ended').length), 0, 'no forged call-ended');
    assert.equal(await vw(tab, () => window.vw.el().dnd), false, 'no forged command ran');
  }
  assert.equal(await holdsPhone(leader), true);
  assert.ok(followers.length === 2);
  await hostile.close();
});
