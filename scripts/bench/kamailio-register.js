#!/usr/bin/env node
// What the token check costs a REGISTER on Kamailio: the same raw WebSocket
// client registers N times (challenge + answer) against kamailio.cfg as of a
// git revision without the check (default a69059d, before issue 14) and
// against today's, alternating so both see the same machine load.
// Run: npm run build && node scripts/bench/kamailio-register.js [N] [old-revision]
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { decodeToken, mintToken } from '../../dist/node/index.js';
import { startKamailio } from '../../test/harness/kamailio.js';
import { connectRaw, statusOf } from '../../test/harness/sip-ws-client.js';

const N = Number(process.argv[2] ?? 50);
const OLD = process.argv[3] ?? 'a69059d';
const SECRET = 'bench-register-secret-0123456789';
const DOMAIN = 'voice.test';

const dir = await mkdtemp(path.join(os.tmpdir(), 'vw-kam-bench-'));
const oldCfg = path.join(dir, 'kamailio-old.cfg');
await writeFile(oldCfg, execFileSync('git', ['show', `${OLD}:kamailio/kamailio.cfg`]));
const servers = { before: await startKamailio({ secret: SECRET, cfgPath: oldCfg }), now: await startKamailio({ secret: SECRET }) };
try {
  const token = mintToken({ secret: SECRET, user: 'bench', domain: DOMAIN, ttl: 3600 });
  const { sip_auth_user: authUser, sip_auth_password: password } = decodeToken(token);
  const clients = {};
  for (const [name, kam] of Object.entries(servers)) clients[name] = await connectRaw(kam.wsUrl);
  const times = { before: [], now: [] };
  for (let i = 0; i < N + 5; i++) {
    for (const name of i % 2 ? ['before', 'now'] : ['now', 'before']) {
      const t0 = performance.now();
      const reply = await clients[name].register({ user: 'bench', domain: DOMAIN, token, authUser, password }).catch((e) => {
        throw new Error(`${name} #${i}: ${e.message}\n${servers[name].log().slice(-1500)}`);
      });
      const ms = performance.now() - t0;
      if (statusOf(reply)?.status !== 200) throw new Error(`${name}: ${reply.split('\r\n')[0]}`);
      if (i >= 5) times[name].push(ms); // the first few warm up the workers
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const m = { before: median(times.before), now: median(times.now) };
  console.log(
    `REGISTER (401 challenge + 200), median of ${N}: before ${m.before.toFixed(2)} ms, with the token check ${m.now.toFixed(2)} ms, ratio ${(m.now / m.before).toFixed(2)}`,
  );
  for (const c of Object.values(clients)) c.close();
} finally {
  for (const kam of Object.values(servers)) await kam.stop();
  await rm(dir, { recursive: true, force: true });
}
