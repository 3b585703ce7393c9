// runPreflight in a real page (the script-tag build, so the `preflight` chunk
// loads from dist/): `ready` against a working setup (the embedded SIP server,
// coturn), with its preflight-progress / preflight-complete events and the
// settings' "Test my setup" showing the report; `blocked` when the SIP server
// cannot be reached; `permission-denied` when the browser refuses the
// microphone. The registrar's bindings are unchanged by a preflight (an
// OPTIONS on its own WebSocket, never a REGISTER).
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';

import { startTurn } from '../harness/coturn.js';
import { queryBindings } from '../harness/sip-query.js';
import { startUdpImpair } from '../harness/udp-impair.js';
import { startSipServer } from '../harness/sip-servers.js';
import { DOMAIN, e2eSuite, logLength, openPhone, vw, waitFor } from './support.js';

const SECRET = 'quality-preflight-secret-0123456789';
let sip, turn, nat, tcpNat;

e2eSuite({
  secret: SECRET,
  setup: async () => {
    sip = await startSipServer('embedded', { secret: SECRET, domain: DOMAIN });
    turn = await startTurn({ secret: SECRET });
    nat = await startUdpImpair({ target: { port: turn.port } });
    tcpNat = await tcpProxy(turn.port);
  },
  teardown: async () => {
    await nat?.close().catch(() => {});
    await new Promise((resolve) => (tcpNat ? tcpNat.close(resolve) : resolve()));
    await turn?.stop().catch(() => {});
    await sip?.stop().catch(() => {});
  },
});

/** A TCP hop in front of coturn's TCP port: coturn sees the hop's address, as behind a NAT. */
async function tcpProxy(port) {
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    for (const s of [client, upstream]) s.on('error', () => (client.destroy(), upstream.destroy()));
    client.pipe(upstream).pipe(client);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(server, { port: server.address().port });
}

/** The user's bindings, without their `expires` (it counts down). */
const bindings = async (user) => (await queryBindings({ wsUrl: sip.wsUrl, user, domain: DOMAIN, secret: SECRET })).map((b) => b.replace(/;expires=\d+/, ''));

test('ready: microphone, OPTIONS, ICE and the relay loop all work; events fire; "Test my setup" shows it; no binding added or replaced', async (t) => {
  const page = await openPhone('carol', { server: sip.wsUrl, tokenOptions: { iceServers: [`turn:127.0.0.1:${turn.port}?transport=udp`] }, ready: true });
  const before = await bindings('carol');
  const from = await logLength(page);
  const started = performance.now();
  const report = await vw(page, () => window.vw.el().runPreflight());
  const took = performance.now() - started;
  t.diagnostic(`preflight (ready) took ${Math.round(took)} ms: ${JSON.stringify(report)}`);
  assert.equal(report.verdict, 'ready', JSON.stringify(report));
  assert.deepEqual(Object.keys(report), ['verdict', 'microphone', 'signalling', 'ice', 'network']);
  assert.ok(report.microphone.device, 'the fake microphone was opened');
  assert.ok(report.microphone.level > 0.001, `level ${report.microphone.level}`);
  assert.equal(typeof report.signalling.connectMs, 'number');
  assert.equal(typeof report.signalling.roundTripMs, 'number');
  assert.equal(report.ice.relay, true);
  assert.equal(report.ice.turnRequired, false, 'coturn saw this client at its own address: a direct route exists');
  assert.ok(report.network.mos > 3.5, `loop MOS ${report.network.mos}`);
  const progress = await vw(
    page,
    (f) =>
      window.vw.log
        .slice(f)
        .filter((e) => e.type === 'preflight-progress')
        .map((e) => e.detail.step),
    from,
  );
  assert.deepEqual(progress, ['microphone', 'signalling', 'ice', 'network']);
  assert.deepEqual(await waitFor(page, 'preflight-complete', { from }), report);
  assert.deepEqual(await bindings('carol'), before, 'a preflight leaves the bindings as they were');

  // The settings' entry: the same test, its verdict in plain words.
  await vw(page, async () => {
    const el = window.vw.el();
    el.show();
    await el.updateComplete;
    el.shadowRoot.querySelector('[part~="settings-button"]').click();
    await el.updateComplete;
  });
  await page.waitForFunction(() => window.vw.el().shadowRoot.querySelector('[part~="test-setup"]'), { timeout: 5000 });
  await vw(page, () => window.vw.el().shadowRoot.querySelector('[part~="test-setup"]').click());
  const shown = await page.waitForFunction(
    () => window.vw.el().shadowRoot.querySelector('[part~="preflight"] [data-verdict]')?.closest('[part~="preflight"]').textContent.replace(/\s+/g, ' ').trim(),
    { timeout: 20_000, polling: 200 },
  );
  const text = await shown.jsonValue();
  t.diagnostic(`Test my setup shows: ${text}`);
  assert.match(text, /Ready: calls should sound good/);
  assert.match(text, /Network: \d+ ms round trip/);
});

test('blocked: the SIP server cannot be reached', async () => {
  const page = await openPhone('dave', { server: 'ws://127.0.0.1:9/' });
  const report = await vw(page, () => window.vw.el().runPreflight());
  assert.equal(report.verdict, 'blocked', JSON.stringify(report));
  assert.equal(report.signalling.connectMs, null);
  assert.equal(report.signalling.roundTripMs, null);
});

test('permission-denied: the browser refuses the microphone', async () => {
  const page = await openPhone('erin', { server: sip.wsUrl });
  // What Chromium gives when the user or a policy says no (the fake-UI flag here accepts every prompt).
  await vw(page, () => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  const report = await vw(page, () => window.vw.el().runPreflight());
  assert.equal(report.verdict, 'permission-denied', JSON.stringify(report));
  assert.deepEqual(report.microphone, { device: null, level: null });
});

test('turnRequired: UDP gets nowhere, the TURN server is reached over TCP through a translating hop (a NAT): only the relay works', async (t) => {
  // No STUN answer over UDP (no srflx) and coturn sees the hop's address, none of the page's.
  const page = await openPhone('frank', { server: sip.wsUrl, tokenOptions: { iceServers: [`turn:127.0.0.1:${tcpNat.port}?transport=tcp`] } });
  const report = await vw(page, () => window.vw.el().runPreflight());
  t.diagnostic(`preflight (TURN over TCP behind the hop): ${JSON.stringify(report.ice)}, network ${JSON.stringify(report.network)}`);
  assert.deepEqual(report.ice, { host: true, srflx: false, relay: true, turnRequired: true });
  assert.ok(report.network.mos > 3.5, 'the relay carries the loop');
});
