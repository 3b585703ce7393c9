// The framework examples in demo/examples/, each loaded in real Chromium from
// the dev server with the demo's host backend: React 19 and Vue 3 apps call
// bob from their own button and show the call's end; the HubSpot bridge page,
// framed by a test double of HubSpot that speaks the Calling Extensions SDK's
// postMessage protocol, dials, reports the answer, and hangs up on command.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startDevServer } from '../../dist/node/index.js';
import { createHostBackend } from '../../demo/host-backend.js';
import { launchBrowser, newIsolatedPage, pageLog } from '../harness/browser.js';
import { REPO_ROOT } from '../harness/bundle-jssip.js';

let browser;
let stateDir;
let dev;

before(async () => {
  for (const name of ['react', 'vue', 'hubspot']) {
    assert.ok(existsSync(path.join(REPO_ROOT, `demo/examples/build/${name}.js`)), `demo/examples/build/${name}.js is missing: npm run build`);
  }
  browser = await launchBrowser();
  stateDir = await mkdtemp(path.join(os.tmpdir(), 'voice-widget-examples-'));
  dev = await startDevServer({ root: REPO_ROOT, stateDir, port: 0, sipPort: 0, static: ['/demo/', '/dist/', '/test/e2e/pages/'] });
  dev.use(createHostBackend({ tokenServiceUrl: dev.url, apiKey: dev.secrets.apiKey, sipServerUrl: dev.sipUrl, users: { alice: 'Alice', bob: 'Bob' } }));
});

after(async () => {
  await browser?.close().catch(() => {});
  await dev?.stop().catch(() => {});
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
});

/** Bob's phone on the plain widget page, registered through the same host backend. */
async function openBob(t) {
  const page = await newIsolatedPage(browser);
  t.after(() =>
    page
      .browserContext()
      .close()
      .catch(() => {}),
  );
  await page.goto(`${dev.url}/test/e2e/pages/widget.html`);
  await page.waitForFunction(() => window.vw && customElements.get('voice-widget'));
  const { token } = await (await fetch(`${dev.url}/demo/api/token?user=bob`, { method: 'POST', headers: { 'Content-Type': 'application/json' } })).json();
  await page.evaluate((o) => window.vw.configure(o), { token, server: dev.sipUrl });
  await page.evaluate(() => window.vw.waitFor('ready'));
  return page;
}

async function answerAndHangUp(bob, caller) {
  await bob.waitForFunction(() => window.vw.el().getState() === 'incoming', { timeout: 10000, polling: 50 });
  await bob.evaluate(() => window.vw.el().answer());
  await caller.waitForFunction(() => document.querySelector('voice-widget').getState() === 'in-progress', { timeout: 10000, polling: 50 });
  await new Promise((r) => setTimeout(r, 300)); // a call with a duration to show
  await bob.evaluate(() => window.vw.el().hangup());
}

for (const [name, heading] of [
  ['react', 'React 19'],
  ['vue', 'Vue 3'],
]) {
  describe(`${heading} example (demo/examples/${name}.html)`, () => {
    test(`the ${heading} app registers the widget, its own button calls bob, and its UI shows the call's end`, async (t) => {
      const bob = await openBob(t);
      const started = Date.now();
      const page = await newIsolatedPage(browser);
      t.after(() =>
        page
          .browserContext()
          .close()
          .catch(() => {}),
      );
      await page.goto(`${dev.url}/demo/examples/${name}.html`);
      assert.equal(await page.$eval('h1', (el) => el.textContent), heading);
      // The framework's text follows the widget's state-change events; `ready` enables its button.
      await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready', { timeout: 15000, polling: 50 });
      assert.equal(await page.$eval('voice-widget', (el) => el.registrationState), 'registered');
      assert.deepEqual(dev.sip.registrations(), { alice: 1, bob: 1 });
      // The panel is open through the open property, and show() is the method.
      assert.deepEqual(await page.$eval('voice-widget', (el) => [el.open, typeof el.show]), [true, 'function']);
      assert.equal(await page.$eval('#last-call', (el) => el.textContent.trim()), 'Last call: none yet');
      const ready = Date.now();

      await page.click('#call-bob');
      await answerAndHangUp(bob, page);
      await page.waitForFunction(() => /^Last call: bob, remote-hangup, \d+\.\d s$/.test(document.getElementById('last-call').textContent.trim()), {
        timeout: 10000,
        polling: 50,
      });
      await page.waitForFunction(() => document.getElementById('state').textContent === 'completed', { timeout: 5000, polling: 50 });
      const seconds = Number(/(\d+\.\d) s/.exec(await page.$eval('#last-call', (el) => el.textContent))[1]);
      assert.ok(seconds >= 0.3 && seconds < 10, `duration ${seconds}`);
      assert.equal(await page.$eval('#call-bob', (el) => el.disabled), false);
      assert.deepEqual(pageLog(page), []);
      t.diagnostic(`page load → registered, button enabled ${ready - started} ms; click → answered, hung up, shown ${Date.now() - ready} ms`);
    });
  });
}

describe('HubSpot Calling Extensions bridge (demo/examples/hubspot.html)', () => {
  /** The test double of HubSpot framing hubspot.html, as HubSpot does: from another origin (localhost vs 127.0.0.1). */
  async function openHubSpot(t) {
    const page = await newIsolatedPage(browser);
    t.after(() =>
      page
        .browserContext()
        .close()
        .catch(() => {}),
    );
    const hostUrl = dev.url.replace('127.0.0.1', 'localhost');
    const widgetUrl = `${dev.url}/demo/examples/hubspot.html`;
    await page.goto(`${hostUrl}/test/e2e/pages/hubspot-host.html?widget=${encodeURIComponent(widgetUrl)}`);
    const hubspot = (fn, ...args) => page.evaluate(fn, ...args);
    const app = () => page.frames().find((f) => f.url() === widgetUrl);
    return { page, hubspot, app };
  }

  test('HubSpot dials → a real call to bob; answer → callAnswered; HubSpot ends it → callEnded and callCompleted with the engagement', async (t) => {
    const bob = await openBob(t);
    const { page, hubspot, app } = await openHubSpot(t);

    await hubspot(() => window.hubspot.waitFor('SYNC_ACK'));
    assert.deepEqual(await hubspot(() => window.hubspot.waitFor('INITIALIZED')), {
      isLoggedIn: true,
      isAvailable: false,
      sizeInfo: { width: 300, height: 520 },
    });
    await hubspot(() => window.hubspot.waitFor('USER_AVAILABLE'));
    const sync = (await hubspot(() => window.hubspot.received)).find((m) => m.type === 'SYNC_ACK');
    assert.equal(sync.messageId, 'hubspot-host_1'); // the answer to HubSpot's first SYNC
    assert.deepEqual(dev.sip.registrations(), { alice: 1, bob: 1 });

    await hubspot(() => window.hubspot.dial('bob'));
    const outgoing = await hubspot(() => window.hubspot.waitFor('OUTGOING_CALL_STARTED'));
    assert.equal(typeof outgoing.externalCallId, 'string');
    assert.ok(Math.abs(outgoing.callStartTime - Date.now()) < 10000);
    assert.deepEqual(
      { ...outgoing, callStartTime: 0 },
      { externalCallId: outgoing.externalCallId, toNumber: 'bob', fromNumber: 'alice', callStartTime: 0, createEngagement: true },
    );

    await bob.waitForFunction(() => window.vw.el().getState() === 'incoming', { timeout: 10000, polling: 50 });
    assert.equal(await hubspot(() => window.hubspot.types().includes('CALL_ANSWERED')), false);
    await bob.evaluate(() => window.vw.el().answer());
    assert.deepEqual(await hubspot(() => window.hubspot.waitFor('CALL_ANSWERED')), { externalCallId: outgoing.externalCallId });
    await new Promise((r) => setTimeout(r, 500));

    await hubspot(() => window.hubspot.endCall());
    await bob.waitForFunction(() => window.vw.el().getState() === 'completed', { timeout: 10000, polling: 50 });
    assert.deepEqual(await hubspot(() => window.hubspot.waitFor('CALL_ENDED')), {
      externalCallId: outgoing.externalCallId,
      engagementId: 4242,
      callEndStatus: 'COMPLETED',
    });
    const completed = await hubspot(() => window.hubspot.waitFor('CALL_COMPLETED'));
    const duration = Number(completed.engagementProperties.hs_call_duration);
    assert.ok(duration >= 500 && duration < 10000, `hs_call_duration ${duration}`);
    assert.deepEqual(completed, {
      externalCallId: outgoing.externalCallId,
      engagementId: 4242,
      hideWidget: false,
      engagementProperties: {
        hs_timestamp: outgoing.callStartTime,
        hs_call_direction: 'OUTBOUND',
        hs_call_status: 'COMPLETED',
        hs_call_duration: String(duration),
        hs_call_from_number: 'alice',
        hs_call_to_number: 'bob',
        hs_call_title: 'Call to bob',
      },
    });
    // In order, once each, and nothing HubSpot would answer with an error.
    const types = await hubspot(() => window.hubspot.types());
    assert.deepEqual(
      types.filter((type) => type !== 'USER_AVAILABLE'),
      ['SYNC_ACK', 'INITIALIZED', 'OUTGOING_CALL_STARTED', 'CALL_ANSWERED', 'CALL_ENDED', 'CALL_COMPLETED'],
    );
    assert.equal(await app().evaluate(() => document.getElementById('phone').getState()), 'completed');
    assert.deepEqual(pageLog(page), []);
  });

  test('a number the phone refuses → sendError; bob calls in → incomingCall, answered in the app → callAnswered, bob hangs up → callCompleted INBOUND', async (t) => {
    const bob = await openBob(t);
    const { page, hubspot, app } = await openHubSpot(t);
    await hubspot(() => window.hubspot.waitFor('USER_AVAILABLE'));

    await hubspot(() => window.hubspot.dial('not a number!'));
    assert.match((await hubspot(() => window.hubspot.waitFor('ERROR'))).message, /^Cannot call not a number!/);
    assert.equal(await hubspot(() => window.hubspot.types().includes('OUTGOING_CALL_STARTED')), false);

    await bob.evaluate(() => window.vw.el().call('alice'));
    const incoming = await hubspot(() => window.hubspot.waitFor('INCOMING_CALL'));
    assert.deepEqual(
      { ...incoming, callStartTime: 0 },
      { externalCallId: incoming.externalCallId, fromNumber: 'bob', toNumber: 'alice', callStartTime: 0, createEngagement: true },
    );
    await app().evaluate(() => document.getElementById('phone').answer());
    assert.deepEqual(await hubspot(() => window.hubspot.waitFor('CALL_ANSWERED')), { externalCallId: incoming.externalCallId });
    await bob.waitForFunction(() => window.vw.el().getState() === 'in-progress', { timeout: 10000, polling: 50 });
    await bob.evaluate(() => window.vw.el().hangup());
    assert.deepEqual(await hubspot(() => window.hubspot.waitFor('CALL_ENDED')), {
      externalCallId: incoming.externalCallId,
      engagementId: 4242,
      callEndStatus: 'COMPLETED',
    });
    const { engagementProperties } = await hubspot(() => window.hubspot.waitFor('CALL_COMPLETED'));
    assert.deepEqual(
      { ...engagementProperties, hs_call_duration: 'ms' },
      {
        hs_timestamp: incoming.callStartTime,
        hs_call_direction: 'INBOUND',
        hs_call_status: 'COMPLETED',
        hs_call_duration: 'ms',
        hs_call_from_number: 'bob',
        hs_call_to_number: 'alice',
        hs_call_title: 'Call from bob',
      },
    );
    assert.deepEqual(pageLog(page), []);
  });
});
