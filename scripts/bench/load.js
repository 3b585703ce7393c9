#!/usr/bin/env node
// Load on two Kamailio cluster nodes (kamailio/cluster.cfg), loopback only:
// raw SIP-over-WebSocket clients (the browser path, with the widget token)
// register on both nodes and call across them (signalling only, no media);
// then the token service's request rate on the file store and on PostgreSQL.
// Bounded: CLIENTS per node (default 200, at most 1000), CALLS per node
// (default 100), 10 requests in flight. Prints a table and writes
// .tmp/bench/load.json.
//
//   npm run build && node scripts/bench/load.js [--clients N] [--calls N] [--token-requests N] [--shm MiB] [--json]
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { TokenService, mintToken } from '../../dist/node/index.js';
import { startKamailio } from '../../test/harness/kamailio.js';
import { startPostgres } from '../../test/harness/postgres.js';
import { headerOf, nextMatching, replyTo, webrtcOffer } from '../../test/harness/sip-ws-calls.js';
import { inviteRequest, registerThrough, sipClient, status } from '../../test/harness/sip-ws-client.js';
import { percentile, round } from './stats.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const argv = process.argv.slice(2);
const num = (name, dflt, max) => {
  const i = argv.indexOf(name);
  return Math.min(max, i >= 0 ? Number(argv[i + 1]) : dflt);
};
const CLIENTS = num('--clients', 200, 1000);
// Shared memory per node: the harness's 64 MiB holds only some hundreds of WebSockets (--shm 64 shows where it breaks).
const SHM = num('--shm', 512, 4096);
const CALLS = num('--calls', 100, 500);
const TOKEN_REQUESTS = num('--token-requests', 400, 5000);
const IN_FLIGHT = 10;
const SECRET = 'bench-load-secret-0123456789abcdef';
const DOMAIN = 'voice.test';
const say = (s) => !argv.includes('--json') && console.error(s);

/** Runs `jobs` (functions returning promises) with at most `n` at a time. */
async function pool(jobs, n) {
  const out = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]();
      }
    }),
  );
  return out;
}

/** Proportional set size of all processes in Kamailio's process group, KiB (shared memory counted once). */
async function groupPssKiB(pgid) {
  let total = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      total += Number(/^Pss:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

const stats = (xs, seconds) => ({
  n: xs.length,
  perSecond: round(xs.length / seconds, 1),
  p50: round(percentile(xs, 0.5)),
  p99: round(percentile(xs, 0.99)),
});

async function registerAll(node, users) {
  const clients = [];
  const times = [];
  const failures = [];
  const t0 = performance.now();
  await pool(
    users.map((user) => async () => {
      // A refusal is counted (where a node runs out of room is a result), not fatal.
      try {
        const c = await sipClient(node.wsUrl);
        c.user = user;
        const start = performance.now();
        const answer = await registerThrough(c, user, DOMAIN, { token: mintToken({ secret: SECRET, user, domain: DOMAIN, name: user, ttl: 3600 }) });
        if (status(answer) !== 200) throw new Error(`REGISTER ${user}: ${answer.split('\r\n')[0]}`);
        times.push(performance.now() - start);
        clients.push(c);
      } catch (e) {
        failures.push(String(e.message).slice(0, 120));
      }
    }),
    IN_FLIGHT,
  );
  return { clients, ...stats(times, (performance.now() - t0) / 1000), failed: failures.length, firstFailure: failures[0] };
}

let callSeq = 0;
/** INVITE → callee's 200 → ACK → BYE → 200, caller on one node and callee on the other; setup time = INVITE to 200. */
async function oneCall(caller, callerUser, callee, calleeUser) {
  const callId = `load-${++callSeq}-${Date.now()}`;
  const start = performance.now();
  caller.send(inviteRequest(callerUser, calleeUser, DOMAIN, { callId, body: webrtcOffer() }));
  const invite = await nextMatching(callee, (m) => m.startsWith('INVITE ') && m.includes(callId), 10_000);
  callee.send(replyTo(invite, 200, 'OK', { contact: `<sip:${calleeUser}x@h${calleeUser}.invalid;transport=ws>`, body: webrtcOffer() }));
  const ok = await nextMatching(caller, (m) => /^SIP\/2\.0 [2-6]/.test(m) && m.includes(callId) && headerOf(m, 'CSeq').endsWith('INVITE'), 10_000);
  if (status(ok) !== 200) throw new Error(`call ${callId}: ${ok.split('\r\n')[0]}`);
  const setupMs = performance.now() - start;
  // In-dialog: to the callee's Contact along the Record-Route set, reversed.
  const target = /<([^>]+)>/.exec(headerOf(ok, 'Contact'))[1];
  const routes = (ok.match(/^Record-Route:.*$/gim) ?? []).flatMap((l) => l.replace(/^Record-Route:\s*/i, '').split(/,(?=\s*<)/)).reverse();
  const inDialog = (method, cseq) =>
    [
      `${method} ${target} SIP/2.0`,
      `Via: SIP/2.0/WSS h.invalid;branch=z9hG4bK${method}-${callId}-${cseq}`,
      'Max-Forwards: 69',
      `To: ${headerOf(ok, 'To')}`,
      `From: ${headerOf(ok, 'From')}`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} ${method}`,
      ...routes.map((r) => `Route: ${r.trim()}`),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  caller.send(inDialog('ACK', 1));
  caller.send(inDialog('BYE', 2));
  const bye = await nextMatching(callee, (m) => m.startsWith('BYE ') && m.includes(callId), 10_000);
  callee.send(replyTo(bye, 200, 'OK'));
  await nextMatching(caller, (m) => m.startsWith('SIP/2.0 200') && m.includes(callId) && m.includes(' BYE'), 10_000);
  return setupMs;
}

async function callsFrom(from, to, count) {
  const times = [];
  const failures = [];
  const t0 = performance.now();
  await pool(
    Array.from({ length: count }, (_, i) => async () => {
      const a = from.clients[i % from.clients.length];
      const b = to.clients[i % to.clients.length];
      // A failed call is counted and reported, not fatal: this is a measure.
      await oneCall(a, a.user, b, b.user).then(
        (ms) => times.push(ms),
        (e) => failures.push(String(e.message).slice(0, 120)),
      );
    }),
    Math.min(IN_FLIGHT, from.clients.length),
  );
  return { ...stats(times, (performance.now() - t0) / 1000), failed: failures.length, firstFailure: failures[0] };
}

/** Token-service requests/s (POST a token, GET it) with the given store, through its HTTP API. */
async function tokenRate(store) {
  const svc = await TokenService.open({
    secret: SECRET,
    apiKeys: ['bench-load-api-key-0123456789'],
    domain: DOMAIN,
    rateLimit: { perSecond: 1e6, burst: 1e6 },
    storeLimits: { maxRecords: 100_000, maxBytes: 256 * 1024 * 1024 },
    ...store,
  });
  const server = http.createServer(async (req, res) => {
    if (!(await svc.handle(req, res))) res.writeHead(404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}/v1/tokens`;
  const headers = { Authorization: 'Bearer bench-load-api-key-0123456789', 'Content-Type': 'application/json' };
  try {
    const ids = [];
    const measure = async (jobs) => {
      const times = [];
      const t0 = performance.now();
      await pool(
        jobs.map((job) => async () => {
          const s = performance.now();
          await job();
          times.push(performance.now() - s);
        }),
        IN_FLIGHT,
      );
      return stats(times, (performance.now() - t0) / 1000);
    };
    const create = await measure(
      Array.from({ length: TOKEN_REQUESTS }, (_, i) => async () => {
        const res = await fetch(base, { method: 'POST', headers, body: JSON.stringify({ sip_user: `agent${i}`, payload: { desk: i } }) });
        if (res.status !== 201) throw new Error(`POST: ${res.status}`);
        ids.push((await res.json()).uuid);
      }),
    );
    const read = await measure(
      ids.map((id) => async () => {
        const res = await fetch(`${base}/${id}`, { headers });
        if (res.status !== 200) throw new Error(`GET: ${res.status}`);
        await res.arrayBuffer();
      }),
    );
    return { create, read };
  } finally {
    server.closeAllConnections();
    server.close();
    await svc.close();
  }
}

const results = {
  date: new Date().toISOString(),
  cpus: os.cpus().length,
  loadAverage: os.loadavg().map((x) => round(x, 2)),
  clients: CLIENTS,
  calls: CALLS,
  shmMiB: SHM,
};
const limits = { UNREGISTERED_PER_ADDRESS: 100_000, MAX_CONTACTS: 10 };
say(`starting two Kamailio nodes (127.0.0.2, 127.0.0.3)`);
const nodeA = await startKamailio({ secret: SECRET, host: '127.0.0.2', cluster: {}, defines: limits, logLevel: 1, shmMiB: SHM });
const nodeB = await startKamailio({ secret: SECRET, host: '127.0.0.3', cluster: { seed: nodeA.nodeUri }, defines: limits, logLevel: 1, shmMiB: SHM });
const all = [];
try {
  await new Promise((r) => setTimeout(r, 1500)); // the nodes find each other
  const before = { a: await groupPssKiB(nodeA.pid), b: await groupPssKiB(nodeB.pid) };
  say(`registering ${CLIENTS} clients on each node`);
  const users = (p) => Array.from({ length: CLIENTS }, (_, i) => `${p}${i}`);
  const regA = await registerAll(nodeA, users('a'));
  const regB = await registerAll(nodeB, users('b'));
  all.push(...regA.clients, ...regB.clients);
  await new Promise((r) => setTimeout(r, 1000)); // replication settles
  const afterReg = { a: await groupPssKiB(nodeA.pid), b: await groupPssKiB(nodeB.pid) };
  // Each node holds all 2×CLIENTS contacts (its own and the replicated ones) and CLIENTS connections.
  const per1000 = (d, n) => round(((d / 1024) * 1000) / n, 1);
  results.register = { nodeA: { ...regA, clients: undefined }, nodeB: { ...regB, clients: undefined } };
  results.memory = {
    note: 'PSS of all Kamailio processes (MiB) per 1,000 local registrations (each node also holds the other node’s contacts)',
    nodeA: per1000(afterReg.a - before.a, regA.n),
    nodeB: per1000(afterReg.b - before.b, regB.n),
  };
  say(`${CALLS} calls from each node to the other`);
  results.calls = { fromB: await callsFrom(regB, regA, CALLS), fromA: await callsFrom(regA, regB, CALLS) };
} finally {
  for (const c of all) c.close();
  await nodeA.stop();
  await nodeB.stop();
}

say(`token service: ${TOKEN_REQUESTS} creates and reads, file store then PostgreSQL`);
const dir = await mkdtemp(path.join(os.tmpdir(), 'vw-load-'));
try {
  results.tokenService = { file: await tokenRate({ storePath: path.join(dir, 'tokens.json') }) };
} finally {
  await rm(dir, { recursive: true, force: true });
}
const pg = await startPostgres();
try {
  results.tokenService.postgres = await tokenRate({ databaseUrl: pg.url });
} finally {
  await pg.stop();
}

const out = path.join(ROOT, '.tmp/bench');
await mkdir(out, { recursive: true });
await writeFile(path.join(out, 'load.json'), `${JSON.stringify(results, null, 2)}\n`);
if (argv.includes('--json')) {
  console.log(JSON.stringify(results));
} else {
  const r = results;
  const line = (name, s) =>
    `${name.padEnd(34)} ${String(s.perSecond).padStart(8)}/s   p50 ${String(s.p50).padStart(7)} ms   p99 ${String(s.p99).padStart(7)} ms   (n=${s.n}${s.failed ? `, ${s.failed} failed: ${s.firstFailure}` : ''})`;
  console.log(
    [
      `load average at start ${r.loadAverage.join(' ')} on ${r.cpus} cores; ${r.clients} clients per node, ${r.shmMiB} MiB shared memory per node`,
      line('REGISTER (challenge + 200) node A', r.register.nodeA),
      line('REGISTER (challenge + 200) node B', r.register.nodeB),
      line('call setup B → A (INVITE → 200)', r.calls.fromB),
      line('call setup A → B (INVITE → 200)', r.calls.fromA),
      `memory per 1,000 registrations: node A ${r.memory.nodeA} MiB, node B ${r.memory.nodeB} MiB (PSS)`,
      line('token POST, file store', r.tokenService.file.create),
      line('token GET, file store', r.tokenService.file.read),
      line('token POST, PostgreSQL', r.tokenService.postgres.create),
      line('token GET, PostgreSQL', r.tokenService.postgres.read),
    ].join('\n'),
  );
}
