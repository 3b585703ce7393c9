// Preflight's media loop forced through a real TURN server (coturn) with the
// user-space impairment proxy in front of it: clean, the loop gives a good
// MOS; with loss and delay added on the wire, the figures show them. The
// quality modules are not wired into the element yet, so the page loads them
// straight from src/ (bundled here by esbuild, which the unit test runner uses).
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launchBrowser, newIsolatedPage, pageLog } from '../harness/browser.js';
import { startTurn } from '../harness/coturn.js';
import { ephemeralCredentials } from '../harness/credentials.js';
import { startUdpImpair } from '../harness/udp-impair.js';

const SECRET = 'quality-relay-secret';
const ENTRY = fileURLToPath(new URL('../../src/core/quality/preflight-loop.ts', import.meta.url));

let turn, proxy, server, browser, page;
let iceServers;

before(async () => {
  const bundle = await build({ entryPoints: [ENTRY], bundle: true, format: 'esm', write: false, target: 'es2021', logLevel: 'silent' });
  const js = `${bundle.outputFiles[0].text}`;
  const html = `<!doctype html><script type="module">import * as q from '/quality.js'; window.quality = q;</script>`;
  server = http.createServer((req, res) => {
    const [type, body] = req.url === '/quality.js' ? ['text/javascript', js] : ['text/html', html];
    res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8` });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  turn = await startTurn({ secret: SECRET });
  proxy = await startUdpImpair({ target: { port: turn.port } });
  const { username, password } = ephemeralCredentials({ secret: SECRET, user: 'preflight' });
  iceServers = [{ urls: `turn:127.0.0.1:${proxy.port}?transport=udp`, username, credential: password }];
  browser = await launchBrowser();
  page = await newIsolatedPage(browser);
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.quality !== undefined, { timeout: 10_000 });
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  await turn?.stop();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

/** One loop through the relay, in the page, with the fake microphone. */
const loop = () =>
  page.evaluate(async (servers) => {
    const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
    try {
      return await window.quality.measureMediaLoop(window.quality.relayOnly(servers), mic.getAudioTracks()[0], { durationMs: 1500, intervalMs: 500 });
    } finally {
      mic.getTracks().forEach((t) => t.stop());
    }
  }, iceServers);

test('gathering through the proxied TURN server finds a relay candidate', async (t) => {
  const start = performance.now();
  const ice = await page.evaluate((servers) => window.quality.gatherCandidates({ iceServers: servers }), iceServers);
  t.diagnostic(`gathering: ${Math.round(performance.now() - start)} ms`);
  assert.equal(ice.host, true);
  assert.equal(ice.relay, true, JSON.stringify(ice));
});

test('the relay loop: clean it scores well; with 5 % loss and 100 ms delay each way at the proxy, the figures show both', async (t) => {
  const before = turn.allocations();
  const clean = await loop();
  t.diagnostic(`clean relay loop: ${JSON.stringify(clean)}`);
  assert.ok(turn.allocations() >= before + 2, 'both peer connections allocated a relay');
  assert.equal(typeof clean.rtt, 'number');
  assert.ok(clean.loss <= 1, `clean loss ${clean.loss}`);
  // Loopback scores about 4.4; a loaded test machine can add a few hundred ms at the start.
  assert.ok(clean.mos > 3.5, `clean MOS ${clean.mos}`);

  proxy.set({ loss: 5, delay: 100 });
  try {
    const impaired = await loop();
    t.diagnostic(`impaired relay loop: ${JSON.stringify(impaired)}`);
    // Media crosses the proxy twice (into the relay and out of it): about 1 − 0.95² ≈ 10 % lost.
    assert.ok(impaired.loss >= 3 && impaired.loss <= 25, `impaired loss ${impaired.loss}`);
    // A round trip crosses the proxy four times: + 400 ms.
    assert.ok(impaired.rtt >= 350, `impaired RTT ${impaired.rtt}`);
    assert.ok(impaired.mos < 3, `MOS falls: ${clean.mos} → ${impaired.mos}`);
  } finally {
    proxy.set({ loss: 0, delay: 0 });
  }
  assert.deepEqual(
    pageLog(page).filter((l) => !l.includes('favicon')),
    [],
  );
});
