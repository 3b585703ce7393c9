#!/usr/bin/env node
// npm run bench: performance budgets of the widget, against bare JsSIP, in
// real headless Chromium through a real Kamailio and the embedded server on
// loopback. Writes .tmp/bench/results.json (and results.md, the table in
// Markdown), prints a table with PASS/FAIL per budget and exits 1 when a
// budget fails (or a measurement could not be made). Not part of npm test.
//
//   node scripts/bench.js [--skip-build] [--runs N] [--quick]
//
//   --skip-build  measure dist/ as it is (default: npm run build first)
//   --runs N      timed runs per variant for registration and call setup (default 20, min 20 for a budget verdict)
//   --quick       a fast smoke run (few runs, 20 s idle, 10 leak calls): numbers only, no verdicts worth keeping
//   --only a,b    only these sections: bundle, registration, call, badice, idle, leaks, render, load
//
// Methods: see docs/performance.md and the comments at each section below.
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BUDGETS, sizeBudgetText } from './bench/budgets.js';
import { makeResolver } from './bench/bundle.js';
import { chunkTable } from '../build/lazy-chunks.mjs';
import { fmtRatio, kb, markdownTable, ms, ratio, textTable } from './bench/report.js';
import { median, round, summarize } from './bench/stats.js';
import { benchMultiTab } from './bench/multi-tab.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
process.chdir(ROOT);
const OUT_DIR = path.join(ROOT, '.tmp/bench');

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : dflt;
};
const QUICK = flag('--quick');
const RUNS = opt('--runs', QUICK ? 4 : 20);
const WARMUP = QUICK ? 1 : 2;
const BAD_ICE_RUNS = QUICK ? 3 : 10;
const LEAK_CALLS = QUICK ? 10 : 100;
const IDLE_MS = QUICK ? 20_000 : 60_000;
const RENDER_LOADS = QUICK ? 4 : 12;
const BARE_BAD_ICE_CAP_MS = 45_000;
/** --only bundle,registration,call,badice,idle,leaks,render: a subset, for working on the benchmark itself. */
const ONLY = argv.includes('--only') ? new Set(String(argv[argv.indexOf('--only') + 1]).split(',')) : null;
/** A fresh page is left alone this long after `load` before a timed run: page-load leftovers (compilation, the last page's teardown) settle. */
const PAGE_QUIET_MS = 500;
/** After a registration: JsSIP's non-INVITE transactions linger for Timer K (T4 = 5 s). */
const SETTLE_MS = 6_000;
/** After a call: its INVITE client transaction lingers for Timer M (64 × T1 = 32 s), so leak snapshots wait that out. */
const LEAK_SETTLE_MS = 34_000;
/** Idle: timer callbacks (and sent WebSocket frames) less than this apart are one wake-up. */
const WAKE_GAP_MS = 1_000;

const SECRET = 'bench-secret-0123456789abcdef';
const DOMAIN = 'voice.test';
const KB = 1024;

const t0 = Date.now();
const say = (msg) => process.stdout.write(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ── build ───────────────────────────────────────────────────────────────────
if (!flag('--skip-build')) {
  say('npm run build');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('bench: the build failed');
    process.exit(1);
  }
}

// The harness imports dist/node, so only after the build.
const { mintToken, decodeToken, WIDGET_TOKEN_HEADER } = await import('../dist/node/index.js');
const { launchBrowser, newIsolatedPage, pageLog } = await import('../test/harness/browser.js');
const { buildJsSIPBundle } = await import('../test/harness/bundle-jssip.js');
const { startSipServer } = await import('../test/harness/sip-servers.js');
const { startStaticServer } = await import('../test/harness/static-server.js');

const results = {
  meta: {
    date: new Date().toISOString(),
    quick: QUICK,
    runs: RUNS,
    warmup: WARMUP,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memGB: round(os.totalmem() / 2 ** 30, 1),
      os: `${os.type()} ${os.release()}`,
      debian: await readFile('/etc/debian_version', 'utf8')
        .then((s) => s.trim())
        .catch(() => null),
    },
    node: process.version,
    kb: KB,
  },
  errors: [],
};
const rows = [];

/** Runs a section; an exception is reported (and fails the run) without stopping the others. */
/** The table's order, whatever order the sections run in. */
const GROUP = { bundle: 1, registration: 2, call: 3, badice: 4, leaks: 5, idle: 6, render: 7, load: 8 };
async function section(name, fn, key = name) {
  if (ONLY && !ONLY.has(key)) return;
  say(`── ${name}`);
  try {
    await fn();
  } catch (err) {
    say(`${name}: ERROR ${err.stack ?? err}`);
    results.errors.push({ section: name, error: String(err.stack ?? err) });
    rows.push({ g: GROUP[key] ?? 9, metric: name, widget: String(err.message ?? err).slice(0, 60), status: 'ERROR' });
  }
}

// ── the pages, from a snapshot ──────────────────────────────────────────────
// Everything the browser loads is copied to .tmp/bench/www first, so a
// rebuild of dist/ while the benchmark runs (npm test builds) cannot change
// or remove it mid-run.
await buildJsSIPBundle();
const WWW = path.join(OUT_DIR, 'www');
await rm(WWW, { recursive: true, force: true });
for (const [from, to] of [
  ['dist/voice-widget.min.js', 'dist/voice-widget.min.js'],
  ...chunkTable().map(({ name }) => [`dist/voice-widget-${name}.js`, `dist/voice-widget-${name}.js`]),
  ['test/e2e/pages/generated/jssip.iife.js', 'test/e2e/pages/generated/jssip.iife.js'],
  ['test/bench/pages', 'test/bench/pages'],
]) {
  await mkdir(path.dirname(path.join(WWW, to)), { recursive: true });
  await cp(path.join(ROOT, from), path.join(WWW, to), { recursive: true });
}
const BUNDLE_COPY = path.join(WWW, 'dist/voice-widget.min.js');

// ── the servers and the browser ─────────────────────────────────────────────
say('starting Kamailio, the embedded server, the page server and Chromium');
let kamailio;
let embedded;
let web;
let browser;
const sink = dgram.createSocket('udp4');
let stunRequests = 0;
sink.on('message', () => (stunRequests += 1));
/** Names a timer's call site in dist/voice-widget.min.js by its source (set once the bundle section has the source map). */
let resolveSite = () => null;

const chromiumVersion = spawnSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout?.trim();
results.meta.chromium = chromiumVersion;
results.meta.loadAverageAtStart = os.loadavg().map((x) => round(x, 2));
if (os.loadavg()[0] > os.cpus().length * 0.75)
  say(`warning: the machine is busy (load average ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores): timings will be noisy`);

try {
  kamailio = await startSipServer('kamailio', { secret: SECRET, domain: DOMAIN });
  embedded = await startSipServer('embedded', { secret: SECRET, domain: DOMAIN });
  web = await startStaticServer({ root: WWW, allow: ['/dist/', '/test/e2e/pages/', '/test/bench/pages/'] });
  browser = await launchBrowser();
  results.meta.browser = await browser.version();
  await new Promise((r) => sink.bind(0, '127.0.0.1', r));
  await measureAll();
} catch (err) {
  say(`ERROR ${err.stack ?? err}`);
  results.errors.push({ section: 'setup', error: String(err.stack ?? err) });
  rows.push({ g: 0, metric: 'setup', widget: String(err.message ?? err).slice(0, 60), status: 'ERROR' });
} finally {
  await browser?.close().catch(() => {});
  await web?.stop().catch(() => {});
  await kamailio?.stop().catch(() => {});
  await embedded?.stop().catch(() => {});
  sink.close();
}
results.meta.loadAverageAtEnd = os.loadavg().map((x) => round(x, 2));

// ── output ──────────────────────────────────────────────────────────────────
results.meta.durationS = round((Date.now() - t0) / 1000, 1);
nameIdleSites();
rows.sort((a, b) => a.g - b.g); // sections overlap; the table keeps one order
results.table = rows;
const failed = rows.filter((r) => r.status === 'FAIL' || r.status === 'ERROR');
results.passed = failed.length === 0;
await mkdir(OUT_DIR, { recursive: true });
const file = path.join(OUT_DIR, 'results.json');
const previous = await readFile(file, 'utf8')
  .then(JSON.parse)
  .catch(() => null);
if (previous) await rename(file, path.join(OUT_DIR, 'results.prev.json'));
await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
const md = [
  `Measured ${results.meta.date.slice(0, 10)} on ${results.meta.machine.cpus} cores (${results.meta.machine.cpuModel}), Debian ${results.meta.machine.debian ?? '?'}, ${chromiumVersion ?? results.meta.browser}, Node ${process.version}; ${RUNS} runs per variant${QUICK ? ' (--quick)' : ''}.`,
  '',
  markdownTable(rows),
  '',
].join('\n');
await writeFile(path.join(OUT_DIR, 'results.md'), md);

console.log('');
console.log(textTable(rows));
console.log('');
if (previous) printComparison(previous, results);
console.log(`results: ${path.relative(ROOT, file)} (table in Markdown: ${path.relative(ROOT, path.join(OUT_DIR, 'results.md'))}); ${results.meta.durationS} s`);
console.log(failed.length ? `${failed.length} budget(s) failed or could not be measured: ${failed.map((r) => r.metric).join('; ')}` : 'all budgets met');
process.exit(failed.length ? 1 : 0);

// ════════════════════════════════════════════════════════════════════════════

async function measureAll() {
  // Order, and what overlaps what (only phases that count rather than time run side by side):
  //   registration → call setup → bad ICE (widget) →
  //   { bundle builds (child process) | bad ICE (bare, ~40 s of waiting) | idle minute | leak page's first call + settle + baseline } →
  //   leak calls → { leak page settles | first render }
  await section('registration', measureRegistration);
  const needCalls = !ONLY || ['call', 'badice', 'leaks'].some((k) => ONLY.has(k));
  let callee = null;
  let callers = null;
  if (needCalls) {
    // One auto-answering callee (a widget) for every call of every variant.
    callee = await openPage('widget');
    const calleeReg = await callee.evaluate((o) => window.bench.register(o), widgetOptions(kamailio, 'bob'));
    if (!calleeReg.ok) throw new Error(`the callee did not register: ${JSON.stringify(calleeReg)}`);
    await callee.evaluate(() => window.bench.setAutoAnswer(true));
    callers = { widget: await registeredPage('widget', kamailio, 'alice'), bare: await registeredPage('bare', kamailio, 'carl') };
  }
  await section('call setup', () => measureCallSetup(callee, callers), 'call');
  const badIce = { widget: null };
  await section('bad ICE server (widget)', async () => (badIce.widget = await badIceWidget(callee, callers)), 'badice');
  let leak = null;
  await Promise.all([
    section('bundle', measureBundleInChild),
    section('bad ICE server (bare JsSIP)', () => badIceBare(callee, callers, badIce.widget), 'badice'),
    section('idle', measureIdle),
    section('leaks (first call and baseline)', async () => (leak = await leakBaseline(callee)), 'leaks'),
  ]);
  await section('leaks', () => (leak ? leakRun(callee, leak) : Promise.resolve()), 'leaks');
  await section('first render', measureFirstRender, 'render');
  if (leak) await section('leaks (end state)', () => leakEnd(leak), 'leaks');
  await section('load (two cluster nodes, token service)', measureLoadInChild, 'load');
  await section('multi-tab (follower vs leader, idle; handover)', () => benchMultiTab({ quick: QUICK, rows, results, group: 9 }), 'multitab');
}

// ── 8. load ─────────────────────────────────────────────────────────────────
// scripts/bench/load.js in a child process: two Kamailio cluster nodes under
// raw WebSocket clients, and the token service on each store. Figures only,
// no budgets (docs/scaling.md turns them into sizes).
async function measureLoadInChild() {
  const args = QUICK ? ['--clients', '50', '--calls', '20', '--token-requests', '100'] : [];
  const child = spawn(process.execPath, ['scripts/bench/load.js', '--json', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`scripts/bench/load.js exited with ${code}`);
  const r = JSON.parse(out);
  results.load = r;
  const rate = (s) => `${s.perSecond}/s, p50 ${ms(s.p50)}, p99 ${ms(s.p99)}${s.failed ? `, ${s.failed} failed` : ''}`;
  const info = (metric, widget) => rows.push({ g: GROUP.load, metric, widget, status: 'info' });
  info('load: REGISTER node A / node B', `${rate(r.register.nodeA)} / ${rate(r.register.nodeB)}`);
  info('load: call setups B→A / A→B', `${rate(r.calls.fromB)} / ${rate(r.calls.fromA)}`);
  info('load: memory per 1,000 registrations (PSS)', `${r.memory.nodeA} / ${r.memory.nodeB} MiB`);
  info('load: token POST file / PostgreSQL', `${rate(r.tokenService.file.create)} / ${rate(r.tokenService.postgres.create)}`);
}

// ── 1. bundle ───────────────────────────────────────────────────────────────
// scripts/bench/bundle.js, in a child process (its rollup builds would block
// this event loop), while the browser phases that only count things run.

async function measureBundleInChild() {
  await mkdir(OUT_DIR, { recursive: true });
  const out = path.join(OUT_DIR, 'bundle.json');
  const code = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts/bench/bundle.js'), out, BUNDLE_COPY], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.on('data', (d) => (err += d));
    child.stderr.on('data', (d) => {
      for (const line of String(d).split('\n').filter(Boolean)) {
        if (/^bundle: /.test(line)) say(line);
        else err += `${line}\n`;
      }
    });
    child.on('error', reject);
    child.on('exit', (c) => (c === 0 ? resolve(c) : reject(new Error(`scripts/bench/bundle.js exited with ${c}: ${err.slice(-2000)}`))));
  });
  if (code !== 0) return;
  const { sourceMapOfDist, ...b } = JSON.parse(await readFile(out, 'utf8'));
  if (sourceMapOfDist) resolveSite = makeResolver(sourceMapOfDist.map, sourceMapOfDist.headerLines);
  results.bundle = {
    ...b,
    method:
      'externalisation: JsSIP share = full − the same build with jssip external; Lit share = full − the same build with lit/lit-html/lit-element/@lit/* external; own code = the build with both external (src/, tslib helpers, rollup glue, licence header); same rollup config, plugins and terser settings as dist/voice-widget.min.js. Cross-check: source-map attribution of each minified byte (sourceMap.parts). gzip = zlib level 9 (= gzip -9 -n). 1 KB = 1024 B.',
  };
  const both = (x) => `${kb(x.gzip)} gz (${kb(x.min)} min)`;
  const g = GROUP.bundle;
  rows.push({
    g,
    metric: 'bundle: whole dist/voice-widget.min.js',
    widget: both(b.total),
    budget: sizeBudgetText(BUDGETS.bundleTotalGzip),
    status: b.total.gzip <= BUDGETS.bundleTotalGzip ? 'PASS' : 'FAIL',
  });
  rows.push({
    g,
    metric: 'bundle: our own code (JsSIP and Lit left out)',
    widget: both(b.own),
    budget: sizeBudgetText(BUDGETS.bundleOwnGzip),
    status: b.own.gzip <= BUDGETS.bundleOwnGzip ? 'PASS' : 'FAIL',
  });
  rows.push({ g, metric: 'bundle: JsSIP share (trimmed: build/jssip-trims)', widget: both(b.jssip), status: 'INFO' });
  rows.push({ g, metric: 'bundle: Lit share (lit, @lit/context)', widget: both(b.lit), status: 'INFO' });
  for (const c of b.chunks) rows.push({ g, metric: `bundle: lazy chunk ${c.file} (loaded only when used)`, widget: both(c), status: 'INFO' });
  say(`bundle: ${both(b.total)}; own ${both(b.own)}, JsSIP ${both(b.jssip)}, Lit ${both(b.lit)}`);
}

/** Names the timer call sites found by the idle run, once the source map is there. */
function nameIdleSites() {
  for (const v of ['widget', 'bare']) {
    for (const site of results.idle?.[v]?.sites ?? []) site.source = resolveSiteName(site.site);
  }
  for (const site of results.idle?.widget?.sites ?? []) {
    say(
      `idle widget timer ${site.source ?? site.site}: ${site.fired}× (delay ${site.delays.join(', ')} ms) at ${site.times.map((t) => `${(t / 1000).toFixed(1)} s`).join(', ')}`,
    );
  }
}

// ── pages ───────────────────────────────────────────────────────────────────

function token(user) {
  return mintToken({ secret: SECRET, user, domain: DOMAIN, name: user });
}
/** What bench.register() takes, per variant: the widget gets a token; bare JsSIP the same credentials. */
function widgetOptions(server, user) {
  return { server: server.wsUrl, token: token(user) };
}
function bareOptions(server, user) {
  const t = token(user);
  const claims = decodeToken(t);
  return {
    server: server.wsUrl,
    user,
    domain: DOMAIN,
    authUser: claims.sip_auth_user,
    password: claims.sip_auth_password,
    tokenHeader: `${WIDGET_TOKEN_HEADER}: ${t}`,
  };
}
function optionsFor(variant, server, user) {
  return variant === 'widget' ? widgetOptions(server, user) : bareOptions(server, user);
}

async function openPage(variant, { instrument = false } = {}) {
  const page = await newIsolatedPage(browser);
  await page.goto(`${web.url}/test/bench/pages/${variant}.html${instrument ? '?instrument=1' : ''}`, { waitUntil: 'load' });
  const ok = await page.evaluate(
    () => typeof window.bench?.register === 'function' && (window.bench.variant !== 'widget' || !!customElements.get('voice-widget')),
  );
  if (!ok) throw new Error(`${variant}.html did not load: ${pageLog(page).join('\n')}`);
  return page;
}

async function registeredPage(variant, server, user, opts) {
  const page = await openPage(variant, opts);
  const r = await page.evaluate((o) => window.bench.register(o), optionsFor(variant, server, user));
  if (!r.ok) throw new Error(`${variant} ${user} did not register: ${JSON.stringify(r)} ${pageLog(page).join('\n')}`);
  return page;
}

function closePage(page) {
  return page
    .browserContext()
    .close()
    .catch(() => {});
}

// ── 2. registration ─────────────────────────────────────────────────────────
// Fresh page per run (a new browser context: no storage, no cache), same
// server, a new user per run. Widget: a <voice-widget> with token and server
// set is connected (appended) → `ready`. Bare JsSIP: UA.start() → `registered`
// (the UA built just before, not timed; JsSIP defaults, register: true).
// Variants strictly alternate; the first WARMUP runs of each are dropped.

/** Phase times from the SIP exchange a bench call returned. */
function registrationPhases(r) {
  const f = r.frames ?? [];
  const out = (n) => f.filter((x) => x.dir === 'out' && x.cseq === 'REGISTER')[n]?.at ?? null;
  const inn = (re) => f.find((x) => x.dir === 'in' && x.cseq === 'REGISTER' && re.test(x.line))?.at ?? null;
  return {
    firstRenderDone: r.firstRenderDone ?? null,
    socketCreated: r.socket?.created ?? null,
    socketOpen: r.socket?.open ?? null,
    register1Sent: out(0),
    challenged: inn(/ 40[17] /),
    register2Sent: out(1),
    registered200: inn(/ 200 /),
    done: r.ms,
  };
}

function phaseMedians(list) {
  const keys = Object.keys(list[0] ?? {});
  return Object.fromEntries(keys.map((k) => [k, round(median(list.map((p) => p[k]).filter((x) => x !== null)))]));
}

async function measureRegistration() {
  results.registration = {};
  for (const [name, server] of [
    ['kamailio', kamailio],
    ['embedded', embedded],
  ]) {
    const runs = { widget: [], bare: [] };
    for (let i = 0; i < WARMUP + RUNS; i++) {
      for (const variant of ['widget', 'bare']) {
        const page = await openPage(variant);
        try {
          await sleep(PAGE_QUIET_MS);
          const r = await page.evaluate((o) => window.bench.register(o), optionsFor(variant, server, `reg-${variant[0]}${i}-${name[0]}`));
          if (!r.ok) throw new Error(`${variant} registration failed on ${name}: ${JSON.stringify(r)}`);
          if (i >= WARMUP) runs[variant].push(r);
        } finally {
          await closePage(page);
        }
      }
    }
    const w = summarize(runs.widget.map((r) => r.ms));
    const b = summarize(runs.bare.map((r) => r.ms));
    const rat = ratio(w.median, b.median);
    // JsSIP builds its UA (config checks, URI parsing: first use of its grammar) before UA.start();
    // the widget does that inside its timed window. The same baseline, timed from new JsSIP.UA():
    const bNew = summarize(runs.bare.map((r) => r.fromNewUaMs));
    const ratNew = ratio(w.median, bNew.median);
    results.registration[name] = {
      widget: w,
      bare: b,
      ratio: round(rat, 3),
      bareFromNewUA: bNew,
      ratioFromNewUA: round(ratNew, 3),
      widgetTimeline: runs.widget.slice(0, 3).map((r) => r.timeline),
      phases: { widget: phaseMedians(runs.widget.map(registrationPhases)), bare: phaseMedians(runs.bare.map(registrationPhases)) },
      exampleExchange: { widget: runs.widget[0]?.frames, bare: runs.bare[0]?.frames },
    };
    say(`registration ${name}: widget ${ms(w.median)}, bare ${ms(b.median)} (${fmtRatio(rat)}); bare from new UA() ${ms(bNew.median)} (${fmtRatio(ratNew)})`);
    const budgeted = name === 'kamailio' && RUNS >= 20 && !QUICK;
    rows.push({
      g: GROUP.registration,
      metric: `registration (${name}): connected → ready vs UA.start() → registered, median of ${RUNS}`,
      widget: ms(w.median),
      bare: ms(b.median),
      ratio: fmtRatio(rat),
      budget: name === 'kamailio' ? '≤ 1.2×' : '(info)',
      status: name !== 'kamailio' ? 'INFO' : !budgeted ? 'INFO' : rat <= BUDGETS.registrationRatio ? 'PASS' : 'FAIL',
    });
    rows.push({
      g: GROUP.registration,
      metric: `registration (${name}): the same, bare JsSIP timed from new JsSIP.UA()`,
      widget: ms(w.median),
      bare: ms(bNew.median),
      ratio: fmtRatio(ratNew),
      budget: '(info)',
      status: 'INFO',
    });
  }
}

// ── 3. call setup ───────────────────────────────────────────────────────────
// No ICE servers. One registered caller page per variant, calling the same
// auto-answering callee (a widget) through Kamailio; strictly alternating.
// Widget: call() → `state-change` in-progress. Bare JsSIP (defaults):
// ua.call() → session `confirmed`. After each call: hang up, wait for the
// callee's call-ended, pause.

function callPhases(r) {
  const f = r.frames ?? [];
  const at = (dir, cseq, re) => f.find((x) => x.dir === dir && x.cseq === cseq && (!re || re.test(x.line)))?.at ?? null;
  const invites = f.filter((x) => x.dir === 'out' && x.cseq === 'INVITE' && /^INVITE /.test(x.line));
  const acks = f.filter((x) => x.dir === 'out' && x.cseq === 'ACK');
  return {
    inviteSent: invites[0]?.at ?? null,
    challenged: at('in', 'INVITE', / 40[17] /),
    inviteWithAuthSent: invites[1]?.at ?? null,
    trying100: at('in', 'INVITE', / 100 /),
    ringing180: at('in', 'INVITE', / 18\d /),
    ok200: at('in', 'INVITE', / 200 /),
    ackOf200Sent: acks.at(-1)?.at ?? null,
    done: r.setupMs,
  };
}

async function oneCall(caller, callee, target = 'bob', opts = {}) {
  const from = await callee.evaluate(() => window.bench.seq());
  const r = await caller.evaluate((t, o) => window.bench.call(t, o), target, opts);
  if (!r.ok) throw new Error(`call failed: ${JSON.stringify(r)}`);
  const h = await caller.evaluate(() => window.bench.hangup());
  if (!h.ok) throw new Error(`hang-up failed: ${JSON.stringify(h)}`);
  const ended = await callee.evaluate((f) => window.bench.waitFor('call-ended', { from: f, timeout: 10000 }), from);
  if (!ended) throw new Error('the callee did not see the call end');
  return r;
}

async function measureCallSetup(callee, callers) {
  const runs = { widget: [], bare: [] };
  for (let i = 0; i < WARMUP + RUNS; i++) {
    for (const variant of ['widget', 'bare']) {
      const r = await oneCall(callers[variant], callee);
      if (i >= WARMUP) runs[variant].push(r);
      await sleep(250);
    }
  }
  const w = summarize(runs.widget.map((r) => r.setupMs));
  const b = summarize(runs.bare.map((r) => r.setupMs));
  const rat = ratio(w.median, b.median);
  results.callSetup = {
    server: 'kamailio',
    callee: 'a <voice-widget> answering on call-received',
    widget: w,
    bare: b,
    ratio: round(rat, 3),
    inviteSent: { widget: summarize(runs.widget.map((r) => r.sentMs)), bare: summarize(runs.bare.map((r) => r.sentMs)) },
    phases: { widget: phaseMedians(runs.widget.map(callPhases)), bare: phaseMedians(runs.bare.map(callPhases)) },
    bareAcceptedVsConfirmed: summarize(runs.bare.map((r) => r.setupMs - r.acceptedMs)),
  };
  say(
    `call setup: widget ${ms(w.median)}, bare ${ms(b.median)} (${fmtRatio(rat)}); INVITE out after ${ms(results.callSetup.inviteSent.widget.median)} vs ${ms(results.callSetup.inviteSent.bare.median)}`,
  );
  rows.push({
    g: GROUP.call,
    metric: `call setup, no ICE servers: call() → in-progress vs ua.call() → confirmed, median of ${RUNS}`,
    widget: ms(w.median),
    bare: ms(b.median),
    ratio: fmtRatio(rat),
    budget: '≤ 0.5×',
    status: QUICK || RUNS < 20 ? 'INFO' : rat <= BUDGETS.callSetupRatio ? 'PASS' : 'FAIL',
  });
}

// ── 4. an unreachable STUN server ───────────────────────────────────────────
// ICE servers: one STUN server on a local UDP port that takes every request
// and never answers (a bound socket here, counting what it gets). Widget:
// call() → `call-started` (fired a microtask after JsSIP's 'sending', i.e.
// once the INVITE is out), BAD_ICE_RUNS calls. Bare JsSIP: ua.call() → the
// same moment ('sending' + a microtask), once, capped at 45 s; it runs while
// the idle minute and the bundle builds do.

function badIceServers() {
  return [{ urls: `stun:127.0.0.1:${sink.address().port}` }];
}

async function badIceWidget(callee, callers) {
  await callers.widget.evaluate((s) => window.bench.setIceServers(s), badIceServers());
  const runs = [];
  try {
    for (let i = 0; i < BAD_ICE_RUNS; i++) {
      const r = await oneCall(callers.widget, callee, 'bob', { probe: false });
      runs.push(r.sentMs);
      await sleep(250);
    }
  } finally {
    await callers.widget.evaluate(() => window.bench.setIceServers(null));
  }
  const w = summarize(runs);
  say(`bad ICE: widget ${ms(w.median)} (max ${ms(w.max)}); ${stunRequests} STUN requests went unanswered`);
  return w;
}

async function badIceBare(callee, callers, w) {
  const stunBefore = stunRequests;
  await callers.bare.evaluate((s) => window.bench.setIceServers(s), badIceServers());
  let bare;
  try {
    const from = await callee.evaluate(() => window.bench.seq());
    bare = await callers.bare.evaluate((cap) => window.bench.callUntilSent('bob', { timeout: cap }), BARE_BAD_ICE_CAP_MS);
    await callers.bare.evaluate(() => window.bench.hangup());
    if (bare.ok) await callee.evaluate((f) => window.bench.waitFor('call-ended', { from: f, timeout: 10000 }), from);
  } finally {
    await callers.bare.evaluate(() => window.bench.setIceServers(null));
  }
  results.badIce = {
    stunServer: badIceServers()[0].urls,
    stunRequestsSeen: stunRequests,
    stunRequestsDuringBareRun: stunRequests - stunBefore,
    widget: w,
    bare: bare.ok ? { n: 1, ms: round(bare.sentMs) } : { n: 1, ms: null, cappedAtMs: BARE_BAD_ICE_CAP_MS, result: bare },
  };
  say(`bad ICE: bare JsSIP ${bare.ok ? ms(bare.sentMs) : `> ${BARE_BAD_ICE_CAP_MS / 1000} s`}`);
  rows.push({
    g: GROUP.badice,
    metric: `unreachable STUN server: call() → INVITE sent, median of ${BAD_ICE_RUNS} (bare: 1 run)`,
    widget: w ? `${ms(w.median)} (max ${ms(w.max)})` : 'n/a',
    bare: bare.ok ? ms(bare.sentMs) : `> ${BARE_BAD_ICE_CAP_MS / 1000} s (capped)`,
    ratio: bare.ok && w ? fmtRatio(ratio(w.median, bare.sentMs)) : '',
    budget: '≤ 500 ms',
    status: w && w.median !== null && w.median <= BUDGETS.badIceMs ? 'PASS' : 'FAIL',
  });
}

// ── 5. leaks ────────────────────────────────────────────────────────────────
// One widget page (instrumented: timers, RTCPeerConnection, getUserMedia and
// AudioContext wrapped before the bundle loads) makes LEAK_CALLS calls to the
// auto-answering callee, hanging up each. Baseline after the first call;
// the end state after the last one, both after LEAK_SETTLE_MS of quiet (the
// calls' SIP transactions end: Timer M is 32 s) and two forced GCs. Peer
// connections and tracks are tracked through WeakRefs, so the tracking
// itself keeps nothing alive. Heap: CDP Performance.getMetrics JSHeapUsedSize; listeners:
// CDP DOMDebugger.getEventListeners on window, on document (whole tree,
// shadow roots included) and on the element's subtree; timers: the wrappers'
// count of active timers (the fewest over a few samples, so an in-flight
// keepalive does not count).

async function snapshot(page, cdp) {
  const samples = [];
  for (let i = 0; i < 8; i++) {
    samples.push(
      await page.evaluate(() => ({
        active: window.bench.timers.active.size,
        bySite: window.bench.timers.activeBySite(),
        raf: window.bench.timers.rafActive.size,
      })),
    );
    await sleep(300);
  }
  const timers = samples.reduce((a, b) => (b.active < a.active ? b : a));
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (n) => metrics.find((m) => m.name === n)?.value ?? null;
  const listeners = {};
  for (const [name, expr, deep] of [
    ['window', 'window', false],
    ['document', 'document', true],
    ['element', 'window.bench.el()', true],
  ]) {
    const { result } = await cdp.send('Runtime.evaluate', { expression: expr, objectGroup: 'bench' });
    const { listeners: l } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId, ...(deep ? { depth: -1, pierce: true } : {}) });
    listeners[name] = l.length;
    listeners[`${name}Types`] = [...new Set(l.map((x) => x.type))].sort();
  }
  await cdp.send('Runtime.releaseObjectGroup', { objectGroup: 'bench' });
  const page_ = await page.evaluate(() => ({
    pcs: window.bench.pcs.summary(),
    mic: window.bench.mic.summary(),
    audioContexts: window.bench.audioContexts.summary(),
    state: window.bench.state(),
  }));
  return {
    heapUsed: metric('JSHeapUsedSize'),
    heapTotal: metric('JSHeapTotalSize'),
    nodes: metric('Nodes'),
    jsEventListeners: metric('JSEventListeners'),
    listeners,
    timers,
    ...page_,
  };
}

async function leakBaseline(callee) {
  const page = await registeredPage('widget', kamailio, 'lena', { instrument: true });
  const cdp = await page.createCDPSession();
  await cdp.send('Performance.enable');
  try {
    await oneCall(page, callee, 'bob', { probe: false });
    await sleep(LEAK_SETTLE_MS);
    const baseline = await snapshot(page, cdp);
    return { page, cdp, baseline, heapAt: [{ call: 1, heapUsed: baseline.heapUsed }], setup: [] };
  } catch (err) {
    await cdp.detach().catch(() => {});
    await closePage(page);
    throw err;
  }
}

async function leakRun(callee, leak) {
  const { page, cdp } = leak;
  try {
    for (let i = 2; i <= LEAK_CALLS; i++) {
      const r = await oneCall(page, callee, 'bob', { probe: false });
      leak.setup.push(r.setupMs);
      await sleep(100);
      if (i === Math.floor(LEAK_CALLS / 2)) {
        await cdp.send('HeapProfiler.collectGarbage');
        const { metrics } = await cdp.send('Performance.getMetrics');
        leak.heapAt.push({ call: i, heapUsed: metrics.find((m) => m.name === 'JSHeapUsedSize').value });
      }
    }
    leak.lastCallAt = Date.now();
  } catch (err) {
    await cdp.detach().catch(() => {});
    await closePage(page);
    leak.closed = true;
    throw err;
  }
}

async function leakEnd(leak) {
  const { page, cdp, baseline } = leak;
  if (leak.closed) return;
  try {
    await sleep(Math.max(0, LEAK_SETTLE_MS - (Date.now() - leak.lastCallAt)));
    const after = await snapshot(page, cdp);
    leak.heapAt.push({ call: LEAK_CALLS, heapUsed: after.heapUsed });
    const growth = after.heapUsed - baseline.heapUsed;
    const listenerDelta = ['window', 'document', 'element'].map((k) => after.listeners[k] - baseline.listeners[k]);
    const timerDelta = after.timers.active - baseline.timers.active;
    const siteDiff = {};
    for (const site of new Set([...Object.keys(baseline.timers.bySite), ...Object.keys(after.timers.bySite)])) {
      const d = (after.timers.bySite[site] ?? 0) - (baseline.timers.bySite[site] ?? 0);
      if (d) siteDiff[site] = { delta: d, source: resolveSiteName(site) };
    }
    const named = (bySite) => Object.fromEntries(Object.entries(bySite).map(([s, n]) => [`${s} ${resolveSiteName(s) ?? ''}`.trim(), n]));
    results.leaks = {
      calls: LEAK_CALLS,
      baselineAfterCall: 1,
      settleMs: LEAK_SETTLE_MS,
      baseline: { ...baseline, timers: { ...baseline.timers, bySite: named(baseline.timers.bySite) } },
      after: { ...after, timers: { ...after.timers, bySite: named(after.timers.bySite) } },
      heapGrowthBytes: growth,
      heapAt: leak.heapAt,
      timerSiteDiff: siteDiff,
      callSetupDuringLeakRun: summarize(leak.setup),
    };
    say(
      `leaks: ${after.pcs.open} open peer connections of ${after.pcs.created}, ${after.mic.live} live mic tracks of ${after.mic.handedOut}, heap ${(growth / 2 ** 20).toFixed(2)} MB, listeners Δ ${listenerDelta.join('/')}, timers ${baseline.timers.active} → ${after.timers.active}`,
    );
    const calls = `after ${LEAK_CALLS} calls`;
    const g = GROUP.leaks;
    rows.push({
      g,
      metric: `leaks: RTCPeerConnections open ${calls}`,
      widget: `${after.pcs.open} of ${after.pcs.created}`,
      budget: '0',
      status: after.pcs.open === 0 && after.pcs.created >= LEAK_CALLS ? 'PASS' : 'FAIL',
    });
    rows.push({
      g,
      metric: `leaks: live microphone tracks ${calls}`,
      widget: `${after.mic.live} of ${after.mic.handedOut}`,
      budget: '0',
      status: after.mic.live === 0 && after.mic.handedOut >= LEAK_CALLS ? 'PASS' : 'FAIL',
    });
    rows.push({
      g,
      metric: `leaks: JS heap growth over call 1 ${calls} (after GC)`,
      widget: `${growth >= 0 ? '+' : ''}${(growth / 2 ** 20).toFixed(2)} MB`,
      budget: '≤ 5 MB',
      status: growth <= BUDGETS.heapGrowthBytes ? 'PASS' : 'FAIL',
    });
    rows.push({
      g,
      metric: 'leaks: event listeners (window / document tree / element), change',
      widget: `${listenerDelta.map((d) => (d > 0 ? `+${d}` : d)).join(' / ')} (now ${after.listeners.window} / ${after.listeners.document} / ${after.listeners.element})`,
      budget: 'unchanged',
      status: listenerDelta.every((d) => d === 0) ? 'PASS' : 'FAIL',
    });
    rows.push({
      g,
      metric: 'leaks: active timers, change',
      widget: `${timerDelta > 0 ? '+' : ''}${timerDelta} (${baseline.timers.active} → ${after.timers.active})`,
      budget: 'unchanged',
      status: timerDelta === 0 && after.timers.raf === 0 ? 'PASS' : 'FAIL',
    });
  } finally {
    await cdp.detach().catch(() => {});
    await closePage(page);
  }
}

function resolveSiteName(site) {
  const m = /^(.*):(\d+):(\d+)$/.exec(site);
  if (!m || !/voice-widget\.min\.js$/.test(m[1])) return null;
  const r = resolveSite(Number(m[2]), Number(m[3]));
  return r ? `${r.source}:${r.line}` : null;
}

// ── 6. idle cost ────────────────────────────────────────────────────────────
// A registered, idle widget (instrumented page) over IDLE_MS, and a bare JsSIP
// UA beside it for comparison, both on Kamailio; SETTLE_MS after registering
// before the window opens. Counted: every timer callback fired (per call
// site, via the wrappers), animation frames, and WebSocket frames (CDP
// Network.webSocketFrameSent/Received). Fires less than WAKE_GAP_MS apart
// are one wake-up (e.g. a keepalive's timer and the transaction timers its
// answer sets). Budget: wake-ups, and bursts of sent SIP messages, no more
// often than the widget's keepalive (KEEPALIVE_EVERY_MS in src/core/phone/connection.ts);
// without a keepalive, than JsSIP's registration refresh (≥ 300 s with
// register_expires 600).

async function keepaliveMs() {
  // The constant moved with the Phone split; read it from whichever file declares it.
  for (const file of ['src/core/phone/connection.ts', 'src/core/phone.ts']) {
    const src = await readFile(path.join(ROOT, file), 'utf8').catch(() => '');
    const m = /const KEEPALIVE_EVERY_MS\s*=\s*([\d_]+)/.exec(src);
    if (m) return { ms: Number(m[1].replace(/_/g, '')), from: `KEEPALIVE_EVERY_MS in ${file}` };
  }
  return { ms: 300_000, from: 'no KEEPALIVE_EVERY_MS in src/core: JsSIP registration refresh (register_expires 600 → ≥ 300 s)' };
}

async function idlePage(variant) {
  const page = await registeredPage(variant, kamailio, `idle-${variant}`, { instrument: true });
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  const frames = [];
  let recording = false;
  let startedAt = 0;
  const onFrame = (dir) => (e) =>
    recording &&
    frames.push({
      dir,
      t: e.timestamp,
      line: String(e.response?.payloadData ?? '')
        .split('\r\n')[0]
        .slice(0, 60),
    });
  cdp.on('Network.webSocketFrameSent', onFrame('out'));
  cdp.on('Network.webSocketFrameReceived', onFrame('in'));
  return {
    page,
    start: async () => {
      recording = true;
      startedAt = await page.evaluate(() => {
        window.bench.timers.recording = [];
        window.bench.timers.rafFired = 0;
        return performance.now();
      });
    },
    stop: async () => {
      recording = false;
      const fired = await page.evaluate(() => {
        const r = window.bench.timers.recording;
        window.bench.timers.recording = null;
        return { fires: r, raf: window.bench.timers.rafFired };
      });
      await cdp.detach().catch(() => {});
      // Fire times from the window's start.
      return { ...fired, fires: fired.fires.map((f) => ({ ...f, t: f.t - startedAt })), frames };
    },
  };
}

/** Clusters times (ms) into bursts: a gap over WAKE_GAP_MS starts a new one. Returns the bursts' start times. */
function bursts(times) {
  const sorted = [...times].sort((x, y) => x - y);
  const starts = [];
  let last = -Infinity;
  for (const t of sorted) {
    if (t - last > WAKE_GAP_MS) starts.push(t);
    last = t;
  }
  return starts;
}

function minGap(starts) {
  const gaps = starts.slice(1).map((t, i) => t - starts[i]);
  return gaps.length ? Math.min(...gaps) : null;
}

function analyseIdle({ fires, raf, frames }, windowMs, periodMs) {
  const bySite = new Map();
  for (const f of fires) {
    const s = bySite.get(f.site) ?? { site: f.site, kind: f.kind, delays: new Set(), times: [] };
    s.delays.add(f.delay);
    s.times.push(f.t);
    bySite.set(f.site, s);
  }
  const sites = [...bySite.values()].map((s) => ({
    site: s.site,
    source: null,
    kind: s.kind,
    delays: [...s.delays],
    fired: s.times.length,
    times: s.times.map((t) => round(t, 0)),
  }));
  const wakes = bursts(fires.map((f) => f.t));
  const maxWakes = Math.floor(windowMs / periodMs) + 1;
  const wakeGap = minGap(wakes);
  const sent = bursts(frames.filter((f) => f.dir === 'out').map((f) => f.t * 1000));
  const sentGap = minGap(sent);
  return {
    windowMs,
    timerFires: fires.length,
    wakeUps: wakes.length,
    minGapBetweenWakeUpsMs: wakeGap === null ? null : round(wakeGap, 0),
    animationFrames: raf,
    sites: sites.sort((a, b) => b.fired - a.fired),
    wsFrames: {
      sent: frames.filter((f) => f.dir === 'out').length,
      received: frames.filter((f) => f.dir === 'in').length,
      sendBursts: sent.length,
      minGapBetweenSendBurstsMs: sentGap === null ? null : round(sentGap, 0),
      lines: frames.map((f) => `${f.dir} ${f.line}`),
    },
    maxWakeUps: maxWakes,
    timersOk: raf === 0 && wakes.length <= maxWakes && (wakeGap === null || wakeGap >= 0.9 * periodMs),
    networkOk: sent.length <= maxWakes && (sentGap === null || sentGap >= 0.9 * periodMs),
  };
}

async function measureIdle() {
  const keepalive = await keepaliveMs();
  const pages = { widget: await idlePage('widget'), bare: await idlePage('bare') };
  try {
    await sleep(SETTLE_MS);
    await Promise.all(Object.values(pages).map((p) => p.start()));
    await sleep(IDLE_MS);
    const raw = { widget: await pages.widget.stop(), bare: await pages.bare.stop() };
    const w = analyseIdle(raw.widget, IDLE_MS, keepalive.ms);
    const b = analyseIdle(raw.bare, IDLE_MS, keepalive.ms);
    results.idle = { keepalive, widget: w, bare: b };
    const secs = IDLE_MS / 1000;
    const desc = (a) =>
      `${a.wakeUps} wake-ups${a.minGapBetweenWakeUpsMs !== null ? ` ≥ ${(a.minGapBetweenWakeUpsMs / 1000).toFixed(1)} s apart` : ''} (${a.timerFires} timer callbacks, ${a.animationFrames} frames)`;
    say(`idle: widget ${desc(w)}, ${w.wsFrames.sent}+${w.wsFrames.received} WS frames; bare ${desc(b)}, ${b.wsFrames.sent}+${b.wsFrames.received} WS frames`);
    const every = `≤ 1 per ${keepalive.ms / 1000} s (keepalive)`;
    rows.push({
      g: GROUP.idle,
      metric: `idle ${secs} s, registered: timer wake-ups (bursts ≤ 1 s apart = 1)`,
      widget: desc(w),
      bare: desc(b),
      budget: every,
      status: w.timersOk ? 'PASS' : 'FAIL',
    });
    rows.push({
      g: GROUP.idle,
      metric: `idle ${secs} s, registered: WebSocket frames (sent + received)`,
      widget: `${w.wsFrames.sent} + ${w.wsFrames.received} in ${w.wsFrames.sendBursts} exchange(s)`,
      bare: `${b.wsFrames.sent} + ${b.wsFrames.received} in ${b.wsFrames.sendBursts} exchange(s)`,
      budget: every,
      status: w.networkOk ? 'PASS' : 'FAIL',
    });
  } finally {
    for (const p of Object.values(pages)) await closePage(p.page);
  }
}

// ── 7. first render ─────────────────────────────────────────────────────────
// RENDER_LOADS loads of first-render.html, each in a fresh browser context:
// from a mark just before <script src="/dist/voice-widget.min.js"> to
// first-contentful-paint, which is the launcher (nothing else on the page
// paints; checked: the launcher was in the DOM in an earlier frame). If FCP
// came first (it never should), the end of the launcher's first frame is used.

async function measureFirstRender() {
  const loads = [];
  for (let i = 0; i < RENDER_LOADS; i++) {
    const page = await newIsolatedPage(browser);
    try {
      await page.goto(`${web.url}/test/bench/pages/first-render.html`, { waitUntil: 'load' });
      loads.push(await page.evaluate(() => window.firstRender));
    } finally {
      await closePage(page);
    }
  }
  const painted = loads.map((l) => (l.fcp !== null && l.launcherFrame !== null && l.launcherFrame <= l.fcp + 0.5 ? l.fcp : l.afterFrame));
  const total = summarize(loads.map((l, i) => painted[i] - l.scriptStart));
  results.firstRender = {
    loads: RENDER_LOADS,
    scriptStartToLauncherPainted: total,
    fcpWasLauncher: loads.filter((l) => l.fcp !== null && l.launcherFrame !== null && l.launcherFrame <= l.fcp + 0.5).length,
    fetch: summarize(loads.map((l) => l.responseEnd - l.fetchStart)),
    scriptStartToScriptEnd: summarize(loads.map((l) => l.scriptEnd - l.scriptStart)),
    scriptEndToPainted: summarize(loads.map((l, i) => painted[i] - l.scriptEnd)),
    fetchStartToPainted: summarize(loads.map((l, i) => painted[i] - l.fetchStart)),
    raw: loads,
  };
  say(
    `first render: ${ms(total.median)} (script ${ms(results.firstRender.scriptStartToScriptEnd.median)}, then ${ms(results.firstRender.scriptEndToPainted.median)} to paint)`,
  );
  rows.push({
    g: GROUP.render,
    metric: `first render: script start → launcher painted, median of ${RENDER_LOADS} loads`,
    widget: `${ms(total.median)} (load+run ${ms(results.firstRender.scriptStartToScriptEnd.median)}, to paint ${ms(results.firstRender.scriptEndToPainted.median)})`,
    status: 'INFO',
  });
}

// ── comparison with the previous run ────────────────────────────────────────

function printComparison(prev, cur) {
  const pick = (r) => ({
    'bundle gzip (B)': r.bundle?.total?.gzip,
    'registration kamailio widget (ms)': r.registration?.kamailio?.widget?.median,
    'registration kamailio bare (ms)': r.registration?.kamailio?.bare?.median,
    'registration kamailio ratio': r.registration?.kamailio?.ratio,
    'registration embedded widget (ms)': r.registration?.embedded?.widget?.median,
    'registration embedded bare (ms)': r.registration?.embedded?.bare?.median,
    'call setup widget (ms)': r.callSetup?.widget?.median,
    'call setup bare (ms)': r.callSetup?.bare?.median,
    'call setup ratio': r.callSetup?.ratio,
    'bad ICE widget (ms)': r.badIce?.widget?.median,
    'bad ICE bare (ms)': r.badIce?.bare?.ms,
    'heap growth (MB)': r.leaks ? round(r.leaks.heapGrowthBytes / 2 ** 20, 2) : undefined,
    'idle timer fires widget': r.idle?.widget?.timerFires,
    'first render (ms)': r.firstRender?.scriptStartToLauncherPainted?.median,
  });
  const a = pick(prev);
  const b = pick(cur);
  const lines = Object.keys(b)
    .filter((k) => typeof a[k] === 'number' && typeof b[k] === 'number')
    .map(
      (k) =>
        `  ${k.padEnd(36)} ${String(a[k]).padStart(10)} → ${String(b[k]).padEnd(10)} ${a[k] ? `(${b[k] >= a[k] ? '+' : ''}${(((b[k] - a[k]) / a[k]) * 100).toFixed(1)} %)` : ''}`,
    );
  if (lines.length) console.log(`vs the previous run (${prev.meta?.date}):\n${lines.join('\n')}\n`);
}
