// Runs a throw-away Kamailio (kamailio/kamailio.cfg) for end-to-end
// tests: loopback only, a free port picked here, a private runtime dir, and
// the whole process group killed on stop() or when this Node process exits.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { writePhoneNetworkFiles } from './phone-network.js';
import { killGroup, releaseGroup, stopGroup, trackGroup } from './process-groups.js';

const CFG_PATH = fileURLToPath(new URL('../../kamailio/kamailio.cfg', import.meta.url));
const KAMAILIO_BIN = process.env.KAMAILIO_BIN || 'kamailio';
const MODULE_DIRS = [
  process.env.KAMAILIO_MODULES,
  '/usr/lib/x86_64-linux-gnu/kamailio/modules',
  '/usr/lib/aarch64-linux-gnu/kamailio/modules',
  '/usr/lib64/kamailio/modules',
  '/usr/lib/kamailio/modules',
  '/usr/local/lib64/kamailio/modules',
].filter(Boolean);

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 2_000;
const MAX_LOG_CHARS = 4_000_000; // keep the tail; a chatty debug=3 run can be large
const BIND_ATTEMPTS = 5;
const SERVER_HEADER = 'voice-widget-test-kamailio'; // server_header in kamailio.cfg

// Last-resort cleanup that survives even SIGKILL of this Node process: a
// tiny detached shell that blocks on a pipe from us. EOF (we died) kills the
// Kamailio process group; "disarm" (normal stop) just exits.
const WATCHDOG_SCRIPT = `trap '' INT TERM HUP
if read -r cmd && [ "$cmd" = disarm ]; then exit 0; fi
kill -9 "-$1" 2>/dev/null
rm -rf "$2"`; // dash rejects "kill -KILL -- -PGID"; "-9 -PGID" works

function startWatchdog(pgid, runDir) {
  const dog = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'kamailio-watchdog', String(pgid), runDir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  dog.on('error', () => {}); // best effort: the exit handlers still work
  dog.stdin.on('error', () => {});
  // Never keep the test process alive just for the watchdog.
  dog.unref();
  dog.stdin.unref?.();
  return {
    disarm() {
      try {
        dog.stdin.end('disarm\n');
      } catch {
        // already gone
      }
    },
  };
}

function findModuleDir() {
  const dir = MODULE_DIRS.find((d) => existsSync(path.join(d, 'websocket.so')));
  if (!dir) {
    throw new Error(
      `Kamailio modules not found (looked in ${MODULE_DIRS.join(', ')}); ` +
        'install the packages scripts/system-deps.js lists (kamailio, kamailio-*-modules) or set KAMAILIO_MODULES',
    );
  }
  return dir;
}

/** Asks the kernel for a free loopback port. Racy by nature: callers retry. */
export function freePort(host = HOST) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A free UDP port on `host`; racy too. */
export function freeUdpPort(host) {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    sock.on('error', reject);
    sock.bind(0, host, () => {
      const { port } = sock.address();
      sock.close(() => resolve(port));
    });
  });
}

/**
 * True once *our* Kamailio's xhttp worker answers (the Server header is set
 * in kamailio.cfg), so a port stolen by another process never looks ready.
 */
function probeHttp(port, path = '/', host = HOST) {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path, timeout: 1000, agent: false }, (res) => {
      res.resume();
      const ours = String(res.headers.server || '').includes(SERVER_HEADER);
      resolve(path === '/' ? ours : ours && res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function assertSafeDefine(name, value) {
  // Passed as -A NAME="value": the preprocessor cannot take quotes or
  // backslashes inside the string.
  if (!/^[\x21-\x7e]+$/.test(value) || /["\\]/.test(value)) {
    throw new Error(`${name} must be printable ASCII without spaces, quotes or backslashes`);
  }
}

/**
 * Starts Kamailio on a free 127.0.0.1 port.
 *
 * @param {{ secret?: string, logLevel?: number, startTimeoutMs?: number, udpHost?: string, port?: number, controlSecret?: string, revocationsUrl?: string }} [opts] port: listen on this WebSocket port (a restart on the same address)
 *   defines: extra numeric -A NAME=value (limits); cfgPath: another config file (benchmarks);
 *   controlSecret: authenticates revocation pushes (random if omitted; returned); controlPort: the control listener's port (free one if omitted);
 *   revocationsUrl: the token service's revocation list, loaded before the node accepts WebSockets;
 *   secret: auth_ephemeral shared secret (random if omitted; returned);
 *   logLevel: Kamailio `debug` level (-5..3, default 2 = info; 3 = debug);
 *   udpHost: also listen for SIP over UDP on this IPv4 address, on a free
 *   port picked here (for non-browser phones; see test/e2e/baresip.test.js).
 *   phoneNetwork: loads kamailio/phone-network.cfg: { rtpengine: its NG URL,
 *   gateways: the trunk's SIP URIs, dids: E.164 → user, countryCode?,
 *   nationalPrefix?, internationalPrefix?, trunkCredential?, transcode?,
 *   anchorBrowserCalls?, pingInterval? } (see test/e2e/phone-network.test.js); rtpengine may list several NG URLs (a set).
 *   host: the address browsers connect to (another 127.0.0.x for a second node);
 *   cluster: loads kamailio/cluster.cfg: { seed?: the NODE_URI of a node already running (default: this node),
 *   net?: the sources trusted as nodes (default 127.0.0.0/8) } (see test/e2e/kamailio-cluster.test.js);
 *   autoAnswerNet: "127.0.0.2/32", the sources whose INVITEs keep auto-answer hints (AUTOANSWER_NET);
 *   shmMiB: Kamailio's shared memory (-m, default 64; every WebSocket holds a 66 KiB read buffer there).
 * @returns {Promise<{ wsUrl: string, port: number, secret: string,
 *   udp: { host: string, port: number } | null,
 *   stop: () => Promise<void>, log: () => string }>}
 */
export async function startKamailio({
  secret,
  logLevel = 2,
  startTimeoutMs = START_TIMEOUT_MS,
  udpHost,
  port: fixedPort,
  tls = false,
  controlSecret,
  revocationsUrl,
  controlPort: fixedControlPort,
  defines = {},
  cfgPath = CFG_PATH,
  phoneNetwork,
  host = HOST,
  cluster,
  shmMiB = 64,
  autoAnswerNet,
} = {}) {
  if (autoAnswerNet !== undefined && !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(autoAnswerNet))
    throw new Error(`autoAnswerNet must be an IPv4 subnet, got ${autoAnswerNet}`);
  if (!Number.isInteger(shmMiB) || shmMiB < 16 || shmMiB > 4096) throw new Error(`shmMiB must be a whole number of MiB in 16..4096, got ${shmMiB}`);
  if (!net.isIPv4(host)) throw new Error(`host must be an IPv4 address, got ${host}`);
  secret ??= randomBytes(16).toString('hex');
  controlSecret ??= randomBytes(16).toString('hex');
  assertSafeDefine('secret', secret);
  assertSafeDefine('controlSecret', controlSecret);
  if (revocationsUrl !== undefined) assertSafeDefine('revocationsUrl', revocationsUrl);
  for (const [name, value] of Object.entries(defines)) {
    if (!/^[A-Z_]+$/.test(name) || !/^[0-9]+$/.test(String(value))) throw new Error(`defines: ${name} must be an upper-case name with a number`);
  }
  if (udpHost !== undefined && !net.isIPv4(udpHost)) throw new Error(`udpHost must be an IPv4 address, got ${udpHost}`);
  if (!Number.isInteger(logLevel) || logLevel < -5 || logLevel > 3) {
    throw new Error(`logLevel must be an integer in -5..3, got ${logLevel}`);
  }
  const moduleDir = findModuleDir();

  let lastError;
  // A fixed port (a restart on the same address): one attempt, no port race to retry.
  for (let attempt = 1; attempt <= (fixedPort ? 1 : BIND_ATTEMPTS); attempt++) {
    const port = fixedPort ?? (await freePort(host));
    const udp = udpHost ? { host: udpHost, port: await freeUdpPort(udpHost) } : null;
    const runDir = await mkdtemp(path.join(os.tmpdir(), 'voice-widget-kamailio-'));
    try {
      const tlsOpts = tls ? { port: await freePort(), ...selfSignedCertificate(runDir) } : null;
      const controlPort = fixedControlPort ?? (await freePort());
      const clusterOpts = cluster ? { ...cluster, port: await freeUdpPort(host) } : null;
      return await launch({
        shmMiB,
        host,
        cluster: clusterOpts,
        port,
        controlPort,
        controlSecret,
        revocationsUrl,
        defines,
        cfgPath,
        udp,
        tls: tlsOpts,
        runDir,
        moduleDir,
        secret,
        logLevel,
        startTimeoutMs,
        phoneNetwork,
        autoAnswerNet,
      });
    } catch (err) {
      await rm(runDir, { recursive: true, force: true });
      lastError = err;
      // Only a lost port race is worth another try.
      if (!err.bindFailure) throw err;
    }
  }
  throw lastError;
}

/** -A arguments for kamailio/phone-network.cfg, its files written into `dir`. */
export function phoneNetworkArgs(dir, pn) {
  const { trunkList, didDb } = writePhoneNetworkFiles(dir, { gateways: pn.gateways ?? [], dids: pn.dids ?? {} });
  const rtpengines = [pn.rtpengine].flat();
  for (const url of rtpengines) assertSafeDefine('rtpengine', String(url));
  const strings = {
    RTPENGINE_SOCK: rtpengines.join(' '),
    TRUNK_LIST: trunkList,
    DID_DB: didDb,
    COUNTRY_CODE: pn.countryCode,
    NATIONAL_PREFIX: pn.nationalPrefix,
    INTERNATIONAL_PREFIX: pn.internationalPrefix,
    TRUNK_CREDENTIAL: pn.trunkCredential,
  };
  const args = ['-A', 'WITH_PHONE_NETWORK'];
  for (const [name, value] of Object.entries(strings)) {
    if (value === undefined) continue;
    if (name !== 'RTPENGINE_SOCK') assertSafeDefine(name, String(value));
    args.push('-A', `${name}="${value}"`);
  }
  if (pn.pingInterval !== undefined) args.push('-A', `TRUNK_PING_INTERVAL=${Number(pn.pingInterval) | 0}`);
  if (pn.transcode) args.push('-A', 'TRANSCODE_G711');
  if (pn.anchorBrowserCalls) args.push('-A', 'ANCHOR_BROWSER_CALLS');
  return args;
}

/** A throw-away certificate for 127.0.0.1 (and localhost), with the SHA-256 of its public key. */
export function selfSignedCertificate(dir) {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (made.status !== 0) throw new Error(`openssl could not make a certificate: ${made.stderr}`);
  const spki = createHash('sha256')
    .update(createPublicKey(readFileSync(cert)).export({ type: 'spki', format: 'der' }))
    .digest('base64');
  return { cert, key, spki };
}

/** -A arguments for kamailio/cluster.cfg: this node at host:port (UDP), `seed` a node already running. */
function clusterArgs(host, { port, seed, net: trusted = '127.0.0.0/8' }) {
  const nodeUri = `sip:${host}:${port}`;
  for (const v of [seed ?? nodeUri, trusted]) assertSafeDefine('cluster', v);
  return {
    nodeUri,
    args: [
      ...['-A', 'WITH_CLUSTER', '-A', `CLUSTER_PORT=${port}`, '-A', `NODE_URI="${nodeUri}"`, '-A', `CLUSTER_SOCKET="udp:${host}:${port}"`],
      ...['-A', `CLUSTER_SEED="${seed ?? nodeUri}"`, '-A', `CLUSTER_NET="${trusted}"`],
    ],
  };
}

async function launch({
  shmMiB,
  host,
  cluster,
  port,
  controlPort,
  controlSecret,
  revocationsUrl,
  defines,
  cfgPath,
  udp,
  tls,
  runDir,
  moduleDir,
  secret,
  logLevel,
  startTimeoutMs,
  phoneNetwork,
  autoAnswerNet,
}) {
  const args = [
    '-DD', // stay in the foreground (children are still forked)
    '-E', // log to stderr, captured below
    '-m',
    String(shmMiB),
    '-M',
    '8',
    '-f',
    cfgPath,
    '-Y',
    runDir,
    '-L',
    moduleDir,
    '-A',
    `WS_PORT=${port}`,
    '-A',
    `LISTEN_ADDR=${host}`,
    '-A',
    `AUTH_SECRET="${secret}"`,
    '-A',
    `LOG_LEVEL=${logLevel}`,
    '-A',
    `CONTROL_PORT=${controlPort}`,
    '-A',
    `CONTROL_SECRET="${controlSecret}"`,
  ];
  if (revocationsUrl) args.push('-A', `REVOCATIONS_URL="${revocationsUrl}"`);
  for (const [name, value] of Object.entries(defines)) args.push('-A', `${name}=${value}`);
  if (autoAnswerNet) args.push('-A', `AUTOANSWER_NET="${autoAnswerNet}"`);
  // An extra socket on top of kamailio.cfg's own listen= line, for a phone
  // at that address (digest-only phones are accepted from PHONE_NET alone).
  if (udp) args.push('-l', `udp:${udp.host}:${udp.port}`, '-A', `PHONE_NET="${udp.host}/32"`);
  if (phoneNetwork) args.push(...phoneNetworkArgs(runDir, phoneNetwork));
  const clustered = cluster && clusterArgs(host, cluster);
  if (clustered) args.push(...clustered.args);
  if (tls) args.push('-A', 'WITH_TLS', '-A', `WSS_PORT=${tls.port}`, '-A', `TLS_CERT="${tls.cert}"`, '-A', `TLS_KEY="${tls.key}"`);
  // detached: own process group, so stop() can signal Kamailio's workers too.
  const child = spawn(KAMAILIO_BIN, args, {
    cwd: runDir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
  });

  let logText = '';
  let trimmed = false;
  const append = (chunk) => {
    logText += chunk.toString('utf8');
    if (logText.length > MAX_LOG_CHARS) {
      logText = logText.slice(-MAX_LOG_CHARS / 2);
      trimmed = true;
    }
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const log = () => (trimmed ? '[... earlier log trimmed ...]\n' : '') + logText;

  let exited = false;
  let exitInfo = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true;
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });
  let spawnError = null;
  child.on('error', (err) => {
    spawnError = err;
    exited = true;
  });
  let watchdog = null;
  if (child.pid) {
    trackGroup(child.pid, () => rmSync(runDir, { recursive: true, force: true }));
    watchdog = startWatchdog(child.pid, runDir);
    // A forgotten stop() must not hang the test runner: the 'exit' handler
    // and the watchdog clean up instead.
    child.unref();
    child.stdout.unref?.();
    child.stderr.unref?.();
  }

  let stopped = null;
  /** Freezes Kamailio (SIGSTOP) and thaws it (SIGCONT): a server that vanishes without closing its sockets. */
  const pause = () => child.pid && killGroup(child.pid, 'SIGSTOP');
  const resume = () => child.pid && killGroup(child.pid, 'SIGCONT');
  /** Kills Kamailio at once (SIGKILL, no goodbye): a server that vanishes, for fault tests. */
  const kill = async () => {
    if (child.pid && !exited) killGroup(child.pid, 'SIGKILL');
    await exitPromise;
    return stop();
  };
  const stop = () => {
    stopped ??= (async () => {
      child.ref(); // keep Node alive until Kamailio has really exited
      if (child.pid) {
        killGroup(child.pid, 'SIGCONT'); // a paused Kamailio would not see SIGTERM
        if (!exited) await stopGroup(child.pid, exitPromise, STOP_GRACE_MS);
        // Workers normally die with the main process; make sure.
        killGroup(child.pid, 'SIGKILL');
        releaseGroup(child.pid);
        watchdog?.disarm();
      }
      await rm(runDir, { recursive: true, force: true });
    })();
    return stopped;
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (spawnError) {
      await stop();
      throw new Error(`cannot run ${KAMAILIO_BIN}: ${spawnError.message}`);
    }
    if (exited) {
      await stop();
      const err = new Error(`Kamailio exited during startup (${JSON.stringify(exitInfo)}) on port ${port}\n--- kamailio log ---\n${log()}`);
      err.bindFailure = /Address already in use|bind\(\) failed|cannot bind/i.test(logText);
      throw err;
    }
    // Ready once the WebSocket port answers and the revocation list is loaded.
    // (Another config, e.g. an older one for a comparison, has no control listener.)
    if ((await probeHttp(port, '/', host)) && (cfgPath !== CFG_PATH || (await probeHttp(controlPort, '/health')) === 200)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Kamailio did not accept HTTP on ${host}:${port} within ${startTimeoutMs} ms\n--- kamailio log ---\n${log()}`);
    }
    await sleep(50);
  }

  return {
    wsUrl: `ws://${host}:${port}`,
    host,
    // This node on the cluster listener (CLUSTER_SEED of the next node).
    nodeUri: clustered?.nodeUri,
    // wss:// with a self-signed certificate: Chromium must be told its key (spki, for --ignore-certificate-errors-spki-list).
    ...(tls ? { wssUrl: `wss://${host}:${tls.port}`, spki: tls.spki } : {}),
    port,
    secret,
    // The control listener (revocation pushes): VOICE_WIDGET_KAMAILIO_NODES / _SECRET.
    controlUrl: `http://${HOST}:${controlPort}`,
    controlSecret,
    udp,
    /** The main process, leader of the process group of all of Kamailio's processes. */
    pid: child.pid,
    stop,
    kill,
    pause,
    resume,
    log,
  };
}
