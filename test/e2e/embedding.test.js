// The embedding doors, end to end through the demo's dev server and its host
// backend: the one-line script tag with click-to-call, and VoiceWidget.create
// with the loader snippet, a delegate and a call log on the host's backend.
// The far end is Bob on the two-phone demo page.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startDevServer } from '../../dist/node/index.js';
import { createHostBackend } from '../../demo/host-backend.js';
import { launchBrowser, newIsolatedPage } from '../harness/browser.js';
import { REPO_ROOT } from '../harness/bundle-jssip.js';
import { closePages } from './support.js';

let browser;
let stateDir;
let dev;
let bob;
const pages = [];

before(async () => {
  browser = await launchBrowser();
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'voice-widget-embed-'));
  dev = await startDevServer({ root: REPO_ROOT, stateDir, port: 0, sipPort: 0 });
  dev.use(
    createHostBackend({
      tokenServiceUrl: dev.url,
      apiKey: dev.secrets.apiKey,
      sipServerUrl: dev.sipUrl,
      users: { alice: 'Alice', bob: 'Bob', dave: 'Dave', erin: 'Erin' },
    }),
  );
  bob = await open('/demo/index.html');
  await bob.waitForFunction(() => document.getElementById('bob')?.getState?.() === 'ready', { timeout: 15000, polling: 50 });
});

after(async () => {
  await closePages(pages);
  await browser?.close().catch(() => {});
  await dev?.stop().catch(() => {});
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

async function open(url, prepare, waitUntil = 'load') {
  const page = await newIsolatedPage(browser);
  pages.push(page);
  await prepare?.(page);
  await page.goto(dev.url + url, { waitUntil });
  return page;
}

/** Bob answers the call ringing on the demo page, from `name`; resolves once both sides talk. */
async function bobAnswers(name, callerState) {
  await bob.waitForFunction(() => document.getElementById('bob').getState() === 'incoming', { timeout: 10000, polling: 50 });
  const from = await bob.evaluate(() => document.getElementById('bob').calls[0]?.name);
  assert.equal(from, name);
  await bob.evaluate(() => document.getElementById('bob').answer());
  await callerState('in-progress');
}

describe('embedding', () => {
  test('one-line embed: a script tag with data-token places a floating phone that registers; a tel: link calls through it', async (t) => {
    const started = Date.now();
    const page = await open('/demo/examples/script-tag.html');
    await page.waitForFunction(() => document.querySelector('voice-widget')?.getState() === 'ready', { timeout: 15000, polling: 50 });
    t.diagnostic(`page opened → registered in ${Date.now() - started} ms`);
    const placed = await page.evaluate(() => {
      const el = document.querySelector('voice-widget');
      const box = el.shadowRoot.querySelector('[part~="launcher"]').getBoundingClientRect();
      return {
        count: document.querySelectorAll('voice-widget').length,
        parent: el.parentElement.tagName,
        floating: el.hasAttribute('floating'),
        clickToCall: el.clickToCall,
        title: el.windowTitle,
        right: innerWidth - box.right,
        bottom: innerHeight - box.bottom,
        embedded: window.VoiceWidget.embedded?.element === el,
        // The token is in the page (it is the short-lived one); the API key never is.
        html: document.documentElement.outerHTML.includes('apiKey'),
      };
    });
    assert.deepEqual(placed, {
      count: 1,
      parent: 'BODY',
      floating: true,
      clickToCall: true,
      title: 'Dave',
      right: 20,
      bottom: 20,
      embedded: true,
      html: false,
    });

    // A real click on the page's tel: link (a user gesture, as in life).
    const url = page.url();
    await page.click('a[href="tel:bob"]');
    const state = (s) => page.waitForFunction((s) => document.querySelector('voice-widget').getState() === s, { timeout: 10000, polling: 50 }, s);
    await bobAnswers('Dave', state);
    assert.equal(page.url(), url, 'the link did not navigate');
    assert.equal(await page.evaluate(() => document.querySelector('voice-widget').panelOpen), true);
    await bob.evaluate(() => document.getElementById('bob').hangup());
    await state('completed');
  });

  test('the script without data-token only defines the element and the global', async () => {
    const page = await open('/demo/examples/examples.css');
    const result = await page.evaluate(async () => {
      document.body.innerHTML = '';
      const script = document.createElement('script');
      script.src = '/dist/voice-widget.min.js';
      await new Promise((resolve, reject) => {
        script.onload = resolve;
        script.onerror = reject;
        document.head.append(script);
      });
      return {
        defined: !!customElements.get('voice-widget'),
        create: typeof window.VoiceWidget?.create,
        widgets: document.querySelectorAll('voice-widget').length,
      };
    });
    assert.deepEqual(result, { defined: true, create: 'function', widgets: 0 });
  });

  test('VoiceWidget.create before the script has loaded: queued, then a phone in its container; the delegate hears everything; finished calls reach the host backend', async (t) => {
    // The bundle arrives 1.5 s late, so the page's create(), open() and token all wait in the loader's queue.
    const page = await open(
      '/demo/examples/imperative.html',
      async (p) => {
        await p.setRequestInterception(true);
        p.on('request', (r) => (r.url().endsWith('/voice-widget.min.js') ? setTimeout(() => r.continue(), 1500) : r.continue()));
        // An async script holds back the load event; the page's module has run by DOMContentLoaded.
      },
      'domcontentloaded',
    );
    const queued = await page.evaluate(() => ({ loaded: !!customElements.get('voice-widget'), queue: window.VoiceWidget.q?.length }));
    assert.deepEqual(queued, { loaded: false, queue: 1 });
    const state = (s) => page.waitForFunction((s) => document.querySelector('#phone-slot voice-widget')?.getState() === s, { timeout: 15000, polling: 50 }, s);
    await state('ready');
    const delegate = () => page.evaluate(() => [...document.querySelectorAll('#log li')].reverse().map((li) => li.textContent.replace(/^\S+ /, '')));
    const first = await delegate();
    // The first render and the socket both come in the element's first update; ready comes after both.
    assert.deepEqual(first.slice(0, 2).sort(), ['onLoad', `onBeforeConnect ${dev.sipUrl}`].sort(), first.join(' | '));
    assert.equal(first[2], 'onReady', first.join(' | '));
    assert.equal(await page.evaluate(() => document.querySelector('#phone-slot voice-widget').panelOpen), true, 'open() made before loading was replayed');

    await page.click('#call-bob');
    await bobAnswers('Erin', state);
    await bob.evaluate(() => document.getElementById('bob').hangup());
    await state('completed');
    await page.waitForFunction(() => document.querySelectorAll('#calls li').length === 1, { timeout: 5000, polling: 50 });

    const after = await delegate();
    assert.deepEqual(
      after.slice(3).map((line) => line.split(' ')[0]),
      ['onCallStarted', 'onCallEnded'],
      after.join(' | '),
    );
    const logged = await (await fetch(`${dev.url}/demo/api/calls?user=erin`)).json();
    assert.equal(logged.length, 1);
    assert.deepEqual(
      { direction: logged[0].direction, number: logged[0].number, cause: logged[0].cause },
      { direction: 'outbound', number: 'bob', cause: 'remote-hangup' },
    );
    t.diagnostic(`call logged: ${JSON.stringify(logged[0])}`);

    // The backend keeps only what it expects.
    const post = (body, type = 'application/json') => fetch(`${dev.url}/demo/api/calls`, { method: 'POST', headers: { 'Content-Type': type }, body });
    // A cross-site form or beacon (text/plain, no preflight) cannot write to the log.
    assert.equal(
      (await post(JSON.stringify({ user: 'erin', id: 'x', direction: 'outbound', number: 'bob', cause: 'x', duration: 1 }), 'text/plain')).status,
      415,
    );
    const bad = await post(JSON.stringify({ user: 'erin', id: 1 }));
    assert.equal(bad.status, 400);
    const huge = await post(JSON.stringify({ user: 'x'.repeat(5000) }));
    assert.equal(huge.status, 413);
    assert.equal((await (await fetch(`${dev.url}/demo/api/calls`)).json()).length, 1, 'nothing more was stored');
  });
});
