// Dialog mode end to end: the host page on http://127.0.0.1:<port>, the popup
// on http://localhost:<port> (another origin, whose page lists the host in its
// voice-widget-host-origins meta tag), a forger and a would-be host on a third
// origin, calls through a real Kamailio, and Chromium's pop-up blocker left on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocketServer } from 'ws';

import { withoutGesture } from '../harness/browser.js';
import { REPO_ROOT } from '../harness/bundle-jssip.js';
import { startSipServer } from '../harness/sip-servers.js';
import { startStaticServer } from '../harness/static-server.js';
import { DOMAIN, browser, count, e2eSuite, logLength, openPhone, token, vw, waitFor, web } from './support.js';

const SECRET = 'dialog-e2e-secret-0123456789';
// The popup page, served on localhost, obeys the host page on 127.0.0.1 (this server's url) and nothing else.
e2eSuite({
  secret: SECRET,
  serve: { popupHosts: (url) => url },
  launch: { popupBlocking: true },
  setup: async () => {
    third = await startStaticServer({ root: REPO_ROOT });
    sip = await startSipServer('kamailio', { secret: SECRET, domain: DOMAIN });
    hostOrigin = new URL(web.url).origin;
    popupUrl = `${web.url.replace('127.0.0.1', 'localhost')}/dist/voice-widget-popup.html`;
  },
  teardown: async () => {
    await sip?.stop().catch(() => {});
    await third?.stop().catch(() => {});
  },
});

let third;
let sip;
let popupUrl;
let hostOrigin;

/** The host page, in dialog mode, configured; window.open is watched to read the popup URL it used. */
async function openHost(context, user = 'alice') {
  const page = await context.newPage();
  await page.goto(`${web.url}/test/e2e/pages/dialog-host.html`, { waitUntil: 'load' });
  await configureHost(page, user);
  return page;
}

async function configureHost(page, user, opts) {
  // No puppeteer evaluate here: it would count as a user gesture and let pop-ups through.
  const quiet = await withoutGesture(page);
  await quiet(
    () =>
      new Promise((resolve) => {
        const ready = () => (customElements.get('voice-widget') && window.vw ? resolve() : setTimeout(ready, 20));
        ready();
      }),
  );
  await quiet(
    (o) => {
      window.openedUrls = [];
      const open = window.open;
      window.open = function (...args) {
        window.openedUrls.push(String(args[0]));
        return open.apply(this, args);
      };
      const el = window.vw.el();
      el.setAttribute('popup-url', o.popupUrl);
      window.vw.configure({ token: o.token, server: o.server });
    },
    { popupUrl, token: token(user, opts), server: sip.wsUrl },
  );
}

const phonePage = (user) => openPhone(user, { server: sip.wsUrl, ready: true });

/** A real click on the host's launcher (a user gesture); resolves with the popup page. */
async function clickLauncher(host) {
  const popupTarget = browser.waitForTarget((t) => t.url().startsWith(popupUrl), { timeout: 5000 });
  const box = await vw(host, () => {
    const r = window.vw.el().shadowRoot.querySelector('[part~="launcher"]').getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  await host.mouse.click(box.x, box.y);
  const popup = await (await popupTarget).page();
  await popup.waitForFunction(() => customElements.get('voice-widget'));
  return popup;
}

const popupEl = (popup, fn, ...args) => popup.evaluate(fn, ...args);

async function inboundBytes(page, selector = 'voice-widget') {
  return page.evaluate(async (sel) => {
    const el = document.querySelector(sel);
    const pc = el?.getPeerConnection();
    let bytes = 0;
    (await pc?.getStats())?.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') bytes += s.bytesReceived;
    });
    return bytes;
  }, selector);
}

async function audioRising(page, selector) {
  await page.waitForFunction(
    async (sel) => {
      const pc = document.querySelector(sel)?.getPeerConnection();
      let bytes = 0;
      (await pc?.getStats())?.forEach((s) => s.type === 'inbound-rtp' && (bytes += s.bytesReceived));
      return bytes > 0;
    },
    { polling: 100, timeout: 5000 },
    selector,
  );
  const first = await inboundBytes(page, selector);
  await sleep(600);
  return (await inboundBytes(page, selector)) > first;
}

test('dialog mode: open from a click, call through the popup, events at the host, token refresh, host reload mid-call, hostile messages ignored, popup closed mid-call', async (t) => {
  const context = await browser.createBrowserContext();
  const bob = await phonePage('bob');
  const host = await openHost(context);

  // Before a popup exists: nothing registers, the launcher says so.
  assert.equal(await vw(host, () => window.vw.el().getState()), 'loading');
  assert.equal(await vw(host, () => window.vw.el().registrationState), 'unregistered');
  assert.match(await vw(host, () => window.vw.el().shadowRoot.querySelector('[part~="launcher"]').getAttribute('aria-label')), /not received/);

  // 1. Open from a click. The popup's URL carries only a config token, in the fragment, and drops it at once.
  await vw(host, () => {
    window.lifecycle = [];
    for (const type of ['panel-open', 'panel-close', 'before-connect', 'widget-load']) {
      window.vw.el().addEventListener(type, (e) => window.lifecycle.push({ type, ...e.detail }));
    }
  });
  const clickedAt = Date.now();
  const popup = await clickLauncher(host);
  await waitFor(host, 'dialog-open');
  await waitFor(host, 'ready', { timeout: 10000 });
  t.diagnostic(`click → ready relayed to the host: ${Date.now() - clickedAt} ms`);
  const [opened] = await vw(host, () => window.openedUrls);
  const openedUrl = new URL(opened);
  assert.equal(openedUrl.origin + openedUrl.pathname, popupUrl);
  assert.equal(openedUrl.search, '');
  const fragment = new URLSearchParams(openedUrl.hash.slice(1));
  assert.match(fragment.get('vw'), /^[A-Za-z0-9_-]{22}$/);
  assert.equal(fragment.get('origin'), hostOrigin);
  assert.ok(!opened.includes(await vw(host, () => window.vw.el().token)), 'the widget token is not in the URL');
  assert.equal(popup.url(), popupUrl, 'the fragment is gone from the address bar');
  assert.equal(await vw(host, () => window.vw.el().getState()), 'ready');
  assert.equal(await vw(host, () => window.vw.el().registrationState), 'registered');
  // Lifecycle at the host: the popup opening is panel-open; the popup's socket is before-connect, in this element's session.
  const lifecycle = await vw(host, () => window.lifecycle);
  assert.deepEqual(
    lifecycle.map((e) => e.type),
    ['panel-open', 'before-connect'],
    JSON.stringify(lifecycle),
  );
  assert.equal(lifecycle[1].sessionId, lifecycle[0].sessionId);
  assert.equal(lifecycle[1].url, sip.wsUrl);
  const headers = (await fetch(popupUrl)).headers;
  assert.equal(headers.get('referrer-policy'), 'no-referrer');
  assert.equal(headers.get('x-frame-options'), 'DENY');
  assert.match(headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.ok(
    (await (await fetch(popupUrl)).text()).includes(`<meta name="voice-widget-host-origins" content="${hostOrigin}" />`),
    'the host is listed by the server',
  );

  // 2. A second redemption of the same config token gets nothing.
  await popupEl(popup, () => {
    window.configsSeen = 0;
    window.addEventListener('message', (e) => e.data?.type === 'config' && window.configsSeen++);
  });
  await popupEl(
    popup,
    (tok, origin) => window.opener.postMessage({ protocol: 'voice-widget-dialog', version: 1, type: 'redeem', token: tok }, origin),
    fragment.get('vw'),
    hostOrigin,
  );
  await sleep(500);
  assert.equal(await popupEl(popup, () => window.configsSeen), 0, 'a redeemed config token is refused');

  // 3. Forged messages: a third origin, and the popup's own origin from another window (a frame), are ignored.
  const fromHost = await logLength(host);
  for (const origin of [new URL(third.url).origin, new URL(popupUrl).origin]) {
    await vw(
      host,
      (src) =>
        new Promise((resolve) => {
          const frame = document.createElement('iframe');
          frame.src = src;
          frame.onload = resolve;
          document.body.append(frame);
        }),
      `${origin}/test/e2e/pages/forger.html#${encodeURIComponent(hostOrigin)}`,
    );
  }
  await sleep(1500); // the flood lasts a second
  assert.equal(await count(host, 'call-received', fromHost), 0, 'no forged event reached the host');
  assert.equal(await count(host, 'call-ended', fromHost), 0);
  assert.equal(await vw(host, () => ({}).polluted), undefined);
  assert.equal(await popupEl(popup, () => window.configsSeen), 0, 'no config went to a forger');

  // 4. A call placed from the host, in the popup, with two-way audio; its events reach the host.
  //    qualityThresholds crosses to the popup (a MOS of 5 nobody reaches: low-mos after 3 samples).
  await vw(host, () => (window.vw.el().qualityThresholds = { mos: 5 }));
  await popup.waitForFunction(() => document.querySelector('voice-widget').qualityThresholds?.mos === 5, { timeout: 3000 });
  let from = { host: await logLength(host), bob: await logLength(bob) };
  assert.equal(await vw(host, () => window.vw.el().call('bob')), true);
  const received = await waitFor(bob, 'call-received', { from: from.bob });
  assert.equal(received.from.address, `sip:alice@${DOMAIN}`);
  await vw(bob, () => window.vw.el().answer());
  const started = await waitFor(host, 'call-started', { from: from.host });
  await waitFor(host, 'state-change', { from: from.host, match: { state: 'in-progress' } });
  assert.equal(started.number, 'bob');
  assert.equal(await vw(host, () => window.vw.el().getState()), 'in-progress');
  assert.ok(await audioRising(popup, 'voice-widget'), 'the popup hears bob');
  assert.ok(await audioRising(bob, '#phone'), 'bob hears the popup');
  // Quality crosses from the popup: its warning as an event, its latest sample mirrored for getCallStats.
  const lowMos = await waitFor(host, 'quality-warning', { from: from.host, match: { name: 'low-mos' }, timeout: 15_000 });
  assert.deepEqual([lowMos.id, lowMos.threshold], [started.id, 5]);
  await host.waitForFunction((id) => typeof window.vw.el().getCallStats(id)?.mos === 'number', { timeout: 5000, polling: 200 }, started.id);
  assert.equal(await vw(host, (id) => window.vw.el().getCallStats(id).codec, started.id), 'audio/opus');
  // runPreflight runs in the popup: the host's promise resolves with the report, its events relayed.
  from.host = await logLength(host);
  const report = await vw(host, () => window.vw.el().runPreflight());
  assert.equal(report.verdict, 'ready', JSON.stringify(report));
  assert.deepEqual(await waitFor(host, 'preflight-complete', { from: from.host }), report);
  assert.equal(await count(host, 'preflight-progress', from.host), 4);

  // 4b. bob asks the popup to transfer (REFER; carol is not registered). refer-policy reaches the popup;
  //     transfer-requested reaches the host, whose declineTransfer and acceptTransfer run in the popup.
  await vw(host, () => window.vw.el().setAttribute('refer-policy', 'reject'));
  await popup.waitForFunction(() => document.querySelector('voice-widget').referPolicy === 'reject', { timeout: 3000 });
  await vw(host, () => window.vw.el().removeAttribute('refer-policy'));
  await popup.waitForFunction(() => document.querySelector('voice-widget').referPolicy === 'ask', { timeout: 3000 });
  for (const answer of ['declineTransfer', 'acceptTransfer']) {
    from = { host: await logLength(host), bob: await logLength(bob) };
    assert.equal(await vw(bob, () => window.vw.el().transfer('carol')), true);
    assert.deepEqual(await waitFor(host, 'transfer-requested', { from: from.host }), { id: started.id, target: 'carol', kind: 'blind' });
    assert.equal(await vw(host, (name) => window.vw.el()[name](), answer), true);
    if (answer === 'acceptTransfer') assert.equal((await waitFor(host, 'call-started', { from: from.host })).number, 'carol');
    assert.equal((await waitFor(bob, 'transfer', { from: from.bob, timeout: 15000 })).result, 'failed');
  }
  await waitFor(host, 'state-change', { from: from.host, match: { state: 'in-progress' } });
  assert.equal(await popupEl(popup, () => document.querySelector('voice-widget').calls.length), 1);

  // 4c. Attended transfer's commands run in the popup: consult holds bob and calls carol (not registered: the
  //     consult call ends and bob is resumed); completeTransfer with no consult call says no-call at the host.
  from = { host: await logLength(host), bob: await logLength(bob) };
  assert.equal(await vw(host, () => window.vw.el().consult('carol')), true);
  await waitFor(bob, 'hold-change', { from: from.bob, match: { held: true, by: 'remote' } });
  assert.equal((await waitFor(host, 'call-started', { from: from.host })).number, 'carol');
  await waitFor(host, 'call-ended', { from: from.host, match: { number: 'carol' } });
  await waitFor(bob, 'hold-change', { from: from.bob, match: { held: false } });
  await vw(host, () => window.vw.el().completeTransfer());
  assert.equal((await waitFor(host, 'error', { from: from.host })).code, 'no-call');
  await vw(host, () => window.vw.el().cancelConsult());
  await waitFor(host, 'error', { from: from.host, match: { message: 'no consult call to cancel' } });
  assert.equal(await popupEl(popup, () => document.querySelector('voice-widget').getState()), 'in-progress');

  // 5. A token refreshed on the host reaches the popup; the call goes on.
  const fresh = token('alice', { ttl: 7200 });
  await vw(host, (tk) => (window.vw.el().token = tk), fresh);
  await popup.waitForFunction((tk) => document.querySelector('voice-widget').token === tk, { timeout: 3000 }, fresh);
  assert.equal(await popupEl(popup, () => document.querySelector('voice-widget').getState()), 'in-progress');

  // 6. The host page reloads mid-call: audio goes on; the new page re-attaches and gets the call.
  //    The user clicks the launcher before the popup's hello has arrived (held back here), and the
  //    new page has no token or server yet: the popup is found by name, not reloaded, and keeps both.
  await popupEl(popup, () => (window.loadedOnce = true));
  const popupToken = await popupEl(popup, () => document.querySelector('voice-widget').token);
  const holdHellos = await host.evaluateOnNewDocument(() => {
    window.heldHellos = 0;
    window.holdHellos = true;
    window.addEventListener(
      'message',
      (e) => {
        if (window.holdHellos && e.data?.type === 'hello') {
          window.heldHellos++;
          e.stopImmediatePropagation();
        }
      },
      true,
    );
  });
  const reloadedAt = Date.now();
  await host.reload({ waitUntil: 'load' });
  await (
    await withoutGesture(host)
  )((url) => {
    window.openedUrls = [];
    const open = window.open;
    window.open = function (...args) {
      window.openedUrls.push(String(args[0]));
      return open.apply(this, args);
    };
    document.getElementById('phone').setAttribute('popup-url', url);
  }, popupUrl);
  await host.waitForFunction(() => window.heldHellos > 0, { timeout: 3000, polling: 50 });
  const launcher = await vw(host, () => {
    const r = document.getElementById('phone').shadowRoot.querySelector('[part~="launcher"]').getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  await host.mouse.click(launcher.x, launcher.y);
  assert.deepEqual(await vw(host, () => window.openedUrls), [''], 'the popup was looked up by name, nothing loaded');
  await vw(host, () => (window.holdHellos = false));
  await host.removeScriptToEvaluateOnNewDocument(holdHellos.identifier);
  await host.waitForFunction(() => document.getElementById('phone').getState() === 'in-progress', { timeout: 5000, polling: 50 });
  t.diagnostic(`host reload → attached by a click before the popup's hello: ${Date.now() - reloadedAt} ms`);
  assert.equal(await popupEl(popup, () => window.loadedOnce), true, 'the popup was not reloaded');
  assert.equal(await popupEl(popup, () => document.querySelector('voice-widget').token), popupToken, 'the popup kept its token');
  assert.equal(await popupEl(popup, () => document.querySelector('voice-widget').registrationState), 'registered');
  assert.ok(await audioRising(popup, 'voice-widget'), 'audio continued through the reload and the click');
  // Once the page has its token and server, a second reload re-attaches on the popup's hello alone.
  await configureHost(host, 'alice');
  const reloadedAgainAt = Date.now();
  await host.reload({ waitUntil: 'load' });
  await configureHost(host, 'alice');
  const attached = await waitFor(host, 'dialog-attached', { timeout: 5000 });
  t.diagnostic(`host reload → dialog-attached: ${Date.now() - reloadedAgainAt} ms`);
  assert.equal(attached.state, 'in-progress');
  assert.equal(attached.calls.length, 1);
  assert.equal(attached.calls[0].number, 'bob');
  assert.ok(await audioRising(popup, 'voice-widget'), 'audio continued through the reload');
  assert.equal(await vw(host, () => window.vw.el().getState()), 'in-progress');
  from = { host: await logLength(host), bob: await logLength(bob) };
  assert.equal(await vw(host, () => window.vw.el().hangup()), true);
  await waitFor(bob, 'call-ended', { from: from.bob, match: { cause: 'remote-hangup' } });
  await waitFor(host, 'call-ended', { from: from.host });
  await sleep(300);
  assert.equal(await count(host, 'call-ended', from.host), 1, 'one call-ended at the re-attached host');

  // 7. The user reloads the popup: it re-handshakes with its opener and registers again.
  from = { host: await logLength(host) };
  await popup.reload({ waitUntil: 'load' });
  await waitFor(host, 'ready', { from: from.host, timeout: 10000 });
  assert.equal(popup.url(), popupUrl);
  assert.equal(await vw(host, () => window.vw.el().getState()), 'ready');

  // 8. The user closes the popup mid-call: the call ends once (BYE), the host returns to its launcher.
  from = { host: await logLength(host), bob: await logLength(bob) };
  assert.equal(await vw(host, () => window.vw.el().call('bob')), true);
  await waitFor(bob, 'call-received', { from: from.bob });
  await vw(bob, () => window.vw.el().answer());
  await waitFor(host, 'state-change', { from: from.host, match: { state: 'in-progress' } });
  const closedAt = Date.now();
  await popup.close({ runBeforeUnload: false });
  const ended = await waitFor(bob, 'call-ended', { from: from.bob, timeout: 5000 });
  t.diagnostic(`popup closed → bob's call-ended: ${Date.now() - closedAt} ms`);
  assert.equal(ended.cause, 'remote-hangup');
  assert.deepEqual(await waitFor(host, 'dialog-close', { from: from.host, timeout: 3000 }), { reason: 'user' });
  await sleep(500);
  assert.equal(await count(bob, 'call-ended', from.bob), 1);
  assert.equal(await vw(host, () => window.vw.el().getState()), 'loading');
  assert.equal(await vw(host, () => window.vw.el().shadowRoot.querySelector('[part~="launcher"]').dataset.dialog), 'closed');

  await context.close();
  await bob.browserContext().close();
});

test('dialog mode: a blocked popup says so within 1 s; an invalid number opens nothing', async () => {
  const context = await browser.createBrowserContext();
  const host = await openHost(context);
  const quiet = await withoutGesture(host);
  // No user gesture: Chromium's pop-up blocker refuses the window.
  const started = Date.now();
  assert.equal(await quiet(() => window.vw.el().call('bob')), false);
  const error = await quiet(() => window.vw.waitFor('error', { timeout: 3000 })); // 1 s, asserted at 3×
  assert.equal(error.code, 'popup-blocked');
  assert.ok(Date.now() - started < 3000);
  assert.equal(await quiet(() => window.vw.el().shadowRoot.querySelector('[part~="launcher"]').dataset.dialog), 'blocked');
  assert.equal(await quiet(() => window.vw.el().call('not a number!')), false);
  assert.equal(
    await quiet(() =>
      window.vw.log
        .filter((e) => e.type === 'error')
        .map((e) => e.detail.code)
        .join(),
    ),
    'popup-blocked,invalid-number',
  );
  assert.deepEqual(await quiet(() => window.openedUrls.length), 1, 'the invalid number opened nothing');
  await context.close();
});

test('dialog mode: a host whose Cross-Origin-Opener-Policy severs the popup gets popup-detached within 3 s', async (t) => {
  const context = await browser.createBrowserContext();
  const host = await context.newPage();
  // The host page as a site with COOP: same-origin serves it (the popup is on another origin).
  await host.setRequestInterception(true);
  host.on('request', async (request) => {
    if (!request.url().endsWith('/dialog-host.html')) return request.continue();
    const body = await (await fetch(request.url())).text();
    request.respond({ status: 200, contentType: 'text/html', headers: { 'Cross-Origin-Opener-Policy': 'same-origin' }, body });
  });
  await host.goto(`${web.url}/test/e2e/pages/dialog-host.html`, { waitUntil: 'load' });
  await configureHost(host, 'alice');
  const box = await vw(host, () => {
    const r = window.vw.el().shadowRoot.querySelector('[part~="launcher"]').getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  const clicked = Date.now();
  await host.mouse.click(box.x, box.y);
  const error = await waitFor(host, 'error', { timeout: 9000 }); // 3 s, asserted at 3×
  t.diagnostic(`click → popup-detached: ${Date.now() - clicked} ms`);
  assert.equal(error.code, 'popup-detached');
  assert.deepEqual(await waitFor(host, 'dialog-close', { timeout: 3000 }), { reason: 'error' });
  assert.equal(await vw(host, () => window.vw.el().shadowRoot.querySelector('[part~="launcher"]').dataset.dialog), 'detached');
  await context.close();
});

/** A SIP server as an attacker would run one: a WebSocket server on a free loopback port that records every connection. */
async function startRecordingWs() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const seen = [];
  wss.on('connection', (socket, req) => {
    seen.push({ origin: req.headers.origin, messages: [] });
    socket.on('message', (data) => seen.at(-1).messages.push(String(data).split('\r\n')[0]));
  });
  return { url: `ws://127.0.0.1:${wss.address().port}`, seen, stop: () => new Promise((resolve) => wss.close(() => resolve())) };
}

test("dialog mode: a site off the popup's host list gets nothing, whether it opens the popup with its own origin or re-opens it by name after taking over the app's tab", async (t) => {
  const attackerSip = await startRecordingWs();
  const context = await browser.createBrowserContext();
  const thiefUrl = `${third.url}/test/e2e/pages/popup-thief.html`;
  const thiefOrigin = new URL(third.url).origin;
  const config = { token: token('mallory'), 'sip-server': attackerSip.url };
  try {
    /** The refused popup says why, has no phone, and closes by itself; resolves with what it showed. */
    const refusedThenClosed = async (popup, thief) => {
      await popup.waitForFunction(() => document.getElementById('refused')?.hidden === false, { timeout: 5000, polling: 50 });
      const shown = await popupEl(popup, () => ({
        text: document.getElementById('refused').innerText,
        phones: document.querySelectorAll('voice-widget').length,
      }));
      const at = Date.now();
      await thief.waitForFunction(() => window.thief.popup?.closed === true, { timeout: 9000, polling: 100 }); // 3 s, asserted at 3×
      t.diagnostic(`refusal shown → popup closed: ${Date.now() - at} ms`);
      return shown;
    };

    // 1. The other site opens the popup page itself, with its own origin in the fragment (a click: a gesture).
    const thief = await context.newPage();
    await thief.goto(thiefUrl, { waitUntil: 'load' });
    const popupTarget = browser.waitForTarget((tg) => tg.url().startsWith(popupUrl), { timeout: 5000 });
    assert.equal(await thief.evaluate((u, c) => window.thief.open(u, c), popupUrl, config), true);
    const stolen = await (await popupTarget).page();
    const shown = await refusedThenClosed(stolen, thief);
    assert.ok(shown.text.includes(`does not work for ${thiefOrigin}`), shown.text);
    assert.equal(shown.phones, 0, 'no phone on the refused page');
    assert.deepEqual(await thief.evaluate(() => window.thief.received), [], 'the other site received no message');
    assert.deepEqual(attackerSip.seen, [], "no WebSocket reached the other site's SIP server: no REGISTER, no INVITE");

    // 2. The app's tab opens the popup (listed host); then a page of the other site takes the tab over
    //    and re-opens the running popup by its name, with its own origin in the fragment.
    const host = await openHost(context);
    const popup = await clickLauncher(host);
    await waitFor(host, 'ready', { timeout: 10000 });
    await Promise.all([host.waitForNavigation({ waitUntil: 'load' }), vw(host, (u) => location.assign(u), thiefUrl)]);
    await sleep(1000); // the popup, detached, says hello every 400 ms: to the listed origin only
    assert.equal(await host.evaluate((u, c) => window.thief.open(u, c), popupUrl, config), true);
    const again = await refusedThenClosed(popup, host); // the same window, navigated by name
    assert.match(again.text, /does not work for/);
    assert.deepEqual(await host.evaluate(() => window.thief.received), [], 'no hello, no redeem reached the page that took the tab');
    assert.deepEqual(attackerSip.seen, [], "no WebSocket reached the other site's SIP server");
  } finally {
    await context.close();
    await attackerSip.stop();
  }
});
