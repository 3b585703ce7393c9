// The npm build (dist/index.js, untrimmed JsSIP as an import) places a call, so
// both builds are proven: the other e2e suites load the script-tag file, whose
// JsSIP is trimmed at build time (build/jssip-trims).
import assert from 'node:assert/strict';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { mintToken } from '../../dist/node/index.js';
import { launchBrowser, newIsolatedPage, pageLog } from '../harness/browser.js';
import { bundleJsSIP, REPO_ROOT } from '../harness/bundle-jssip.js';
import { startSipServer } from '../harness/sip-servers.js';
import { startStaticServer } from '../harness/static-server.js';

const SECRET = 'npm-build-e2e-secret-0123456789';
const DOMAIN = 'voice.test';

let web;
let browser;
let sip;

before(async () => {
  // Reused while the JsSIP version is unchanged (as the bare-JsSIP page's bundle is).
  const file = path.join(REPO_ROOT, 'test/e2e/pages/generated/jssip.esm.js');
  const { version } = createRequire(import.meta.url)('jssip/package.json');
  const banner = `/* JsSIP ${version} as an ES module for voice-widget e2e tests (generated) */`;
  const head = await readFile(file, 'utf8').then(
    (s) => s.slice(0, banner.length),
    () => '',
  );
  if (head !== banner) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(`${file}.${process.pid}.tmp`, await bundleJsSIP({ format: 'es', banner }));
    await rename(`${file}.${process.pid}.tmp`, file);
  }
  [web, browser, sip] = await Promise.all([
    startStaticServer({ root: REPO_ROOT, allow: ['/dist/', '/node_modules/', '/test/e2e/pages/'] }),
    launchBrowser(),
    startSipServer('embedded', { secret: SECRET, domain: DOMAIN }),
  ]);
});

after(async () => {
  await browser?.close().catch(() => {});
  await web?.stop().catch(() => {});
  await sip?.stop().catch(() => {});
});

async function openPhone(user) {
  const page = await newIsolatedPage(browser);
  await page.goto(`${web.url}/test/e2e/pages/npm-build.html`, { waitUntil: 'load' });
  await page
    .waitForFunction(() => customElements.get('voice-widget') && window.vw, { timeout: 20_000 })
    .catch((e) => {
      throw new Error(`${e.message}\n${pageLog(page).join('\n')}`);
    });
  await page.evaluate((o) => window.vw.configure(o), { token: mintToken({ secret: SECRET, user, domain: DOMAIN, name: user }), server: sip.wsUrl });
  await page.evaluate(() => window.vw.waitFor('ready'));
  return page;
}

test('the npm build (dist/index.js as ES modules) registers, calls, carries audio both ways and hangs up', async () => {
  const [alice, bob] = await Promise.all([openPhone('alice'), openPhone('bob')]);
  // Loaded as modules from dist/index.js, not the script-tag file.
  assert.equal(await alice.evaluate(() => [...document.scripts].some((s) => /voice-widget\.min\.js/.test(s.src))), false);
  assert.equal(await alice.evaluate(() => window.vw.el().call('bob')), true);
  await bob.evaluate(() => window.vw.waitFor('call-received'));
  assert.equal(await bob.evaluate(() => window.vw.el().answer()), true);
  for (const page of [alice, bob]) {
    await page.evaluate(() => window.vw.waitFor('state-change', { match: { state: 'in-progress' } }));
    await page.waitForFunction(async () => (await window.vw.inboundAudioBytes()) > 0, { timeout: 10_000, polling: 100 });
    const first = await page.evaluate(() => window.vw.inboundAudioBytes());
    await sleep(500);
    assert.ok((await page.evaluate(() => window.vw.inboundAudioBytes())) > first, 'audio keeps arriving');
  }
  assert.equal(await alice.evaluate(() => window.vw.el().hangup()), true);
  await bob.evaluate(() => window.vw.waitFor('call-ended'));
});
