#!/usr/bin/env node
// Screenshots of the widget's states in headless Chromium, through a real
// Kamailio, in three themes: the built-in light and dark, and the Wavix
// documentation's dark theme file loaded as it is with custom-styles.
// `npm run screenshots` writes PNGs to .tmp/screenshots/<theme>/; name themes
// to render only those (`npm run screenshots -- dark`). `--comfort` renders the
// agent-comfort states (do-not-disturb, auto-answer, volumes, caller lookup)
// into docs/screenshots/<theme>-*.png instead.
import { mkdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { mintToken } from '../dist/node/index.js';
import { launchBrowser, newIsolatedPage, withoutGesture } from '../test/harness/browser.js';
import { startKamailio } from '../test/harness/kamailio.js';
import { startStaticServer } from '../test/harness/static-server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'screenshot-secret-0123456789';
const DOMAIN = 'voice.test';

/** Theme name → how a page applies it. */
const THEMES = {
  light: {},
  dark: { theme: 'dark', background: '#1d2025' },
  wavix: { 'custom-styles': '/test/e2e/pages/wavix-dark.css', background: '#1d2025' },
};
const chosen = process.argv.slice(2).filter((name) => name in THEMES);
const comfort = process.argv.includes('--comfort');

const web = await startStaticServer({ root: ROOT });
const browser = await launchBrowser();
const shots = [];
let kam;
let OUT;
let themeAttrs = {};

async function phone(user, attrs = {}) {
  const page = await newIsolatedPage(browser);
  await page.setViewport({ width: 320, height: 520, deviceScaleFactor: 2 });
  await page.goto(`${web.url}/test/e2e/pages/widget.html`);
  await page.waitForFunction(() => window.vw && customElements.get('voice-widget'));
  const { background = '#eef0f3', ...theme } = themeAttrs;
  await page.addStyleTag({ content: `body{margin:0;padding:24px;background:${background}}` });
  await page.evaluate((a) => Object.entries(a).forEach(([k, v]) => window.vw.el().setAttribute(k, v)), { ...theme, ...attrs });
  if (theme['custom-styles']) await page.waitForFunction(() => window.vw.el().shadowRoot.querySelector('link')?.sheet);
  return page;
}
const register = (page, user) =>
  page.evaluate((o) => window.vw.configure(o), {
    token: mintToken({ secret: SECRET, user, domain: DOMAIN, name: user[0].toUpperCase() + user.slice(1) }),
    server: kam.wsUrl,
  });

async function shot(page, name) {
  await sleep(150); // let the frame settle (fonts, transitions)
  const file = `${OUT}${name}.png`;
  await page.screenshot({ path: file });
  shots.push(file);
}

async function scenario(name) {
  themeAttrs = THEMES[name];
  OUT = fileURLToPath(new URL(comfort ? `../docs/screenshots/${name}-` : `../.tmp/screenshots/${name}/`, import.meta.url));
  await mkdir(comfort ? fileURLToPath(new URL('../docs/screenshots/', import.meta.url)) : OUT, { recursive: true });
  kam = await startKamailio({ secret: SECRET });
  try {
    await (comfort ? comfortStates() : states());
  } finally {
    await kam.stop().catch(() => {});
    for (const context of browser.browserContexts()) if (context !== browser.defaultBrowserContext()) await context.close().catch(() => {});
  }
}

async function states() {
  const closed = await phone('x');
  await closed.evaluate(() => window.vw.el().removeAttribute('open'));
  await shot(closed, '00-launcher');

  const loading = await phone('x');
  await shot(loading, '01-loading');

  const alice = await phone('alice');
  const bob = await phone('bob');
  await Promise.all([register(alice, 'alice'), register(bob, 'bob')]);
  await alice.evaluate(() => window.vw.waitFor('ready'));
  await bob.evaluate(() => window.vw.waitFor('ready'));
  await alice.evaluate(() => {
    const input = window.vw.el().shadowRoot.querySelector('[part~="number"]');
    input.value = '+1 555 010';
    input.dispatchEvent(new Event('input'));
  });
  await shot(alice, '02-ready-typing');

  await alice.evaluate(() => window.vw.el().call('bob'));
  await alice.evaluate(() => window.vw.waitFor('state-change', { match: { state: 'ringing' } }));
  await shot(alice, '03-outgoing-ringing');
  await bob.evaluate(() => window.vw.waitFor('call-received'));
  await shot(bob, '04-incoming');

  await bob.evaluate(() => window.vw.el().answer());
  await alice.evaluate(() => window.vw.waitFor('state-change', { match: { state: 'in-progress' } }));
  await sleep(2200);
  await shot(alice, '05-in-call');
  // The network goes away mid-call: the call recovers ("Reconnecting…") once it is back.
  await alice.setOfflineMode(true);
  await alice.evaluate(() => window.vw.waitFor('call-reconnecting'));
  await shot(alice, '05b-reconnecting');
  await alice.setOfflineMode(false);
  await alice.evaluate(() => window.vw.waitFor('call-reconnected'));
  await alice.evaluate(() => window.vw.el().shadowRoot.querySelector('[part~="keypad-button"]').click());
  await shot(alice, '06-in-call-keypad');

  await alice.evaluate(() => window.vw.el().shadowRoot.querySelector('[part~="keypad-button"]').click());
  await alice.evaluate(() => window.vw.el().mute());
  await alice.evaluate(() => window.vw.el().hold());
  await alice.evaluate(() => window.vw.waitFor('hold-change'));
  await shot(alice, '06b-muted-on-hold');
  await shot(bob, '06c-held-by-other');
  await alice.evaluate(() => window.vw.el().unhold());
  await alice.evaluate(() => window.vw.waitFor('hold-change', { match: { held: false } }));
  await alice.evaluate(() => window.vw.el().unmute());

  // A second call while talking to Bob.
  const carol = await phone('carol');
  await register(carol, 'carol');
  await carol.evaluate(() => window.vw.waitFor('ready'));
  await carol.evaluate(() => window.vw.el().call('alice'));
  await alice.evaluate(() => window.vw.waitFor('call-received', { from: window.vw.log.length - 1 }).catch(() => {}));
  await sleep(700);
  await shot(alice, '06e-second-call');
  await alice.evaluate(() => window.vw.el().reject());
  await sleep(300);
  await alice.evaluate(async () => {
    window.vw.el().shadowRoot.querySelector('[part~="transfer-button"]').click();
    await window.vw.el().updateComplete;
  });
  await shot(alice, '06d-transfer');
  // Alice transfers Bob to Carol: Bob (refer-policy="ask") is asked.
  await alice.evaluate(() => window.vw.el().transfer('carol'));
  await bob.evaluate(() => window.vw.waitFor('transfer-requested'));
  await shot(bob, '06f-transfer-request');
  await bob.evaluate(() => window.vw.el().declineTransfer());
  await alice.evaluate(() => window.vw.waitFor('transfer'));

  await bob.evaluate(() => window.vw.el().hangup());
  await alice.evaluate(() => window.vw.waitFor('call-ended'));
  await shot(alice, '07-ended');

  await alice.evaluate(() => window.vw.el().call('carol'));
  await alice.evaluate(() => window.vw.waitFor('call-ended', { match: { cause: 'unavailable' } }).catch(() => window.vw.waitFor('call-ended')));
  await shot(alice, '08-unavailable');

  // A call Bob misses: the launcher counts it; the history lists it.
  await bob.evaluate(() => window.vw.el().removeAttribute('open'));
  await alice.evaluate(() => window.vw.el().call('bob'));
  await bob.evaluate(() => window.vw.waitFor('call-received', { from: window.vw.log.length - 1 }).catch(() => {}));
  await sleep(500);
  await alice.evaluate(() => window.vw.el().hangup());
  await sleep(500);
  await shot(bob, '11-launcher-missed');
  await alice.evaluate(async () => {
    window.vw.el().shadowRoot.querySelector('[part~="history-button"]').click();
    await window.vw.el().updateComplete;
  });
  await shot(alice, '12-history');

  // Settings, with notifications allowed and switched on.
  await alice.evaluate(async () => {
    window.vw.el().shadowRoot.querySelector('[part~="history-button"]').click();
    window.vw.el().shadowRoot.querySelector('[part~="settings-button"]').click();
  });
  await alice.browserContext().overridePermissions(web.url, ['notifications']);
  await alice.waitForFunction(() => window.vw.el().shadowRoot.querySelectorAll('[part~="device-select"]').length === 3);
  await (await alice.evaluateHandle(() => window.vw.el().shadowRoot.querySelector('[part~="switch"]'))).click();
  await shot(alice, '14-settings');

  // A browser that blocks sound until a click: the call rings on screen, with the prompt.
  const strict = await launchBrowser({ without: ['--autoplay-policy=no-user-gesture-required'] });
  try {
    const erin = await newIsolatedPage(strict);
    await erin.setViewport({ width: 320, height: 520, deviceScaleFactor: 2 });
    await erin.goto(`${web.url}/test/e2e/pages/widget.html`);
    // puppeteer's evaluate() counts as a user gesture, which unlocks audio.
    const quiet = (await withoutGesture(erin)).raw;
    const erinToken = mintToken({ secret: SECRET, user: 'erin', domain: DOMAIN, name: 'Erin' });
    const { background = '#eef0f3', ...theme } = themeAttrs;
    await quiet(`document.body.style.cssText='margin:0;padding:24px;background:${background}'`);
    await quiet(`Object.entries(${JSON.stringify(theme)}).forEach(([k, v]) => window.vw.el().setAttribute(k, v))`);
    await quiet(`window.vw.configure(${JSON.stringify({ token: erinToken, server: kam.wsUrl })}), window.vw.waitFor('ready')`);
    await alice.evaluate(() => window.vw.el().call('erin'));
    await quiet(`window.vw.waitFor('audio-blocked')`);
    await shot(erin, '15-incoming-sound-blocked');
    await alice.evaluate(() => window.vw.el().hangup());
  } finally {
    await strict.close();
  }

  // The shipped stylesheet themes/dark.css, linked from the page (the third way to theme).
  if (themeAttrs === THEMES.dark) {
    const linked = await phone('dora', { theme: 'light' });
    await linked.addStyleTag({ url: `${web.url}/themes/dark.css` });
    await register(linked, 'dora');
    await linked.evaluate(() => window.vw.waitFor('ready'));
    await shot(linked, '10-themes-dark-css-linked');
  }

  const spanish = await phone('x', { lang: 'es', dir: 'rtl' });
  await shot(spanish, '13-spanish-rtl');

  const bad = await phone('x');
  await bad.evaluate((s) => window.vw.configure({ token: 'garbage', server: s }), kam.wsUrl);
  await shot(bad, '09-error-token');
}

/** The agent-comfort states: do-not-disturb, auto-answer, the volumes, and a caller looked up in the host's CRM. */
async function comfortStates() {
  const alice = await phone('alice');
  const bob = await phone('bob');
  await Promise.all([register(alice, 'alice'), register(bob, 'bob')]);
  await alice.evaluate(() => window.vw.waitFor('ready'));
  await bob.evaluate(() => window.vw.waitFor('ready'));
  const contact = { name: 'Alice Liddell', detail: 'Wonderland Ltd', avatarUrl: '/test/e2e/pages/avatar.png', url: 'https://crm.example/contacts/alice' };
  await bob.evaluate((c) => (window.vw.el().resolveContact = async (number) => (number === 'alice' ? c : null)), contact);
  const wait = (page, type, match) => page.evaluate((t, m) => window.vw.waitFor(t, { from: window.vw.log.length, match: m }), type, match);

  let next = wait(bob, 'call-received');
  await alice.evaluate(() => window.vw.el().call('bob'));
  await next;
  await bob.waitForFunction(() => window.vw.el().shadowRoot.querySelector('img[part~="contact-avatar"]')?.complete);
  await shot(bob, 'contact-incoming');
  next = wait(bob, 'state-change', { state: 'in-progress' });
  await bob.evaluate(() => window.vw.el().answer());
  await next;
  await sleep(2200);
  await shot(bob, 'contact-in-call');
  next = wait(bob, 'call-ended');
  await alice.evaluate(() => window.vw.el().hangup());
  await next;
  await bob.evaluate(() => window.vw.el().shadowRoot.querySelector('[part~="history-button"]').click());
  await shot(bob, 'contact-history');
  await bob.evaluate(() => window.vw.el().shadowRoot.querySelector('[part~="dialer-button"]').click());

  await bob.evaluate(() => window.vw.el().setDnd(true));
  await shot(bob, 'dnd-status');
  await bob.evaluate(() => window.vw.el().shadowRoot.querySelector('[part~="settings-button"]').click());
  await bob.evaluate(() => window.vw.el().setVolume('ring', 0.6));
  await bob.waitForFunction(() => window.vw.el().shadowRoot.querySelectorAll('[part~="volume"]').length === 2);
  await shot(bob, 'settings-dnd-volume');
  await bob.evaluate(() => {
    window.vw.el().setDnd(false);
    window.vw.el().shadowRoot.querySelector('[part~="settings-button"]').click();
  });

  await bob.evaluate(() => window.vw.el().setAttribute('auto-answer', 'always'));
  next = wait(bob, 'state-change', { state: 'in-progress' });
  await alice.evaluate(() => window.vw.el().call('bob'));
  await next;
  await sleep(1200);
  await shot(bob, 'auto-answered');
  await alice.evaluate(() => window.vw.el().hangup());
}

try {
  for (const name of chosen.length > 0 ? chosen : Object.keys(THEMES)) await scenario(name);
  console.log(shots.join('\n'));
} finally {
  await browser.close().catch(() => {});
  await web.stop().catch(() => {});
}
