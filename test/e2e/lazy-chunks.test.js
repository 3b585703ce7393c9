// Lazy chunks of the script-tag build (src/shared/lazy-chunks.ts): a page that
// uses none downloads none; lang="es" loads the Spanish chunk from beside the
// main file under the strict CSP (nonce, Trusted Types) and never shows English first.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { en } from '../../dist/element/strings.js';
import { es } from '../../dist/element/strings-es.js';
import { launchBrowser, newIsolatedPage, pageLog } from '../harness/browser.js';
import { REPO_ROOT } from '../harness/bundle-jssip.js';
import { startStaticServer } from '../harness/static-server.js';

let web;
let browser;

before(async () => {
  [web, browser] = await Promise.all([startStaticServer({ root: REPO_ROOT }), launchBrowser()]);
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
      .filter((p) => /voice-widget-\w+\.js$/.test(p)),
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

test('a page in English downloads no chunk', async () => {
  const page = await newIsolatedPage(browser);
  const html = await rendered(page, '/test/e2e/pages/widget.html');
  assert.ok(html.includes(en.closePhone));
  assert.deepEqual(await chunksLoaded(page), []);
  await page.browserContext().close();
});

test('lang="es" under the strict CSP: the Spanish chunk loads beside the bundle with no violation, and no English is ever rendered', async () => {
  const page = await newIsolatedPage(browser);
  const html = await rendered(page, '/test/e2e/pages/csp-strict-es.html');
  assert.ok(html.includes(es.closePhone), 'Spanish rendered');
  assert.deepEqual(await chunksLoaded(page), ['/dist/voice-widget-es.js']);
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
