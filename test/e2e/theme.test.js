// The theme surface end to end: each of the 42 Wavix variables, set from the
// host page to a colour of its own, shows on a visible element of a screen a
// user reaches, in the state its name describes. Hover and pressed come from
// real pointer input, disabled from a real disabled control, checked from a
// real click; calls go through a real Kamailio.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { mintToken } from '../../dist/node/index.js';
import { THEME_VARIABLES } from '../../dist/element/palettes.js';
import { newIsolatedPage } from '../harness/browser.js';
import { startSipServer } from '../harness/sip-servers.js';
import { DOMAIN, audioRising, browser, connectCall, detailsSince, e2eSuite, logLength, openPage, token, vw, waitFor, web } from './support.js';

const SECRET = 'theme-e2e-secret-0123456789';
e2eSuite({
  secret: SECRET,
  setup: async () => {
    sip = await startSipServer('kamailio', { secret: SECRET, domain: DOMAIN });
  },
  teardown: async () => {
    await sip?.stop().catch(() => {});
  },
});

/** A colour per variable, none equal to another or to a default. */
const COLORS = Object.fromEntries(THEME_VARIABLES.map((name, i) => [name, `rgb(${20 + i}, ${60 + 3 * i}, ${250 - 2 * i})`]));
const HOST_STYLE = `voice-widget {
  ${THEME_VARIABLES.map((name) => `--${name}: ${COLORS[name]};`).join('\n  ')}
  --widget-width: 300px;
  --widget-height: 520px;
}`;

let sip;
const seen = new Map();

async function openPhone(user) {
  const page = await openPage(undefined, (p) => p.setViewport({ width: 400, height: 640 }));
  await page.addStyleTag({ content: HOST_STYLE });
  if (user) {
    await vw(page, (o) => window.vw.configure(o), { token: token(user), server: sip.wsUrl });
    await waitFor(page, 'ready');
  }
  return page;
}

/** Finds an element through shadow roots: each selector after the first is looked up in the previous match's shadow root. */
const FIND = `(path) => {
  let node = window.vw.el().shadowRoot.querySelector(path[0]);
  for (const sel of path.slice(1)) node = node?.shadowRoot?.querySelector(sel) ?? node?.querySelector(sel);
  return node;
}`;

async function style(page, path, property, pseudo = null) {
  return page.evaluate(
    (find, p, prop, ps) => {
      const node = eval(find)(p);
      if (!node) throw new Error(`no element at ${p.join(' → ')}`);
      // A colour mid-transition is neither value: wait for the transitions to end.
      const transitions = node.getAnimations({ subtree: true }).filter((a) => a instanceof CSSTransition);
      return Promise.all(transitions.map((a) => a.finished)).then(() => getComputedStyle(node, ps)[prop]);
    },
    FIND,
    path,
    property,
    pseudo,
  );
}

async function center(page, path) {
  return page.evaluate(
    (find, p) => {
      const r = eval(find)(p).getBoundingClientRect();
      if (r.width === 0) throw new Error(`${p.join(' → ')} is not visible`);
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    },
    FIND,
    path,
  );
}

/** Asserts that `variable` is what the element shows, and records it as covered. */
async function expectVariable(variable, page, path, property, { pseudo = null, state = 'normal' } = {}) {
  const actual = await style(page, path, property, pseudo);
  assert.equal(actual, COLORS[variable], `${variable}: ${path.join(' → ')} ${property} (${state})`);
  seen.set(variable, `${path.join(' → ')}${pseudo ?? ''} ${property}, ${state}`);
}

/** Real pointer: hovers the element. */
async function hover(page, path) {
  const { x, y } = await center(page, path);
  await page.mouse.move(x, y);
}

/** Real pointer: presses on the element, runs `read`, slides off and releases (no click, no side effect). */
async function pressed(page, path, read) {
  await hover(page, path);
  await page.mouse.down();
  try {
    await read();
  } finally {
    await page.mouse.move(2, 2);
    await page.mouse.up();
  }
}

async function click(page, path) {
  const { x, y } = await center(page, path);
  await page.mouse.click(x, y);
}

test('every one of the 42 theme variables drives a visible element in the state its name describes', async (t) => {
  // A phone with no token yet: nothing to call with, no user for recent calls.
  const idle = await openPhone(null);
  await vw(idle, () => window.vw.el().updateComplete);
  const panel = await idle.evaluate((find) => eval(find)(['[part~="panel"]']).getBoundingClientRect().toJSON(), FIND);
  assert.deepEqual([panel.width, panel.height], [300, 520], '--widget-width and --widget-height');
  await expectVariable('a-disabled', idle, ['[part~="history-button"]'], 'color', { state: 'disabled' });
  await expectVariable('fg-accent-disabled', idle, ['[part~="call-button"]'], 'backgroundColor', { state: 'disabled' });
  await expectVariable('fg-inverted-disabled', idle, ['[part~="call-button"]'], 'color', { state: 'disabled' });
  await expectVariable('fg-warning', idle, ['[part~="status"]'], 'backgroundColor', { pseudo: '::before', state: 'not registered' });

  const alice = await openPhone('alice');
  const bob = await openPhone('bob');
  const carol = await openPhone('carol');
  // Bob obeys alice's transfer at once (the default, refer-policy="ask", would wait for his click).
  await vw(bob, () => (window.vw.el().referPolicy = 'accept'));
  await expectVariable('bg-background', alice, ['[part~="panel"]'], 'backgroundColor');
  await expectVariable('bg-border', alice, ['[part~="panel"]'], 'borderTopColor');
  await expectVariable('bg-header', alice, ['[part~="header"]'], 'backgroundColor');
  await expectVariable('fg-logo', alice, ['[part~="logo"]'], 'color');
  await expectVariable('bg-status', alice, ['[part~="status"]'], 'backgroundColor');
  await expectVariable('text-medium-contrast', alice, ['[part~="status"]'], 'color');
  await expectVariable('bg-navigation', alice, ['[part~="navigation"]'], 'backgroundColor');
  await expectVariable('a-active', alice, ['[part~="dialer-button"]'], 'color', { state: 'selected' });
  await expectVariable('a-inactive', alice, ['[part~="settings-button"]'], 'color');
  await expectVariable('text-low-contrast', alice, ['[part~="dialpad"]', 'small'], 'color');
  await expectVariable('fg-accent', alice, ['[part~="call-button"]'], 'backgroundColor');
  await expectVariable('fg-inverted', alice, ['[part~="call-button"]'], 'color');

  await hover(alice, ['[part~="settings-button"]']);
  await expectVariable('a-hover', alice, ['[part~="settings-button"]'], 'color', { state: 'hover' });
  await expectVariable('bg-hover', alice, ['[part~="settings-button"]'], 'backgroundColor', { state: 'hover' });
  await pressed(alice, ['[part~="settings-button"]'], async () => {
    await expectVariable('a-pressed', alice, ['[part~="settings-button"]'], 'color', { state: 'pressed' });
    await expectVariable('bg-pressed', alice, ['[part~="settings-button"]'], 'backgroundColor', { state: 'pressed' });
  });

  await click(alice, ['[part~="number"]']);
  await alice.keyboard.type('555');
  await expectVariable('text-high-contrast', alice, ['[part~="number"]'], 'color');
  await expectVariable('bg-border-active', alice, ['.number-row'], 'borderBottomColor', { state: 'focused' });

  // Settings: the notifications switch, off then on (a real click, with the permission granted).
  await alice.browserContext().overridePermissions(web.url, ['notifications']);
  await click(alice, ['[part~="settings-button"]']);
  await alice.waitForFunction((find) => eval(find)(['[part~="switch"]']), {}, FIND);
  await expectVariable('switch-background', alice, ['[part~="switch"]'], 'backgroundColor', { state: 'off' });
  await expectVariable('switch-foreground', alice, ['[part~="switch"]'], 'backgroundColor', { pseudo: '::after' });
  await click(alice, ['[part~="switch"]']);
  await alice.waitForFunction((find) => eval(find)(['[part~="switch"]']).getAttribute('aria-checked') === 'true', {}, FIND);
  await expectVariable('switch-background-checked', alice, ['[part~="switch"]'], 'backgroundColor', { state: 'checked' });
  // The device rows (with "Test ringer") come once the settings view has listed the devices.
  await alice.waitForFunction((find) => eval(find)(['.text-button']), {}, FIND);
  await expectVariable('text-accent', alice, ['.text-button'], 'color');
  await click(alice, ['[part~="dialer-button"]']);

  // The launcher of a closed phone, hovered and pressed.
  await vw(alice, () => (window.vw.el().panelOpen = false));
  await vw(alice, () => window.vw.el().updateComplete);
  await hover(alice, ['[part~="launcher"]']);
  await expectVariable('fg-accent-hover', alice, ['[part~="launcher"]'], 'backgroundColor', { state: 'hover' });
  await pressed(alice, ['[part~="launcher"]'], () =>
    expectVariable('fg-accent-pressed', alice, ['[part~="launcher"]'], 'backgroundColor', { state: 'pressed' }),
  );
  await vw(alice, () => (window.vw.el().panelOpen = true));

  // A failed call: the outcome line.
  let from = await logLength(alice);
  assert.equal(await vw(alice, () => window.vw.el().call('nobody')), true);
  await waitFor(alice, 'call-ended', { from });
  await vw(alice, () => window.vw.el().updateComplete);
  await expectVariable('text-negative', alice, ['.outcome'], 'color', { state: 'failed' });

  // Bob's incoming screen: the caller's avatar, Decline hovered and pressed, then disabled while answering
  // (the microphone takes its time: a slow permission prompt).
  from = { a: await logLength(alice), b: await logLength(bob) };
  await vw(bob, () => window.vw.delayMicrophone(2500));
  assert.equal(await vw(alice, () => window.vw.el().call('bob')), true);
  await waitFor(bob, 'call-received', { from: from.b });
  await vw(bob, () => window.vw.el().updateComplete);
  await expectVariable('bg-brand', bob, ['.avatar'], 'backgroundColor');
  await expectVariable('fg-brand', bob, ['.avatar'], 'color');
  await expectVariable('fg-negative', bob, ['[part~="hangup-button"]'], 'backgroundColor');
  await hover(bob, ['[part~="hangup-button"]']);
  await expectVariable('fg-negative-hover', bob, ['[part~="hangup-button"]'], 'backgroundColor', { state: 'hover' });
  await pressed(bob, ['[part~="hangup-button"]'], () =>
    expectVariable('fg-negative-pressed', bob, ['[part~="hangup-button"]'], 'backgroundColor', { state: 'pressed' }),
  );
  await click(bob, ['[part~="answer-button"]']);
  await bob.waitForFunction((find) => eval(find)(['[part~="hangup-button"]']).disabled, {}, FIND);
  await expectVariable('fg-negative-disabled', bob, ['[part~="hangup-button"]'], 'backgroundColor', { state: 'disabled' });
  await waitFor(alice, 'state-change', { from: from.a, match: { state: 'in-progress' } });
  await vw(bob, () => window.vw.delayMicrophone(0));

  // Alice's in-call tools.
  await vw(alice, () => window.vw.el().updateComplete);
  await expectVariable('fg-high-contrast', alice, ['[part~="mute-button"]'], 'backgroundColor');
  await expectVariable('a-high-contrast', alice, ['[part~="mute-button"]'], 'color');
  await hover(alice, ['[part~="mute-button"]']);
  await expectVariable('fg-high-contrast-hover', alice, ['[part~="mute-button"]'], 'backgroundColor', { state: 'hover' });
  await pressed(alice, ['[part~="mute-button"]'], () =>
    expectVariable('fg-high-contrast-pressed', alice, ['[part~="mute-button"]'], 'backgroundColor', { state: 'pressed' }),
  );

  // Transfer: the button is disabled until a number is typed, and the tool while the transfer is under way.
  await click(alice, ['[part~="transfer-button"]']);
  await alice.waitForFunction((find) => eval(find)(['[part~="transfer"] button']), {}, FIND);
  await expectVariable('text-inverted-disabled', alice, ['[part~="transfer"] button'], 'color', { state: 'disabled' });
  await click(alice, ['#transfer-to']);
  await alice.keyboard.type('carol');
  await expectVariable('text-inverted', alice, ['[part~="transfer"] button'], 'color');
  const fromC = await logLength(carol);
  await click(alice, ['[part~="transfer"] button']);
  await waitFor(carol, 'call-received', { from: fromC });
  await alice.waitForFunction((find) => eval(find)(['[part~="transfer-button"]']).disabled, {}, FIND);
  await expectVariable('fg-high-contrast-disabled', alice, ['[part~="transfer-button"]'], 'backgroundColor', { state: 'disabled' });
  await vw(carol, () => window.vw.el().reject());
  assert.equal((await waitFor(alice, 'transfer', { from: from.a, timeout: 15000 })).result, 'failed');
  await vw(alice, () => window.vw.el().hangup());
  await waitFor(bob, 'call-ended', { from: from.b });

  for (const [name, where] of seen) t.diagnostic(`--${name}: ${where}`);
  assert.deepEqual(
    THEME_VARIABLES.filter((name) => !seen.has(name)),
    [],
    'every variable was seen',
  );
});

test('under a strict Content-Security-Policy the phone registers and calls with no violation; bad styling input mid-call costs nothing', async () => {
  const open = async (_user) => {
    const page = await newIsolatedPage(browser);
    await page.goto(web.url + '/test/e2e/pages/csp.html', { waitUntil: 'load' });
    await page.waitForFunction(() => customElements.get('voice-widget') && window.vw);
    return page;
  };
  const alice = await open('alice');
  const bob = await open('bob');
  // First prove the policy is in force: a deliberate inline style is refused, once.
  await vw(alice, () => document.body.insertAdjacentHTML('beforeend', '<p style="color: red">inline</p>'));
  await alice.waitForFunction(() => window.cspViolations.length > 0);
  const first = await vw(alice, () => window.cspViolations);
  assert.equal(first.length, 1);
  assert.match(first[0].directive, /^style-src/);

  for (const [page, user] of [
    [alice, 'alice'],
    [bob, 'bob'],
  ]) {
    const token = mintToken({ secret: SECRET, user, domain: DOMAIN, name: user });
    await vw(page, (o) => window.vw.configure(o), { token, server: sip.wsUrl });
    await waitFor(page, 'ready');
  }
  const from = { a: await logLength(alice), b: await logLength(bob) };
  await connectCall(alice, bob, 'bob', { audio: true, polling: 50 });

  // Mid-call: a stylesheet that 404s, a javascript: logo and a data: stylesheet. Errors and a warning; the call goes on.
  await vw(alice, () => {
    const el = window.vw.el();
    el.setAttribute('custom-styles', '/test/e2e/pages/no-such-theme.css');
    el.setAttribute('custom-logo', 'javascript:alert(1)');
  });
  assert.equal((await waitFor(alice, 'warning', { from: from.a })).code, 'styles-failed');
  await vw(alice, () => window.vw.el().setAttribute('custom-styles', 'data:text/css,*{display:none}'));
  const errors = (await detailsSince(alice, 'error', from.a)).map((d) => d.code);
  assert.deepEqual(errors, ['invalid-url', 'invalid-url']);
  assert.ok(await audioRising(alice), 'audio still flows');
  assert.equal(await vw(alice, () => window.vw.el().getState()), 'in-progress');
  assert.equal(await vw(bob, () => window.vw.el().getState()), 'in-progress');

  await vw(alice, () => window.vw.el().hangup());
  await waitFor(bob, 'call-ended', { from: from.b });
  assert.deepEqual(await vw(alice, () => window.cspViolations.length), 1, 'no violation beyond the deliberate one');
  assert.deepEqual(await vw(bob, () => window.cspViolations), []);
});

test('a nonce-based CSP with Trusted Types: registers and calls with no violation; a CSP that refuses the SIP server gives csp-blocked, not endless retries', async (t) => {
  const open = async (page, user) => {
    const p = await newIsolatedPage(browser);
    await p.goto(`${web.url}/test/e2e/pages/${page}`, { waitUntil: 'load' });
    await p.waitForFunction(() => customElements.get('voice-widget') && window.vw);
    await vw(p, (o) => window.vw.configure(o), { token: mintToken({ secret: SECRET, user, domain: DOMAIN, name: user }), server: sip.wsUrl });
    return p;
  };
  const pia = await open('csp-strict.html', 'pia');
  const quinn = await open('csp-strict.html', 'quinn');
  // The policy is in force: an image from elsewhere is refused, once; a string where script goes throws (Trusted Types).
  await vw(pia, () => {
    new Image().src = 'http://127.0.0.2:9/x.png';
  });
  await pia.waitForFunction(() => window.cspViolations.length > 0);
  assert.equal(await vw(pia, () => window.cspViolations.length), 1, JSON.stringify(await vw(pia, () => window.cspViolations)));
  assert.match(await vw(pia, () => window.cspViolations[0].directive), /^img-src/);
  assert.equal(
    await vw(pia, () => {
      try {
        document.createElement('script').textContent = 'window.inlineRan = true';
        return 'assigned';
      } catch (e) {
        return e.name;
      }
    }),
    'TypeError',
  );
  await sleep(200);
  const baseline = await vw(pia, () => window.cspViolations.length);
  await Promise.all([waitFor(pia, 'ready'), waitFor(quinn, 'ready')]);
  const from = { p: await logLength(pia), q: await logLength(quinn) };
  await connectCall(pia, quinn, 'quinn');
  await vw(pia, () => window.vw.part('keypad-button').click());
  await vw(pia, () => window.vw.el().hangup());
  await waitFor(quinn, 'call-ended', { from: from.q });
  assert.equal(await vw(pia, () => window.cspViolations.length), baseline, 'nothing beyond the deliberate ones');
  assert.deepEqual(await vw(quinn, () => window.cspViolations), []);

  const rae = await open('csp-no-sip.html', 'rae');
  const started = Date.now();
  const error = await waitFor(rae, 'error', { match: { code: 'csp-blocked' }, timeout: 5000 });
  t.diagnostic(`csp-blocked after ${Date.now() - started} ms: ${error.message}`);
  await sleep(6000);
  const violations = await vw(rae, () => window.cspViolations.filter((v) => v.directive.startsWith('connect-src')).length);
  assert.equal(violations, 1, 'one attempt, no retry loop');
  assert.equal(await vw(rae, () => window.vw.el().getState()), 'error');
  assert.equal(await vw(rae, () => window.vw.el().registrationState), 'failed');
});
