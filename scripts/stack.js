#!/usr/bin/env node
// `npm run stack`: the production stack on one machine, for trial and tests.
// Kamailio with kamailio/kamailio.cfg and the phone network
// (kamailio/phone-network.cfg), rtpengine (userspace), and the token service,
// all on loopback (or --address), with secrets generated for this run. It
// prints the URLs, how to mint a token and how to point a trunk at it;
// Ctrl+C (or SIGTERM) stops all of it.
//
//   npm run stack -- [--address 127.0.0.1] [--trunk sip:HOST:PORT]...
//                    [--did +E164=user]... [--country-code 1]
//                    [--national-prefix 1] [--international-prefix 011]
//                    [--transcode] [--anchor-browser-calls] [--json]
//
// --json prints one line of JSON (URLs, API key, process ids) instead of the
// text, for scripts (test/e2e/stack.test.js).
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

import { freePort, startKamailio } from '../test/harness/kamailio.js';
import { startRtpengine } from '../test/harness/rtpengine.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOMAIN = 'voice.local';

const { values: opts } = parseArgs({
  options: {
    address: { type: 'string', default: '127.0.0.1' },
    trunk: { type: 'string', multiple: true, default: [] },
    did: { type: 'string', multiple: true, default: [] },
    'country-code': { type: 'string' },
    'national-prefix': { type: 'string' },
    'international-prefix': { type: 'string' },
    'trunk-credential': { type: 'string' },
    transcode: { type: 'boolean', default: false },
    'anchor-browser-calls': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

function fail(message) {
  console.error(`voice-widget stack: ${message}`);
  process.exit(1);
}

if (!net.isIPv4(opts.address)) fail(`--address must be an IPv4 address, got ${opts.address}`);
const dids = {};
for (const d of opts.did) {
  const m = d.match(/^(\+[1-9][0-9]{6,14})=([A-Za-z0-9._~+-]{1,64})$/);
  if (!m) fail(`--did must be +E164=user (e.g. +15551230001=alice), got ${d}`);
  dids[m[1]] = m[2];
}
if (!existsSync(path.join(ROOT, 'dist/node/index.js'))) fail('run `npm run build` first (dist/ is missing)');
const { TokenService } = await import('../dist/node/index.js');

const startedAt = Date.now();
const secret = randomBytes(24).toString('base64url');
const apiKey = randomBytes(24).toString('base64url');
const controlSecret = randomBytes(24).toString('base64url');
const stateDir = await mkdtemp(path.join(os.tmpdir(), 'voice-widget-stack-'));
// The API key goes to a file only the user can read, never to the terminal or a log.
const apiKeyFile = path.join(stateDir, 'api-key');
await writeFile(apiKeyFile, apiKey, { mode: 0o600 });

let rtp;
let kam;
let tokens;
let api;
let stopping = null;

async function stop(code) {
  stopping ??= (async () => {
    await kam?.stop().catch(() => {});
    await rtp?.stop().catch(() => {});
    await tokens?.close().catch(() => {});
    if (api) await new Promise((resolve) => api.close(resolve));
    await rm(stateDir, { recursive: true, force: true });
    if (!opts.json) console.log('voice-widget stack: stopped');
    process.exit(code);
  })();
  return stopping;
}
// The harnesses' own signal handlers then kill Kamailio's and rtpengine's
// process groups synchronously and exit; the state dir goes first.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    rmSync(stateDir, { recursive: true, force: true });
    stop(0);
  });
}

try {
  rtp = await startRtpengine({ address: opts.address });
  const controlPort = await freePort();
  tokens = await TokenService.open({
    secret,
    apiKeys: [apiKey],
    storePath: path.join(stateDir, 'tokens.json'),
    domain: DOMAIN,
    kamailio: { nodes: [`http://127.0.0.1:${controlPort}`], secret: controlSecret },
  });
  api = http.createServer(async (req, res) => {
    if (!(await tokens.handle(req, res))) res.writeHead(404).end();
  });
  await new Promise((resolve, reject) => {
    api.once('error', reject);
    api.listen(0, '127.0.0.1', resolve);
  });
  const apiUrl = `http://127.0.0.1:${api.address().port}`;
  kam = await startKamailio({
    secret,
    controlSecret,
    controlPort,
    revocationsUrl: `${apiUrl}/v1/kamailio/revocations`,
    udpHost: opts.address,
    phoneNetwork: {
      rtpengine: rtp.ngUrl,
      gateways: opts.trunk,
      dids,
      countryCode: opts['country-code'],
      nationalPrefix: opts['national-prefix'],
      internationalPrefix: opts['international-prefix'],
      trunkCredential: opts['trunk-credential'],
      transcode: opts.transcode,
      anchorBrowserCalls: opts['anchor-browser-calls'],
    },
  });
  const info = {
    startMs: Date.now() - startedAt,
    domain: DOMAIN,
    wsUrl: kam.wsUrl,
    sipUdp: `sip:${kam.udp.host}:${kam.udp.port}`,
    tokenApi: `${apiUrl}/v1/tokens`,
    apiKeyFile,
    rtpengine: rtp.ngUrl,
    pids: { node: process.pid, kamailio: kam.pid, rtpengine: rtp.pid },
  };
  if (opts.json) {
    console.log(JSON.stringify(info));
  } else {
    console.log(`voice-widget stack: up in ${info.startMs} ms (secrets generated for this run)
  SIP over WebSocket (the widget's server): ${info.wsUrl}    domain: ${DOMAIN}
  SIP over UDP (phones, the trunk):         ${info.sipUdp}
  token API:                                ${info.tokenApi}
  rtpengine (NG control):                   ${info.rtpengine}, media on ${opts.address}

Mint a token for alice:
  curl -s -X POST ${info.tokenApi} -H "Authorization: Bearer $(cat ${apiKeyFile})" \\
    -H 'Content-Type: application/json' -d '{"sip_user":"alice","name":"Alice","ttl":3600}'
and give it to <voice-widget token="…" server="${info.wsUrl}">.

Point a trunk at it: restart with --trunk sip:CARRIER_HOST:PORT (repeatable; OPTIONS-probed)
and --did +E164=user for each number the carrier delivers (its INVITEs to
${info.sipUdp} are taken from the trunk's address only). Numbers the widget
dials (E.164 or national formats, see docs/production.md) go to the trunk.
Ctrl+C stops everything.`);
  }
} catch (err) {
  console.error(`voice-widget stack: cannot start: ${err.message.slice(0, 4000)}`);
  await stop(1);
}
