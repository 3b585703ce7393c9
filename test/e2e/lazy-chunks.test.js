// Lazy chunks of the script-tag build (src/shared/lazy-chunks.ts): a page that
// uses none downloads none; lang="es" (and click-to-call) load from beside the
// main file under the strict CSP (nonce, Trusted Types) and never show English
// first; with a chunk held back (a slow network, a cold cache), dialog mode
// still opens its popup in the click and the bridge answers what came early.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { en } from '../../dist/element/strings.js';
import { es } from '../../dist/element/strings-es.js';
import { launchBrowser, newIsolatedPage, pageLog } from '../harness/browser.js';
import { REPO_ROOT } from '../harness/bundle-jssip.js';
import { startStaticServer } from '../harness/static-server.js';

let web;
let browser;
/** Files the server holds back until released (path → gate). */
const held = new Map();
function holdBack(path) {
  let release;
  held.set(path, new Promise((resolve) => (release = resolve)));
  return () => {
    held.delete(path);
    release();
  };
}

before(async () => {
  [web, browser] = await Promise.all([
    // The popup page obeys this server's pages (its voice-widget-host-origins).
    startStaticServer({ root: REPO_ROOT, popupHosts: (url) => url, hold: (path) => held.get(path) }),
    launchBrowser({ popupBlocking: true }),
  ]);
});

after(async () => {
  await browser?.close().catch(() => {});
  await web?.stop().catch(() => {});
});

/** Every state of every shadow root the page renders, recorded from before the first render. */
function recordShadowRoots() {
  window.shadowSnapshots = [];
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    new MutationObserver(() => window.shadowSnapshots.push(root.innerHTML)).observe(root, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
    return root;
  };
}

const chunksLoaded = (page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((r) => new URL(r.name).pathname)
      .filter((p) => /voice-widget-[\w-]+\.js$/.test(p))
      .sort(),
  );

async function rendered(page, path) {
  await page.evaluateOnNewDocument(recordShadowRoots);
  await page.goto(web.url + path, { waitUntil: 'load' });
  await page
    .waitForFunction(() => window.vw?.el()?.hasUpdated, { timeout: 15_000 })
    .catch((e) => {
      throw new Error(`${e.message}\n${pageLog(page).join('\n')}`);
    });
  return page.evaluate(() => window.vw.el().updateComplete.then(() => window.vw.el().shadowRoot.innerHTML));
}

test("a page in English that uses no dialog mode, bridge or click-to-call downloads no chunk but its open panel's views", async () => {
  const page = await newIsolatedPage(browser);
  const html = await rendered(page, '/test/e2e/pages/widget.html');
  assert.ok(html.includes(en.closePhone));
  // No call placed: no quality sampler; the panel is open: its settings and recent-calls views are fetched.
  await page.waitForFunction(() => globalThis[Symbol.for('voice-widget.chunks')]?.views, { timeout: 10_000 });
  assert.deepEqual(await chunksLoaded(page), ['/dist/voice-widget-views.js']);
  await page.browserContext().close();
});

test('the settings view on a cold cache: the panel keeps the dialer until the views chunk arrives, then shows it', async () => {
  const release = holdBack('/dist/voice-widget-views.js');
  const page = await newIsolatedPage(browser);
  try {
    await page.goto(`${web.url}/test/e2e/pages/widget.html`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => window.vw?.el()?.hasUpdated, { timeout: 15_000 });
    const shown = () => {
      const root = window.vw.el().shadowRoot;
      return { settings: !!root.querySelector('vw-settings-view'), dialer: !!root.querySelector('vw-dialer-view') };
    };
    await page.evaluate(() => window.vw.el().shadowRoot.querySelector('vw-navigation-view').querySelector('[part~="settings-button"]').click());
    await sleep(300);
    assert.deepEqual(await page.evaluate(shown), { settings: false, dialer: true }, 'the dialer stays while the chunk is held back');
    release();
    await page.waitForFunction(() => window.vw.el().shadowRoot.querySelector('vw-settings-view')?.querySelector('[part~="settings"]'), {
      timeout: 10_000,
    });
  } finally {
    release();
    await page.browserContext().close();
  }
});

test('lang="es" and click-to-call under the strict CSP: their chunks load beside the bundle with no violation, and no English is ever rendered', async () => {
  const page = await newIsolatedPage(browser);
  const html = await rendered(page, '/test/e2e/pages/csp-strict-es.html');
  assert.ok(html.includes(es.closePhone), 'Spanish rendered');
  await page.waitForFunction(() => globalThis[Symbol.for('voice-widget.chunks')]?.['click-to-call'], { timeout: 10_000 });
  await page.waitForFunction(() => globalThis[Symbol.for('voice-widget.chunks')]?.views, { timeout: 10_000 });
  assert.deepEqual(await chunksLoaded(page), ['/dist/voice-widget-click-to-call.js', '/dist/voice-widget-es.js', '/dist/voice-widget-views.js']);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  const snapshots = await page.evaluate(() => window.shadowSnapshots);
  assert.ok(snapshots.length > 0);
  for (const word of [en.closePhone, en.openPhone, en.recentCalls]) {
    assert.equal(
      snapshots.find((s) => s.includes(word)),
      undefined,
      `English "${word}" rendered before the Spanish strings arrived`,
    );
  }
  await page.browserContext().close();
});

/** The element's launcher's dialog state (`closed`, `opening`, `open`, `blocked`). */
const dialogState = () => window.vw.el().shadowRoot.querySelector('[part~="launcher"]').dataset.dialog;

/** A real click (a user gesture) on the host's launcher; resolves once the popup window exists. */
async function clickLauncher(host) {
  const box = await host.evaluate(() => {
    const r = window.vw.el().shadowRoot.querySelector('[part~="launcher"]').getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  });
  const popup = browser.waitForTarget((t) => t.url().includes('/dist/voice-widget-popup.html'), { timeout: 10_000 });
  await host.mouse.click(box.x, box.y);
  await popup;
}

test('dialog mode on a cold cache: a click before the dialog chunk arrives opens the popup in that click, and the chunk takes it over', async () => {
  const release = holdBack('/dist/voice-widget-dialog.js');
  const host = await newIsolatedPage(browser);
  try {
    // Every window.open: inside the click's dispatch? with the dialog chunk loaded yet?
    await host.evaluateOnNewDocument(() => {
      window.opens = [];
      // While a click is dispatched (window.event is unset for targets in a shadow root).
      let inClick = false;
      addEventListener('click', () => (inClick = true), true);
      addEventListener('click', () => (inClick = false));
      const open = window.open;
      window.open = function (...args) {
        window.opens.push({ inClick, chunk: !!globalThis[Symbol.for('voice-widget.chunks')]?.dialog });
        return open.apply(this, args);
      };
    });
    // Not 'load': the held chunk's script holds the load event back.
    await host.goto(`${web.url}/test/e2e/pages/dialog-host.html`, { waitUntil: 'domcontentloaded' });
    await host.waitForFunction(() => window.vw?.el()?.hasUpdated, { timeout: 15_000 });
    await clickLauncher(host);
    assert.deepEqual(await host.evaluate(() => window.opens), [{ inClick: true, chunk: false }]);
    assert.equal(await host.evaluate(dialogState), 'opening');
    release();
    await host
      .waitForFunction(() => window.vw.el().shadowRoot.querySelector('[part~="launcher"]').dataset.dialog === 'open', { timeout: 15_000 })
      .catch(async (e) => {
        const seen = await host.evaluate(() => JSON.stringify(window.vw.log.map((l) => [l.type, l.detail?.code])));
        throw new Error(`${e.message}\n${seen}\n${pageLog(host).join('\n')}`);
      });
    assert.deepEqual(await chunksLoaded(host), ['/dist/voice-widget-dialog.js']);
    assert.equal(await host.evaluate(() => window.opens.length), 1, 'one window.open, in the click');
  } finally {
    release();
    await host.browserContext().close();
  }
});

test('dialog mode: a dialog chunk that cannot load fires error chunk-failed; the popup opened in the click waits, and the next try takes it over', async () => {
  const host = await newIsolatedPage(browser);
  let failing = true;
  await host.setRequestInterception(true);
  host.on('request', (r) => {
    if (failing && new URL(r.url()).pathname === '/dist/voice-widget-dialog.js') void r.respond({ status: 404, contentType: 'text/plain', body: 'Not Found' });
    else void r.continue();
  });
  const chunkErrors = () => host.evaluate(() => window.vw.events('error').filter((d) => d.code === 'chunk-failed'));
  try {
    await host.goto(`${web.url}/test/e2e/pages/dialog-host.html`, { waitUntil: 'load' });
    // The prefetch fails: said once, not retried on every update.
    await host.waitForFunction(() => window.vw.events('error').some((d) => d.code === 'chunk-failed'), { timeout: 15_000 });
    const [first] = await chunkErrors();
    assert.match(first.message, /voice-widget-dialog\.js/);
    await clickLauncher(host);
    // The click's own try fails too; the popup it opened is kept, waiting.
    await host.waitForFunction(() => window.vw.events('error').filter((d) => d.code === 'chunk-failed').length === 2, { timeout: 10_000 });
    assert.equal(await host.evaluate(dialogState), 'opening');
    failing = false;
    assert.equal(await host.evaluate(() => window.vw.el().show()), true);
    await host
      .waitForFunction(() => window.vw.el().shadowRoot.querySelector('[part~="launcher"]').dataset.dialog === 'open', { timeout: 15_000 })
      .catch(async (e) => {
        const seen = await host.evaluate(() => JSON.stringify(window.vw.log.map((l) => [l.type, l.detail?.code])));
        throw new Error(`${e.message}\n${seen}\n${pageLog(host).join('\n')}`);
      });
    assert.equal((await chunkErrors()).length, 2);
    assert.equal(await host.evaluate(() => window.vw.events('dialog-open').length), 1);
  } finally {
    await host.browserContext().close();
  }
});

test('iframe bridge: a command the parent sends before the bridge chunk arrives is answered once it does', async () => {
  const release = holdBack('/dist/voice-widget-bridge.js');
  const parentOrigin = web.url.replace('127.0.0.1', 'localhost');
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    await page.goto(`${parentOrigin}/test/e2e/pages/bridge-host.html`, { waitUntil: 'load' });
    const src = `${web.url}/test/e2e/pages/bridge-frame.html#${new URLSearchParams({ origins: parentOrigin })}`;
    await page.evaluate((frameSrc) => {
      window.answers = [];
      addEventListener('message', (e) => e.data?.type === 'response' && window.answers.push(e.data));
      const frame = document.createElement('iframe');
      frame.src = frameSrc;
      document.body.append(frame);
    }, src);
    let frame;
    for (let i = 0; i < 100 && !(frame = page.frames().find((f) => f.url().startsWith(`${web.url}/`))); i++) await sleep(100);
    assert.ok(frame, 'the widget frame');
    // The frame's page sets bridge-origins at DOMContentLoaded, which may come after the
    // element's first update: wait for the update that saw it (the bridge listens from then).
    await frame.waitForFunction(
      async () => {
        const el = window.vw?.el();
        if (!el?.hasUpdated || !el.bridgeOrigins) return false;
        await el.updateComplete;
        return true;
      },
      { timeout: 15_000 },
    );
    const send = (requestId) =>
      page.evaluate(
        (id, origin) =>
          document
            .querySelector('iframe')
            .contentWindow.postMessage({ protocol: 'voice-widget', version: 1, type: 'command', name: 'hello', requestId: id, payload: { args: [] } }, origin),
        requestId,
        web.url,
      );
    await send('early');
    await frame.waitForFunction(() => window.bridgeSeen >= 1, { timeout: 5_000 });
    assert.equal(await frame.evaluate(() => !!globalThis[Symbol.for('voice-widget.chunks')]?.bridge), false, 'the chunk was still held back');
    assert.deepEqual(await page.evaluate(() => window.answers), []);
    release();
    await page.waitForFunction(() => window.answers.length > 0, { timeout: 10_000 });
    const [answer] = await page.evaluate(() => window.answers);
    assert.equal(answer.requestId, 'early');
    assert.equal(answer.payload.ok, true);
    assert.equal(answer.payload.result.version, 1);
  } finally {
    release();
    await context.close();
  }
});
