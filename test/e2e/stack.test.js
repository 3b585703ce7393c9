// `npm run stack` (scripts/stack.js): it starts Kamailio, rtpengine and the
// token service on loopback, a page registers with a token minted through
// the printed API and calls a plain-RTP "carrier" (baresip, G.711 only)
// through the trunk, and SIGINT (Ctrl+C) leaves no process behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { startBaresip } from '../harness/baresip.js';
import { freeUdpPort } from '../harness/kamailio.js';
import { ngListCalls } from '../harness/rtpengine.js';
import { launchBrowser, newIsolatedPage, pageLog } from '../harness/browser.js';
import { REPO_ROOT } from '../harness/bundle-jssip.js';
import { startStaticServer } from '../harness/static-server.js';

const STACK = fileURLToPath(new URL('../../scripts/stack.js', import.meta.url));
const CARRIER_NUMBER = '+15557654321';
const PAGE = '/test/e2e/pages/widget.html';

let stack;
let info;
let stackOutput = '';
let carrier;
let web;
let browser;
let page;
let bob;

before(async () => {
  const carrierPort = await freeUdpPort('127.0.0.1');
  carrier = await startBaresip({ user: CARRIER_NUMBER, domain: '127.0.0.1', address: '127.0.0.1', carrier: { port: carrierPort } });
  const spawnedAt = Date.now();
  stack = spawn(process.execPath, [STACK, '--json', '--trunk', `sip:127.0.0.1:${carrierPort}`, '--did', '+15551230001=alice', '--anchor-browser-calls'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stack.stderr.on('data', (d) => (stackOutput += d));
  info = await new Promise((resolve, reject) => {
    let out = '';
    stack.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
    });
    stack.on('exit', (code) => reject(new Error(`stack exited (${code}) before it was up: ${stackOutput}`)));
  });
  info.spawnToUpMs = Date.now() - spawnedAt;
  web = await startStaticServer({ root: REPO_ROOT });
  browser = await launchBrowser();
});

after(async () => {
  await page
    ?.browserContext()
    .close()
    .catch(() => {});
  await bob
    ?.browserContext()
    .close()
    .catch(() => {});
  await browser?.close().catch(() => {});
  await carrier?.stop().catch(() => {});
  await web?.stop().catch(() => {});
  if (stack && stack.exitCode === null && stack.signalCode === null) stack.kill('SIGKILL');
});

const vw = (p, fn, ...args) => p.evaluate(fn, ...args);

/** A page whose widget registered with a token minted through the stack's token API. */
async function registeredPage(user) {
  const res = await fetch(info.tokenApi, {
    method: 'POST',
    headers: { Authorization: `Bearer ${readFileSync(info.apiKeyFile, 'utf8').trim()}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ sip_user: user, name: user, ttl: 600 }),
  });
  assert.equal(res.status, 201);
  const { token } = await res.json();
  const p = await newIsolatedPage(browser);
  await p.goto(web.url + PAGE, { waitUntil: 'load' });
  await p.waitForFunction(() => customElements.get('voice-widget') && window.vw);
  await vw(p, (o) => window.vw.configure(o), { token, server: info.wsUrl });
  await vw(p, () => window.vw.waitFor('ready'));
  return p;
}

/** Pids of live processes in process group `pgid` (Kamailio's workers share its group). */
function groupMembers(pgid) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after "(comm)": state ppid pgrp ...
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('npm run stack: a page registers with a token from its API and calls the plain-RTP carrier through the trunk', { timeout: 60_000 }, async (t) => {
  t.diagnostic(`stack up in ${info.startMs} ms (spawn → ready ${info.spawnToUpMs} ms)`);
  try {
    page = await registeredPage('alice');

    const from = await vw(page, () => window.vw.log.length);
    const fromC = carrier.events.length;
    assert.equal((await vw(page, (n) => window.vw.call(n), CARRIER_NUMBER)).placed, true);
    await vw(page, (f) => window.vw.waitFor('state-change', { from: f, match: { state: 'in-progress' }, timeout: 15_000 }), from);
    await carrier.waitForEvent('CALL_ESTABLISHED', { from: fromC });
    await page.waitForFunction(async () => (await window.vw.inboundAudioBytes()) > 1000, { timeout: 8000, polling: 100 });
    let stats = await carrier.audioStats();
    for (const deadline = Date.now() + 5000; !(stats.rxPackets > 10) && Date.now() < deadline; stats = await carrier.audioStats()) await sleep(100);
    assert.ok(stats.rxPackets > 10, `the carrier receives RTP: ${stats.text}`);
    assert.match(stats.decoder ?? '', /^PCM[UA] /);
    assert.equal(await vw(page, () => window.vw.el().hangup()), true);
    await carrier.waitForEvent('CALL_CLOSED', { from: fromC });
  } catch (err) {
    err.message += `\n--- carrier log ---\n${carrier.log().slice(-4000)}\n--- page log ---\n${page ? pageLog(page).join('\n') : ''}\n--- stack stderr ---\n${stackOutput.slice(-4000)}`;
    throw err;
  }
});

test('--anchor-browser-calls: a browser-to-browser call goes through rtpengine too', { timeout: 60_000 }, async (t) => {
  bob = await registeredPage('bob');
  await vw(bob, () => window.vw.el().addEventListener('call-received', () => window.vw.el().answer()));
  const from = await vw(page, () => window.vw.log.length);
  const { placed, at } = await vw(page, () => window.vw.call('bob'));
  assert.equal(placed, true);
  await vw(page, (f) => window.vw.waitFor('state-change', { from: f, match: { state: 'in-progress' }, timeout: 15_000 }), from);
  const connectedAt = await vw(page, (f) => window.vw.log.slice(f).find((e) => e.detail?.state === 'in-progress').at, from);
  t.diagnostic(`anchored browser-to-browser call() → in-progress: ${(connectedAt - at).toFixed(0)} ms`);
  await page.waitForFunction(async () => (await window.vw.inboundAudioBytes()) > 1000, { timeout: 8000, polling: 100 });
  const port = Number(info.rtpengine.split(':').pop());
  assert.equal((await ngListCalls(port)).length, 1, 'rtpengine relays the call');
  await vw(page, () => window.vw.el().hangup());
  await vw(page, (f) => window.vw.waitFor('call-ended', { from: f }), from);
});

test('Ctrl+C stops the stack: Node, Kamailio (every worker) and rtpengine are gone', { timeout: 20_000 }, async (t) => {
  const { node, kamailio, rtpengine } = info.pids;
  assert.ok(groupMembers(kamailio).length > 1, 'Kamailio runs with its workers');
  assert.ok(alive(rtpengine));
  const sentAt = Date.now();
  const exited = new Promise((resolve) => stack.on('exit', (code, signal) => resolve({ code, signal })));
  stack.kill('SIGINT');
  const { code, signal } = await exited;
  assert.ok(code === 0 || code === 130, `exit ${code} ${signal}`);
  for (const deadline = Date.now() + 3000; (groupMembers(kamailio).length || alive(rtpengine)) && Date.now() < deadline;) await sleep(50);
  assert.equal(alive(node), false);
  assert.deepEqual(groupMembers(kamailio), [], 'no Kamailio process left');
  assert.equal(alive(rtpengine), false, 'rtpengine is gone');
  t.diagnostic(`SIGINT → everything gone in ${Date.now() - sentAt} ms`);
});
