#!/usr/bin/env node
// Multi-tab's cost (docs/multi-tab.md): two tabs of one user in one browser
// profile on the embedded SIP server, the leader (registered, its socket and
// keepalive) against the follower (a mirror), idle: timer callbacks fired, JS
// heap after a garbage collection, sockets and peer connections; then the
// handover time when the leader tab closes. Figures only, no budgets.
//
//   npm run build && node scripts/bench/multi-tab.js [--idle-s N] [--json]
// From npm run bench: `benchMultiTab` runs it in a child process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SECRET = 'bench-multi-tab-secret-0123456789';
const DOMAIN = 'voice.test';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** npm run bench's section: this script in a child process, its figures as info rows. */
export async function benchMultiTab({ quick, rows, results, group }) {
  const child = spawn(process.execPath, ['scripts/bench/multi-tab.js', '--json', '--idle-s', quick ? '10' : '30'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`scripts/bench/multi-tab.js exited with ${code}`);
  const r = JSON.parse(out);
  results.multiTab = r;
  const info = (metric, widget, bare) => rows.push({ g: group, metric, widget, bare, status: 'info' });
  const desc = (t) => `${t.timerFires} timer callbacks, heap ${t.heapKB} KB, ${t.sockets} socket(s), ${t.peers} peer connection(s)`;
  info(`multi-tab idle ${r.idleS} s: leader (widget) vs follower (bare column)`, desc(r.leader), desc(r.follower));
  info('multi-tab: leader tab closed → the next tab registered', `${r.handoverMs} ms`);
}

async function main() {
  const argv = process.argv.slice(2);
  const idleS = Number(argv[argv.indexOf('--idle-s') + 1]) || 30;
  const say = (s) => !argv.includes('--json') && console.error(s);
  const { mintToken } = await import('../../dist/node/index.js');
  const { launchBrowser } = await import('../../test/harness/browser.js');
  const { startSipServer } = await import('../../test/harness/sip-servers.js');
  const { startStaticServer } = await import('../../test/harness/static-server.js');
  const sip = await startSipServer('embedded', { secret: SECRET, domain: DOMAIN });
  const web = await startStaticServer({ root: ROOT });
  const browser = await launchBrowser();
  try {
    const context = await browser.createBrowserContext();
    const tabs = [];
    for (let i = 0; i < 2; i++) {
      const page = await context.newPage();
      // Counts every timer callback the page runs (installed before the widget's script).
      await page.evaluateOnNewDocument(() => {
        window.__fires = 0;
        for (const name of ['setTimeout', 'setInterval']) {
          const real = window[name];
          window[name] = (fn, ms, ...args) => real((...a) => (window.__fires++, typeof fn === 'function' ? fn(...a) : undefined), ms, ...args);
        }
      });
      await page.goto(`${web.url}/test/e2e/pages/widget.html`, { waitUntil: 'load' });
      await page.waitForFunction(() => customElements.get('voice-widget') && window.vw);
      const token = mintToken({ secret: SECRET, user: 'bench', domain: DOMAIN, name: 'Bench' });
      await page.evaluate((o) => window.vw.configure(o), { token, server: sip.wsUrl });
      tabs.push(page);
    }
    await Promise.all(tabs.map((t) => t.waitForFunction(() => window.vw.el().getState() === 'ready', { timeout: 30_000 })));
    const holds = (t) => t.evaluate(() => window.vw.leftovers().sockets > 0);
    const leader = (await holds(tabs[0])) ? tabs[0] : tabs[1];
    const follower = tabs.find((t) => t !== leader);
    await new Promise((r) => setTimeout(r, 3000));
    for (const t of tabs) await t.evaluate(() => (window.__fires = 0));
    say(`idle ${idleS} s`);
    await new Promise((r) => setTimeout(r, idleS * 1000));
    const measure = async (t) => {
      const cdp = await t.createCDPSession();
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      await cdp.detach();
      const left = await t.evaluate(() => ({ fires: window.__fires, ...window.vw.leftovers() }));
      return { timerFires: left.fires, heapKB: Math.round(usedSize / 1024), sockets: left.sockets, peers: left.peers };
    };
    const result = { idleS, leader: await measure(leader), follower: await measure(follower) };
    const closed = Date.now();
    await leader.close();
    await follower.waitForFunction(() => window.vw.leftovers().sockets > 0 && window.vw.el().registrationState === 'registered', {
      polling: 20,
      timeout: 30_000,
    });
    result.handoverMs = Date.now() - closed;
    say(JSON.stringify(result, null, 2));
    if (argv.includes('--json')) process.stdout.write(JSON.stringify(result));
  } finally {
    await browser.close().catch(() => {});
    await web.stop().catch(() => {});
    await sip.stop().catch(() => {});
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
