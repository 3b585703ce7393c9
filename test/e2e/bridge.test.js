// The iframe bridge end to end, in real Chromium through the embedded SIP
// server: a host application on http://crm.app.localhost:<port> embeds the
// widget from http://127.0.0.1:<port> (another origin) with
// bridge-origins="http://*.app.localhost:<port>", and drives it with the
// package's helper. Hostile parents (an origin not on the list, look-alikes,
// another port, null), a same-origin sibling frame, malformed and polluting
// messages and floods must run nothing, place no call and hear nothing back.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { REPO_ROOT } from '../harness/bundle-jssip.js';
import { startSipServer } from '../harness/sip-servers.js';
import { startStaticServer } from '../harness/static-server.js';
import { DOMAIN, browser, count, e2eSuite, openPhone, token, web } from './support.js';

const SECRET = 'bridge-e2e-secret-0123456789';
// Every *.localhost name is loopback and, like localhost, a secure context (the widget needs the microphone).
e2eSuite({
  secret: SECRET,
  launch: { args: ['--host-resolver-rules=MAP *.localhost 127.0.0.1'] },
  setup: async () => {
    other = await startStaticServer({ root: REPO_ROOT });
    sip = await startSipServer('embedded', { secret: SECRET, domain: DOMAIN });
    widgetOrigin = web.url;
    hostOrigin = `http://crm.app.localhost:${web.port}`;
    allowList = `http://*.app.localhost:${web.port}`;
  },
  teardown: async () => {
    await sip?.stop().catch(() => {});
    await other?.stop().catch(() => {});
  },
});

let other;
let sip;
/** Origins: the widget's frame, the legitimate host, and the allow-list. */
let widgetOrigin;
let hostOrigin;
let allowList;

const frameUrl = (user) =>
  `${widgetOrigin}/test/e2e/pages/bridge-frame.html#${new URLSearchParams({ token: token(user), server: sip.wsUrl, origins: allowList })}`;
const ATTACKER_PAGE = '/test/e2e/pages/bridge-attacker.html';
const envelope = (m) => ({ protocol: 'voice-widget', version: 1, type: 'command', payload: { args: [] }, ...m });

const phonePage = (user) => openPhone(user, { server: sip.wsUrl, ready: true });

/** The widget frame inside a page (any depth), once its phone is up. */
async function widgetFrame(page, { ready = true } = {}) {
  let frame;
  const started = Date.now();
  while (!(frame = page.frames().find((f) => f.url().startsWith(`${widgetOrigin}/test/e2e/pages/bridge-frame.html`)))) {
    if (Date.now() - started > 10_000)
      throw new Error(
        `no widget frame in ${page.url()}: ${page
          .frames()
          .map((f) => f.url())
          .join(' ')}`,
      );
    await sleep(50);
  }
  await frame.waitForFunction(() => window.vw && window.bridgeRuns, { timeout: 10_000 });
  if (ready) await frame.evaluate(() => window.vw.waitFor('ready', { timeout: 10_000 }));
  return frame;
}

/** Attacks from `attackerFrame` at the widget frame; returns what the widget ran and what came back. */
async function attack(attackerFrame, widget, { flood = 0, what = '', targetOrigin = widgetOrigin } = {}) {
  const seen = await widget.evaluate(() => window.bridgeSeen);
  await attackerFrame.evaluate((o, n) => window.attack(o, n), targetOrigin, flood);
  await sleep(500);
  // The forgeries were delivered (5 commands and the flood); the widget ignored them.
  assert.equal((await widget.evaluate(() => window.bridgeSeen)) - seen, 5 + flood, `${what}: every forged message reached the widget`);
  return {
    runs: await widget.evaluate(() => window.bridgeRuns.length),
    state: await widget.evaluate(() => window.vw.el().getState()),
    polluted: await widget.evaluate(() => ({}).polluted),
    received: await attackerFrame.evaluate(() => window.received),
  };
}

test('iframe bridge: the host calls through the helper and gets events and responses; hostile parents, siblings, payloads and floods do nothing', async (t) => {
  const bob = await phonePage('bob');
  const context = await browser.createBrowserContext();
  const host = await context.newPage();
  await host.goto(`${hostOrigin}/test/e2e/pages/bridge-host.html`, { waitUntil: 'load' });
  await host.waitForFunction(() => window.host);

  // 1. Connect: hello answered; events flow (Chromium has location.ancestorOrigins).
  const { hello, ms } = await host.evaluate((src, origin) => window.host.connect(src, origin), frameUrl('alice'), widgetOrigin);
  t.diagnostic(`iframe created → hello answered: ${Math.round(ms)} ms`);
  assert.equal(hello.version, 1);
  assert.deepEqual(hello.calls, []);
  await host.evaluate(() => window.host.waitFor('ready'));
  const widget = await widgetFrame(host);
  assert.equal((await host.evaluate(() => window.host.command('getRegistrationState'))).result, 'registered');
  assert.equal((await host.evaluate(() => window.host.command('isReady'))).result, true);
  const rtt = await host.evaluate(() => window.host.roundTrip('getState', 30));
  t.diagnostic(`command round trip (getState, 30 in a row): ${rtt.toFixed(2)} ms mean`);
  assert.ok(rtt < 100, `round trip ${rtt} ms`);

  // Refusals the helper turns into errors.
  assert.equal((await host.evaluate(() => window.host.command('launchMissiles'))).code, 'unknown-command');
  assert.equal((await host.evaluate(() => window.host.command('call', 5))).code, 'invalid-arguments');
  assert.equal((await host.evaluate(() => window.host.command('call', 'bob', 'carol'))).code, 'invalid-arguments');
  assert.equal(await widget.evaluate(() => window.bridgeRuns.length), 0, 'a refused command runs nothing');

  // 2. Hostile parents, each embedding the same widget page with the same allow-list.
  const hostiles = [
    ["an origin not on the list (the widget's own)", `${widgetOrigin}${ATTACKER_PAGE}`],
    ['the bare domain of the wildcard', `http://app.localhost:${web.port}${ATTACKER_PAGE}`],
    ['a look-alike: the allowed domain as a subdomain of another', `http://app.localhost.evil.localhost:${web.port}${ATTACKER_PAGE}`],
    ['a look-alike: a longer name ending the same', `http://evilapp.localhost:${web.port}${ATTACKER_PAGE}`],
    ['the right host on another port', `http://crm.app.localhost:${other.port}${ATTACKER_PAGE}`],
  ];
  for (const [what, page] of hostiles) {
    const evil = await context.newPage();
    await evil.goto(`${page}#${new URLSearchParams({ mode: 'embed', frame: frameUrl('carol') })}`, { waitUntil: 'load' });
    const victim = await widgetFrame(evil);
    const outcome = await attack(evil.mainFrame(), victim, { flood: what.startsWith('a look-alike: the') ? 5000 : 200, what });
    assert.deepEqual(outcome, { runs: 0, state: 'ready', polluted: undefined, received: [] }, what);
    await evil.close();
  }

  // A null origin: a sandboxed frame on the allowed origin itself, and a data: URL.
  {
    const evil = await context.newPage();
    await evil.goto(`${hostOrigin}${ATTACKER_PAGE}#${new URLSearchParams({ mode: 'sandbox', frame: frameUrl('carol') })}`, { waitUntil: 'load' });
    const victim = await widgetFrame(evil, { ready: false });
    const sandboxed = victim.parentFrame();
    assert.equal(await sandboxed.evaluate(() => window.origin), 'null');
    // A sandbox's frames inherit its opaque origin: only '*' reaches the widget in there.
    const outcome = await attack(sandboxed, victim, { flood: 200, what: 'sandboxed', targetOrigin: '*' });
    assert.equal(outcome.runs, 0, 'sandboxed parent');
    assert.deepEqual(outcome.received, []);
    await evil.close();
  }
  {
    const evil = await context.newPage();
    await evil.goto(`${hostOrigin}/test/e2e/pages/bridge-host.html`, { waitUntil: 'load' });
    const script = await readFile(new URL('./pages/bridge-attacker.js', import.meta.url), 'utf8');
    const dataUrl = `data:text/html,${encodeURIComponent(`<script>${script}</script>`)}#${new URLSearchParams({ mode: 'embed', frame: frameUrl('carol') })}`;
    await evil.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      document.body.append(f);
    }, dataUrl);
    const victim = await widgetFrame(evil);
    const dataFrame = victim.parentFrame();
    assert.equal(await dataFrame.evaluate(() => window.origin), 'null');
    const outcome = await attack(dataFrame, victim, { flood: 200, what: 'data: URL' });
    assert.deepEqual(outcome, { runs: 0, state: 'ready', polluted: undefined, received: [] }, 'data: URL parent');
    await evil.close();
  }

  // The right origin from the wrong window: a sibling frame of the host's own origin, flooding.
  await host.evaluate((src) => window.host.addFrame(src), `${hostOrigin}${ATTACKER_PAGE}#mode=sibling`);
  const sibling = host.frames().find((f) => f.url().includes('mode=sibling'));
  const fromSibling = await attack(sibling, widget, { flood: 5000, what: 'sibling' });
  assert.deepEqual(fromSibling, { runs: 0, state: 'ready', polluted: undefined, received: [] }, 'sibling frame');
  assert.equal(await count(bob, 'call-received'), 0, 'no forged call reached bob');

  // Malformed and polluting messages from the legitimate host itself: dropped, unanswered.
  const rawBefore = await host.evaluate(() => window.host.raw.length);
  const seenBefore = await widget.evaluate(() => window.bridgeSeen);
  const malformed = [
    envelope({ requestId: 'm-version', name: 'call', version: 2, payload: { args: ['bob'] } }),
    envelope({ requestId: 'm-extra', name: 'call', payload: { args: ['bob'] }, sender: 'me' }),
    envelope({ requestId: 'm-big', name: 'call', payload: { args: ['1'.repeat(100_000)] } }),
    envelope({ requestId: 'm-deep', name: 'call', payload: { args: [[[[[[[[[['bob']]]]]]]]]] } }),
    envelope({ requestId: '<m-id>', name: 'call', payload: { args: ['bob'] } }),
    { ...envelope({ requestId: 'm-type', name: 'call', payload: { args: ['bob'] } }), type: 'event' },
  ];
  for (const m of malformed) await host.evaluate((data, o) => window.host.send(data, o), m, widgetOrigin);
  const polluting = [
    '{"protocol":"voice-widget","version":1,"type":"command","requestId":"m-proto","name":"call","payload":{"args":["bob"],"__proto__":{"polluted":true}}}',
    '{"protocol":"voice-widget","version":1,"type":"command","requestId":"m-ctor","name":"call","payload":{"args":[{"constructor":{"prototype":{"polluted":true}}}]}}',
    '{"protocol":"voice-widget","version":1,"type":"command","requestId":"m-env","name":"call","payload":{"args":["bob"]},"__proto__":{"polluted":true}}',
  ];
  for (const json of polluting) await host.evaluate((j, o) => window.host.send(JSON.parse(j), o), json, widgetOrigin);
  await sleep(500);
  assert.equal((await widget.evaluate(() => window.bridgeSeen)) - seenBefore, malformed.length + polluting.length, 'all delivered');
  assert.equal(
    await host.evaluate((from) => window.host.raw.slice(from).filter((m) => m.type === 'response').length, rawBefore),
    0,
    'no answer to a malformed message',
  );
  assert.equal(await widget.evaluate(() => window.bridgeRuns.length), 0);
  assert.equal(await widget.evaluate(() => ({}).polluted), undefined);
  assert.equal(await count(bob, 'call-received'), 0);

  // 3. The legitimate host places a call to bob; bob answers; events and responses reach the host.
  let from = await host.evaluate(() => window.host.log.length);
  const placed = await host.evaluate(() => window.host.command('call', 'bob'));
  assert.deepEqual(placed, { ok: true, result: true });
  await bob.evaluate(() => window.vw.waitFor('call-received'));
  await bob.evaluate(() => window.vw.el().answer());
  const started = await host.evaluate((f) => window.host.waitFor('call-started', { from: f }), from);
  assert.equal(started.number, 'bob');
  await host.evaluate((f) => window.host.waitFor('state-change', { from: f, match: { state: 'in-progress' } }), from);
  assert.equal((await host.evaluate(() => window.host.command('getState'))).result, 'in-progress');
  const calls = (await host.evaluate(() => window.host.command('getCalls'))).result;
  assert.equal(calls.length, 1);
  assert.equal(calls[0].number, 'bob');
  // getCallStats is a command: its result is the frame's latest quality sample (null before the first).
  await host.waitForFunction(
    async (id) => typeof (await window.host.command('getCallStats', id)).result?.mos === 'number',
    { timeout: 5000, polling: 250 },
    calls[0].id,
  );
  assert.equal((await host.evaluate(() => window.host.command('getCallStats', 'x'.repeat(65)))).code, 'invalid-arguments');
  // runPreflight is a command that answers at once; the report comes as preflight-complete, after each step's preflight-progress.
  from = await host.evaluate(() => window.host.log.length);
  assert.deepEqual(await host.evaluate(() => window.host.command('runPreflight')), { ok: true, result: true });
  const report = await host.evaluate((f) => window.host.waitFor('preflight-complete', { from: f, timeout: 20_000 }), from);
  assert.equal(report.verdict, 'ready', JSON.stringify(report));
  const steps = await host.evaluate(
    (f) =>
      window.host.log
        .slice(f)
        .filter((e) => e.name === 'preflight-progress')
        .map((e) => e.detail.step),
    from,
  );
  assert.deepEqual(steps, ['microphone', 'signalling', 'ice', 'network']);

  // bob asks the widget to transfer (REFER; carol is not registered): transfer-requested reaches the host,
  // which declines (bob's transfer fails, the call goes on), then accepts (the widget calls carol).
  for (const answer of ['declineTransfer', 'acceptTransfer']) {
    from = await host.evaluate(() => window.host.log.length);
    const fromBob = await bob.evaluate(() => window.vw.log.length);
    assert.equal(await bob.evaluate(() => window.vw.el().transfer('carol')), true);
    const asked = await host.evaluate((f) => window.host.waitFor('transfer-requested', { from: f }), from);
    assert.deepEqual(asked, { id: calls[0].id, target: 'carol', kind: 'blind' });
    assert.deepEqual(await host.evaluate((name) => window.host.command(name), answer), { ok: true, result: true });
    if (answer === 'acceptTransfer') assert.equal((await host.evaluate((f) => window.host.waitFor('call-started', { from: f }), from)).number, 'carol');
    assert.equal((await bob.evaluate((f) => window.vw.waitFor('transfer', { from: f, timeout: 15000 }), fromBob)).result, 'failed');
  }
  assert.deepEqual(await host.evaluate(() => window.host.command('declineTransfer')), { ok: true, result: false }, 'nothing left to decline');
  await host.evaluate((f) => window.host.waitFor('state-change', { from: f, match: { state: 'in-progress' } }), from);

  // Attended transfer through the bridge: consult holds bob and calls carol (not registered: the consult call
  // ends and bob is resumed); with no consult call, completeTransfer and cancelConsult answer false.
  from = await host.evaluate(() => window.host.log.length);
  const fromBob = await bob.evaluate(() => window.vw.log.length);
  assert.deepEqual(await host.evaluate(() => window.host.command('consult', 'carol')), { ok: true, result: true });
  assert.equal((await host.evaluate(() => window.host.command('consult', 'x'.repeat(300)))).code, 'invalid-arguments');
  await bob.evaluate((f) => window.vw.waitFor('hold-change', { from: f, match: { held: true } }), fromBob);
  await host.evaluate((f) => window.host.waitFor('call-ended', { from: f, match: { number: 'carol' } }), from);
  await bob.evaluate((f) => window.vw.waitFor('hold-change', { from: f, match: { held: false } }), fromBob);
  assert.deepEqual(await host.evaluate(() => window.host.command('completeTransfer')), { ok: true, result: false });
  assert.deepEqual(await host.evaluate(() => window.host.command('cancelConsult')), { ok: true, result: false });

  // 4. A flood from the legitimate host mid-call: the bucket lets 40 through, answers one rate-limited, drops the rest.
  const floodStarted = Date.now();
  await host.evaluate(() => window.host.close());
  // A fresh helper with a short timeout for the flood, on the same frame.
  const flood = await host.evaluate(async (origin) => {
    const { connectWidgetFrame } = await import('/dist/bridge/host.js');
    const frame = document.querySelector('iframe');
    const b = connectWidgetFrame(frame, { origin, timeout: 1500 });
    await b.ready;
    await new Promise((r) => setTimeout(r, 2100)); // a full bucket
    const results = await Promise.allSettled(Array.from({ length: 500 }, () => b.command('isReady')));
    const count = {};
    for (const r of results) {
      const key = r.status === 'fulfilled' ? 'ok' : r.reason.code;
      count[key] = (count[key] ?? 0) + 1;
    }
    await new Promise((r) => setTimeout(r, 1000)); // the bucket refills
    const after = await b.command('getState');
    window.floodBridge = b;
    return { count, after };
  }, widgetOrigin);
  t.diagnostic(`500 commands at once from the host: ${JSON.stringify(flood.count)} (${Date.now() - floodStarted} ms with waits)`);
  // 40 at once, plus what the bucket refills (20 a second) while the page posts and the frame takes them.
  assert.ok(flood.count.ok >= 40 && flood.count.ok <= 80, JSON.stringify(flood.count));
  assert.equal(flood.count['rate-limited'], 1);
  assert.equal(flood.count.ok + flood.count['rate-limited'] + flood.count.timeout, 500);
  assert.equal(flood.after, 'in-progress', 'the host is served again once the rate falls');

  // 5. The host hangs up through the bridge: one call-ended at the host and at bob.
  const ended = await host.evaluate(async () => {
    const b = window.floodBridge;
    const events = [];
    b.on('call-ended', (d) => events.push(d));
    const result = await b.command('hangup');
    await new Promise((r) => setTimeout(r, 1000));
    return { result, events };
  });
  assert.equal(ended.result, true);
  assert.equal(ended.events.length, 1);
  assert.equal(ended.events[0].cause, 'local-hangup');
  await bob.evaluate(() => window.vw.waitFor('call-ended', { match: { cause: 'remote-hangup' } }));
  assert.equal(await count(bob, 'call-received'), 1, 'bob got exactly the one legitimate call');
  assert.deepEqual(await widget.evaluate(() => window.bridgeRuns.map((r) => r.name)), [
    'call',
    'declineTransfer',
    'acceptTransfer',
    'declineTransfer',
    'consult',
    'completeTransfer',
    'cancelConsult',
    'hangup',
  ]);

  // Everything the host page received came from the widget's origin.
  assert.deepEqual(await host.evaluate(() => [...new Set(window.host.raw.map((m) => m.origin))]), [widgetOrigin]);

  await context.close();
  await bob.browserContext().close();
});

test('iframe bridge: no bridge at the top level, and none without bridge-origins', async () => {
  const context = await browser.createBrowserContext();
  // The widget page opened on its own: window.parent is the window itself; commands to it do nothing.
  const top = await context.newPage();
  await top.goto(frameUrl('dave'), { waitUntil: 'load' });
  await top.waitForFunction(() => window.vw && window.bridgeRuns);
  await top.evaluate(
    (o) => window.postMessage({ protocol: 'voice-widget', version: 1, type: 'command', requestId: 't', name: 'call', payload: { args: ['bob'] } }, o),
    widgetOrigin,
  );
  await sleep(300);
  assert.equal(await top.evaluate(() => window.bridgeRuns.length), 0);
  // Framed by an allowed host but without the attribute: the host's hello goes unanswered.
  const host = await context.newPage();
  await host.goto(`${hostOrigin}/test/e2e/pages/bridge-host.html`, { waitUntil: 'load' });
  await host.waitForFunction(() => window.host);
  const bare = `${widgetOrigin}/test/e2e/pages/bridge-frame.html#${new URLSearchParams({ token: token('dave'), server: sip.wsUrl })}`;
  const outcome = host.evaluate(
    (src, origin) => Promise.race([window.host.connect(src, origin).then(() => 'answered'), new Promise((r) => setTimeout(() => r('no answer'), 3000))]),
    bare,
    widgetOrigin,
  );
  const frame = await widgetFrame(host);
  assert.equal(await outcome, 'no answer', 'a registered widget without bridge-origins answers nothing');
  assert.equal(await frame.evaluate(() => window.bridgeRuns.length), 0);
  await context.close();
});

test('iframe bridge: the host helper imports nothing but the protocol, the origin matcher, the plain-data check, the contact and recording checks and the event names (no element, no Lit, no JsSIP)', async () => {
  const imports = async (file) =>
    [...(await readFile(new URL(`../../dist/${file}`, import.meta.url), 'utf8')).matchAll(/^import .* from '([^']+)'/gm)].map((m) => m[1]);
  assert.deepEqual(await imports('bridge/host.js'), ['./protocol.js', '../shared/origins.js', '../shared/contact.js']);
  // The caller lookup's result check: plain data, a display name and the URL rules.
  assert.deepEqual(await imports('shared/contact.js'), ['./display-name.js', './plain-data.js', './safe-url.js']);
  assert.deepEqual(await imports('shared/safe-url.js'), ['./origins.js']);
  assert.deepEqual(await imports('shared/origins.js'), []);
  // The recording event's check (a size-capped Blob), which has no imports.
  assert.deepEqual(await imports('bridge/protocol.js'), ['../event-names.js', '../shared/plain-data.js', '../core/recording/limits.js']);
  assert.deepEqual(await imports('core/recording/limits.js'), []);
  assert.deepEqual(await imports('shared/plain-data.js'), []);
  assert.deepEqual(await imports('event-names.js'), []);
});
