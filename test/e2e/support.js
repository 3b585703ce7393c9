// What the e2e suites share: a static server and a browser started before a
// suite and stopped after it, tokens signed with the suite's secret, pages of
// the widget (test/e2e/pages/widget.html and its `window.vw`), waiting for
// their events, and the logs added to a failure.
//
// `web`, `browser` and `pages` are live bindings set by the hooks `e2eSuite()`
// registers: each test file runs in its own process, so one suite a module.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { mintToken } from '../../dist/node/index.js';
import { launchBrowser, newIsolatedPage } from '../harness/browser.js';
import { REPO_ROOT } from '../harness/bundle-jssip.js';
import { startStaticServer } from '../harness/static-server.js';

/** The SIP domain of every suite's tokens; deliberately unresolvable, the servers must not care. */
export const DOMAIN = 'voice.test';
/** The page with one widget and `window.vw` (configure, log, waitFor, events). */
export const WIDGET_PAGE = '/test/e2e/pages/widget.html';

/** `alice` → `Alice`: the display name most suites give a user. */
export const capitalised = (user) => user[0].toUpperCase() + user.slice(1);

/** The suite's static server (REPO_ROOT), browser and the pages `openPage` opened. */
export let web;
export let browser;
export const pages = [];

let signing = { secret: '', name: capitalised };

/**
 * Registers the hooks that start the static server and the browser, then run
 * the suite's own `setup`, and after the suite run its `teardown`, then close
 * every page opened through `openPage`, the browser and the server. (Root-level
 * hooks may run concurrently, so a suite's setup that needs `web` or `browser`
 * goes here rather than in a `before` of its own.)
 * @param {object} opts
 * @param {string} opts.secret the secret the suite's SIP server and tokens share
 * @param {(user: string) => string} [opts.name] display name of a user's token
 * @param {Parameters<typeof launchBrowser>[0]} [opts.launch] Chromium options
 * @param {Parameters<typeof startStaticServer>[0]} [opts.serve] static server options (root is the repository)
 * @param {() => Promise<void>} [opts.setup] the suite's servers, started after the browser and the static server
 * @param {() => Promise<void>} [opts.teardown] stops them
 */
export function e2eSuite({ secret, name = capitalised, launch, serve, setup, teardown }) {
  signing = { secret, name };
  before(async () => {
    web = await startStaticServer({ root: REPO_ROOT, ...serve });
    browser = await launchBrowser(launch);
    await setup?.();
  });
  after(async () => {
    try {
      await teardown?.();
    } finally {
      await closePages(pages);
      await browser?.close().catch(() => {});
      await web?.stop().catch(() => {});
    }
  });
}

/** A token for `user`, signed with the suite's secret; `opts` go to `mintToken` (ttl, callerIds, name, …). */
export const token = (user, opts = {}) => mintToken({ secret: signing.secret, user, domain: DOMAIN, name: signing.name(user), ...opts });

/** Runs `fn(...args)` in the page (the widget page's `window.vw` is there). */
export const vw = (page, fn, ...args) => page.evaluate(fn, ...args);
/** Resolves with the detail of the page's next `type` event (see `window.vw.waitFor`: from, match, timeout). */
export const waitFor = (page, type, opts = {}) => vw(page, (t, o) => window.vw.waitFor(t, o), type, opts);
/** How many events the page has logged: a `from` for `waitFor` and `count`. */
export const logLength = (page) => vw(page, () => window.vw.log.length);
/** How many `type` events the page logged since `from`. */
export const count = (page, type, from = 0) => vw(page, (t, f) => window.vw.log.slice(f).filter((e) => e.type === t).length, type, from);
/** The details of the `type` events the page logged since `from`. */
export const detailsSince = (page, type, from = 0) =>
  vw(
    page,
    (t, f) =>
      window.vw.log
        .slice(f)
        .filter((e) => e.type === t)
        .map((e) => e.detail),
    type,
    from,
  );
/** The details of every `type` event the page logged. */
export const events = (page, type) => vw(page, (t) => window.vw.events(t), type);

/**
 * A new isolated page (its own browser context) at `path` on the suite's
 * server, once its widget and `window.vw` are defined.
 * @param {string} [path]
 * @param {(page: import('puppeteer-core').Page) => Promise<unknown>} [prepare] runs before the page loads (a viewport, say)
 */
export async function openPage(path = WIDGET_PAGE, prepare) {
  const page = await newIsolatedPage(browser);
  pages.push(page);
  await prepare?.(page);
  await page.goto(web.url + path, { waitUntil: 'load' });
  await page.waitForFunction(() => customElements.get('voice-widget') && window.vw);
  return page;
}

/**
 * Configures the widget page as `user` on `server` (a WebSocket URL); the rest
 * of `options` goes to `window.vw.configure` (dtmfMode, …).
 * @param {import('puppeteer-core').Page} page
 * @param {string} user
 * @param {{ server: string, tokenOptions?: object } & Record<string, unknown>} options
 */
export async function configurePhone(page, user, { server, tokenOptions, ...options }) {
  await vw(page, (o) => window.vw.configure(o), { token: token(user, tokenOptions), server, ...options });
}

/**
 * A widget page configured as `user` (see `configurePhone`), and registered
 * when `ready` is set; `configure: false` only opens the page.
 * @param {string} user
 * @param {{ server: string, tokenOptions?: object, ready?: boolean, configure?: boolean } & Record<string, unknown>} options
 */
export async function openPhone(user, { ready = false, configure = true, ...options }) {
  const page = await openPage();
  if (!configure) return page;
  await configurePhone(page, user, options);
  if (ready) await waitFor(page, 'ready');
  return page;
}

/**
 * `caller` calls `number` (the user of the page `callee`) and `callee` answers; resolves with the call's id once the
 * caller's call is in progress, and with `audio` once sound has arrived there (polled every `polling` ms).
 * @param {import('puppeteer-core').Page} caller
 * @param {import('puppeteer-core').Page} callee
 * @param {string} number
 * @param {{ audio?: boolean, polling?: number }} [options]
 * @returns {Promise<string>}
 */
export async function connectCall(caller, callee, number, { audio = false, polling = 100 } = {}) {
  const from = { caller: await logLength(caller), callee: await logLength(callee) };
  assert.equal(await vw(caller, (n) => window.vw.el().call(n), number), true);
  await waitFor(callee, 'call-received', { from: from.callee });
  await vw(callee, () => window.vw.el().answer());
  const { id } = await waitFor(caller, 'state-change', { from: from.caller, match: { state: 'in-progress' } });
  if (audio) await caller.waitForFunction(async () => (await window.vw.inboundAudioBytes()) > 0, { polling });
  return id;
}

/** Whether the page's received audio grows over 600 ms (the call's media flows). */
export async function audioRising(page) {
  const first = await vw(page, () => window.vw.inboundAudioBytes());
  await sleep(600);
  return (await vw(page, () => window.vw.inboundAudioBytes())) > first;
}

/** Closes each page's browser context; a page already gone is no error. */
export async function closePages(list) {
  for (const page of list)
    await page
      .browserContext()
      .close()
      .catch(() => {});
}

/** The last `n` characters of a log. */
const tail = (text, n) => (text.length > n ? `…${text.slice(-n)}` : text);

/**
 * Runs `fn`; on failure, adds each log `logs()` names to the error's message
 * (`[title, text, keep]`: the last `keep` characters) and runs `cleanup` (leave
 * no call behind for the next test) before rethrowing.
 * @param {() => Promise<T>} fn
 * @param {() => Array<[string, string | undefined, number?]>} logs
 * @param {() => Promise<unknown>} [cleanup]
 * @returns {Promise<T>}
 * @template T
 */
export async function withLogs(fn, logs, cleanup) {
  try {
    return await fn();
  } catch (err) {
    for (const [title, text, keep = Infinity] of logs()) err.message += `\n--- ${title} ---\n${tail(text ?? '', keep)}`;
    await cleanup?.().catch(() => {});
    throw err;
  }
}

/** axe-core's script, for pages that must inject it themselves. */
export const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs the axe accessibility audit on the widget as it is shown now; returns the violations. */
export async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    await window.vw.el().updateComplete;
    const { violations } = await window.axe.run(window.vw.el());
    return violations.map((v) => `${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}
