// `npm start` and the token service end to end: the demo comes up with two
// registered phones; a revoked token disconnects its widget; a page whose
// origin the token does not allow never registers; CLI tokens work on both
// SIP servers.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

import { startDevServer } from '../../dist/node/index.js';
import { launchBrowser, newIsolatedPage } from '../harness/browser.js';
import { REPO_ROOT } from '../harness/bundle-jssip.js';
import { startSipServer } from '../harness/sip-servers.js';
import { closePages } from './support.js';

const PAGE = '/test/e2e/pages/widget.html';
const run = promisify(execFile);

let browser;
let stateDir;
let dev;
const pages = [];

before(async () => {
  browser = await launchBrowser();
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'voice-widget-dev-'));
  dev = await startDevServer({ root: REPO_ROOT, stateDir, port: 0, sipPort: 0, static: ['/dist/', '/test/e2e/pages/'] });
});

after(async () => {
  await closePages(pages);
  await browser?.close().catch(() => {});
  await dev?.stop().catch(() => {});
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

async function api(method, url, body) {
  const res = await fetch(`${dev.url}${url}`, {
    method,
    headers: { Authorization: `Bearer ${dev.secrets.apiKey}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function openWidget(baseUrl, { token, server }) {
  const page = await newIsolatedPage(browser);
  pages.push(page);
  await page.goto(baseUrl + PAGE);
  await page.waitForFunction(() => window.vw && customElements.get('voice-widget'));
  await page.evaluate((o) => window.vw.configure(o), { token, server });
  return page;
}
const waitFor = (page, type, opts = {}) => page.evaluate((t, o) => window.vw.waitFor(t, o), type, opts);
const events = (page, type) => page.evaluate((t) => window.vw.events(t), type);

describe('token service and the embedded SIP server', () => {
  test('a token from the REST API registers; DELETE disconnects the widget with token-expired revoked', async (t) => {
    const created = await api('POST', '/v1/tokens', { sip_user: 'carol', name: 'Carol', ttl: 600, allowed_domains: ['127.0.0.1'] });
    assert.equal(created.status, 201);
    const page = await openWidget(dev.url, { token: created.body.token, server: dev.sipUrl });
    await waitFor(page, 'ready');
    assert.deepEqual(dev.sip.registrations().carol, 1);

    const revokedAt = Date.now();
    assert.equal((await api('DELETE', `/v1/tokens/${created.body.uuid}`)).status, 200);
    await waitFor(page, 'token-expired', { timeout: 3000 }); // the deadline is 1 s; asserted at 3×
    const ms = Date.now() - revokedAt;
    t.diagnostic(`DELETE → token-expired {reason: 'revoked'} in the page: ${ms} ms`);
    assert.ok(ms < 3000);
    assert.deepEqual(await events(page, 'token-expired'), [{ reason: 'revoked' }]);
    assert.equal(dev.sip.registrations().carol, undefined);
    assert.equal(await page.evaluate(() => window.vw.el().getState()), 'error');
    await sleep(2500); // no reconnect-and-retry loop behind it
    assert.equal(dev.sip.registrations().carol, undefined);
    assert.equal((await events(page, 'token-expired')).length, 1);
    // A reloaded page with the revoked token is refused too.
    const again = await openWidget(dev.url, { token: created.body.token, server: dev.sipUrl });
    assert.deepEqual(await waitFor(again, 'token-expired'), { reason: 'revoked' });
  });

  test('a page whose origin the token does not allow gets origin-not-allowed and never registers', async () => {
    const created = await api('POST', '/v1/tokens', { sip_user: 'dan', allowed_domains: ['example.com'] });
    assert.equal(created.status, 201);
    const page = await openWidget(dev.url, { token: created.body.token, server: dev.sipUrl });
    const error = await waitFor(page, 'error', { match: { code: 'origin-not-allowed' } });
    assert.match(error.message, /origin/);
    await sleep(1000);
    const states = (await events(page, 'registration-change')).map((r) => r.state);
    assert.ok(!states.includes('registered'), JSON.stringify(states));
    assert.equal(await page.evaluate(() => window.vw.el().getState()), 'error');
    assert.equal(dev.sip.registrations().dan, undefined);
    assert.deepEqual(await events(page, 'token-expired'), []);
  });

  test('a subdomain of an allowed domain, and localhost only when listed', async () => {
    const { originAllowed } = await import('../../dist/node/index.js');
    assert.equal(originAllowed('https://app.example.com', ['example.com']), true);
    assert.equal(originAllowed('https://example.com:8443', ['example.com']), true);
    assert.equal(originAllowed('https://badexample.com', ['example.com']), false);
    assert.equal(originAllowed('http://localhost:8080', ['example.com']), false);
    assert.equal(originAllowed('http://localhost:8080', ['localhost']), true);
    assert.equal(originAllowed(null, ['example.com']), false);
    assert.equal(originAllowed(null, []), true);
  });

  test("VOICE_WIDGET_POPUP_HOSTS is served as the popup page's host list; unset, the page as built; a list with a non-origin stops the start", async () => {
    const popupPath = '/dist/voice-widget-popup.html';
    const built = await (await fetch(`${dev.url}${popupPath}`)).text();
    assert.ok(!/<meta name="voice-widget-host-origins"[^>]*>\s*<meta name="referrer"/.test(built), 'no list unless one is set');
    const hosts = 'https://crm.example.com  http://localhost:3000';
    const ownState = path.join(stateDir, 'popup-hosts'); // a store of its own: one store per process
    const listed = await startDevServer({ root: REPO_ROOT, stateDir: ownState, port: 0, sipPort: 0, env: { VOICE_WIDGET_POPUP_HOSTS: hosts } });
    try {
      const res = await fetch(`${listed.url}${popupPath}`);
      const page = await res.text();
      assert.equal(Number(res.headers.get('content-length')), Buffer.byteLength(page));
      assert.match(
        page,
        /<meta charset="utf-8" \/>\n {4}<meta name="voice-widget-host-origins" content="https:\/\/crm\.example\.com http:\/\/localhost:3000" \/>/,
      );
      assert.equal(page.replace(/\n {4}<meta name="voice-widget-host-origins" content="[^"]*" \/>/, ''), built);
    } finally {
      await listed.stop();
    }
    for (const bad of ['http://crm.example.com', 'https://crm.example.com/', '*', 'https://crm.example.com" onload="x']) {
      await assert.rejects(
        startDevServer({ root: REPO_ROOT, stateDir: ownState, port: 0, sipPort: 0, env: { VOICE_WIDGET_POPUP_HOSTS: bad } }),
        /VOICE_WIDGET_POPUP_HOSTS/,
        bad,
      );
    }
  });

  for (const kind of ['embedded', 'kamailio']) {
    test(`a token minted by the CLI registers with the ${kind} server`, async () => {
      const secret = kind === 'embedded' ? dev.secrets.secret : 'cli-e2e-secret-0123456789';
      const { stdout } = await run('npx', ['voice-widget', 'token', '--secret', secret, '--user', 'erin', '--domain', 'voice.test', '--ttl', '300'], {
        cwd: REPO_ROOT,
      });
      let sip;
      const server = kind === 'embedded' ? dev.sipUrl : (sip = await startSipServer('kamailio', { secret, domain: 'voice.test' })).wsUrl;
      try {
        const page = await openWidget(dev.url, { token: stdout.trim(), server });
        await waitFor(page, 'ready');
        assert.equal(await page.evaluate(() => window.vw.el().registrationState), 'registered');
      } finally {
        await sip?.stop();
      }
    });
  }
});

describe('npm start', () => {
  const apiKey = 'npm-start-test-api-key-0123456789';
  let dir;
  let child;
  let url;
  let started;
  let listening;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'voice-widget-start-'));
    started = Date.now();
    child = spawn(process.execPath, ['demo/start.js'], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: '0', SIP_PORT: '0', VOICE_WIDGET_STATE_DIR: dir, VOICE_WIDGET_API_KEY: apiKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = /open (http:\/\/127\.0\.0\.1:\d+\/demo\/)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`npm start exited ${code}: ${out}`)));
      setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 20000);
    });
    listening = Date.now();
  });

  after(async () => {
    if (child) {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('brings up the demo with two registered phones that call each other', async (t) => {
    const page = await newIsolatedPage(browser);
    pages.push(page);
    await page.goto(url);
    await page.waitForFunction(() => ['alice', 'bob'].every((id) => document.getElementById(id)?.getState?.() === 'ready'), { timeout: 15000, polling: 20 });
    t.diagnostic(`process start → URL printed ${listening - started} ms; → both demo phones registered ${Date.now() - started} ms`);
    await page.evaluate(() => document.getElementById('alice').call('bob'));
    await page.waitForFunction(() => document.getElementById('bob').getState() === 'incoming', { timeout: 10000 });
    await page.evaluate(() => document.getElementById('bob').answer());
    await page.waitForFunction(
      () => document.getElementById('alice').getState() === 'in-progress' && document.getElementById('bob').getState() === 'in-progress',
      { timeout: 10000 },
    );
    await page.evaluate(() => document.getElementById('alice').hangup());
    await page.waitForFunction(() => document.getElementById('bob').getState() === 'completed', { timeout: 10000 });

    // The CRM demo: Carol's phone in a popup; a call survives moving from Contacts to Deals.
    // (Pages in the background get no animation frames: poll on a timer.)
    const crm = await page.browserContext().newPage();
    await crm.goto(new URL('crm/contacts.html', url).href);
    await crm.waitForFunction(() => document.getElementById('phone')?.token, { timeout: 10000, polling: 100 });
    const popupTarget = browser.waitForTarget((target) => target.url().includes('voice-widget-popup.html'), { timeout: 5000 });
    await crm.click('[data-phone="bob"]');
    await popupTarget;
    await page.waitForFunction(() => document.getElementById('bob').getState() === 'incoming', { timeout: 10000, polling: 100 });
    await page.evaluate(() => document.getElementById('bob').answer());
    await crm.waitForFunction(() => document.getElementById('phone').getState() === 'in-progress', { timeout: 10000, polling: 100 });
    await Promise.all([crm.waitForNavigation(), crm.click('a[href="./deals.html"]')]);
    await crm.waitForFunction(() => document.getElementById('phone').getState() === 'in-progress', { timeout: 5000, polling: 50 });
    assert.match(await crm.evaluate(() => document.getElementById('log').textContent), /dialog-attached \{"state":"in-progress","calls":\[\{/);
    assert.equal(await page.evaluate(() => document.getElementById('bob').getState()), 'in-progress');
    await crm.evaluate(() => document.getElementById('phone').hangup());
    await page.waitForFunction(() => document.getElementById('bob').getState() === 'completed', { timeout: 10000, polling: 100 });
  });

  test('the demo token route mints nothing for a cross-site page: no-cors POSTs are refused, a JSON POST needs a preflight it never gets', async () => {
    // Erin's: no demo page open here asks for them.
    const tokensIssued = async () =>
      (await (await fetch(new URL('/v1/tokens', url), { headers: { Authorization: `Bearer ${apiKey}` } })).json()).filter((r) => r.sip_user === 'erin').length;
    const before = await tokensIssued();
    // The attacker's page, on another loopback origin.
    const evil = http.createServer((req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'));
    await new Promise((resolve) => evil.listen(0, '127.0.0.2', resolve));
    try {
      const page = await newIsolatedPage(browser);
      pages.push(page);
      await page.goto(`http://127.0.0.2:${evil.address().port}/`);
      const outcomes = await page.evaluate(async (target) => {
        const attempt = (init) =>
          fetch(target, { method: 'POST', body: JSON.stringify({ user: 'erin' }), ...init }).then(
            (r) => r.type,
            (e) => e.name,
          );
        return [
          await attempt({ mode: 'no-cors' }), // text/plain: a "simple" request, sent without asking
          await attempt({ mode: 'no-cors', headers: { 'Content-Type': 'application/json' } }), // the browser drops the header
          await attempt({ mode: 'cors', headers: { 'Content-Type': 'application/json' } }), // needs a preflight first
        ];
      }, new URL('api/token?user=erin', url).href);
      assert.deepEqual(outcomes, ['opaque', 'opaque', 'TypeError']);
      assert.equal(await tokensIssued(), before, 'no token minted for the other site');
      // The demo's own page, same origin, still gets its token.
      const own = await newIsolatedPage(browser);
      pages.push(own);
      await own.goto(url);
      const status = await own.evaluate(
        async () => (await fetch('./api/token?user=erin', { method: 'POST', headers: { 'Content-Type': 'application/json' } })).status,
      );
      assert.equal(status, 200);
      assert.equal(await tokensIssued(), before + 1);
    } finally {
      await new Promise((resolve) => evil.close(resolve));
    }
  });
});
