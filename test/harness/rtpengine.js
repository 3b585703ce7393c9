// Runs a throw-away rtpengine (Debian's rtpengine-daemon, userspace only:
// --table=-1, no kernel module) for end-to-end tests and `npm run stack`:
// media on one IPv4 address, its NG control socket (bencode over UDP) on a
// free loopback port, killed with its process group on stop() or when this
// Node process exits.
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';

import { freePort, freeUdpPort } from './kamailio.js';
import { killGroup, releaseGroup, spawnGroup, stopGroup } from './process-groups.js';

const RTPENGINE_BIN = process.env.RTPENGINE_BIN || 'rtpengine';
const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 2_000;
const MAX_LOG_CHARS = 1_000_000;
const BIND_ATTEMPTS = 5;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One NG "ping" (bencode: d7:command4:pinge); true on "pong". */
export function ngPing(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const cookie = randomBytes(6).toString('hex');
    const timer = setTimeout(() => done(false), timeoutMs);
    const done = (ok) => {
      clearTimeout(timer);
      sock.close();
      resolve(ok);
    };
    sock.on('error', () => done(false));
    sock.on('message', (m) => done(m.toString().startsWith(`${cookie} `) && m.toString().includes('pong')));
    sock.send(`${cookie} d7:command4:pinge`, port, host);
  });
}

/**
 * Starts rtpengine.
 * @param {{ address: string, portRange?: [number, number], logLevel?: number, startTimeoutMs?: number }} opts
 *   address: the IPv4 address media uses (both legs; a browser and a phone must reach it);
 *   portRange: RTP ports (a 2,000-port slice picked at random by default, so parallel runs rarely collide).
 * @returns {Promise<{ ngUrl: string, ngPort: number, address: string, pid: number, log: () => string, stop: () => Promise<void>, kill: () => Promise<void> }>}
 */
export async function startRtpengine({ address, portRange, logLevel = 5, startTimeoutMs = START_TIMEOUT_MS }) {
  let lastError;
  for (let attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
    const ngPort = await freeUdpPort('127.0.0.1');
    // Its own CLI port too: several instances run side by side (an rtpengine set).
    const cliPort = await freePort();
    const base = 30_000 + 2_000 * Math.floor(Math.random() * 15);
    const [min, max] = portRange ?? [base, base + 1_999];
    try {
      return await launch({ address, ngPort, cliPort, min, max, logLevel, startTimeoutMs });
    } catch (err) {
      lastError = err;
      if (!err.bindFailure) throw err;
    }
  }
  throw lastError;
}

async function launch({ address, ngPort, cliPort, min, max, logLevel, startTimeoutMs }) {
  const args = [
    // Not /etc/rtpengine/rtpengine.conf: its fixed ports would collide between instances.
    '--config-file=none',
    '--foreground',
    '--log-stderr',
    '--no-log-timestamps',
    '--table=-1', // userspace forwarding only: no kernel module
    // A browser offers DTLS actpass: stay passive from the first packet on, so
    // no early ClientHello makes the browser the DTLS server before the
    // answer says it is the client.
    '--dtls-passive',
    `--interface=${address}`,
    `--listen-ng=127.0.0.1:${ngPort}`,
    `--listen-cli=127.0.0.1:${cliPort}`,
    `--port-min=${min}`,
    `--port-max=${max}`,
    `--log-level=${logLevel}`,
    '--num-threads=2',
    '--media-num-threads=1',
    '--delete-delay=0',
    '--timeout=60',
    '--silent-timeout=3600',
  ];
  const { child, exited, exitInfo, log } = spawnGroup(RTPENGINE_BIN, args, { maxLogChars: MAX_LOG_CHARS });
  let stopped = null;
  const stop = () => {
    stopped ??= (async () => {
      child.ref();
      if (child.pid && !exitInfo()) await stopGroup(child.pid, exited, STOP_GRACE_MS);
      releaseGroup(child.pid);
    })();
    return stopped;
  };
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exitInfo()) {
      await stop();
      const err = new Error(`rtpengine exited during startup (${JSON.stringify(exitInfo())})\n--- rtpengine log ---\n${log()}`);
      err.bindFailure = /Address already in use|bind/i.test(log());
      throw err;
    }
    if (await ngPing(ngPort)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`rtpengine did not answer NG ping on 127.0.0.1:${ngPort} within ${startTimeoutMs} ms\n--- rtpengine log ---\n${log()}`);
    }
    await sleep(50);
  }
  /** Kills rtpengine at once (SIGKILL, no goodbye): a media relay that dies, for failover tests. */
  const kill = async () => {
    if (child.pid && !exitInfo()) killGroup(child.pid, 'SIGKILL');
    await exited;
    return stop();
  };
  return { ngUrl: `udp:127.0.0.1:${ngPort}`, ngPort, address, pid: child.pid, log, stop, kill };
}

/** Decodes one bencode value from `s` at `i`; returns [value, next index]. */
function bdecode(s, i = 0) {
  const c = s[i];
  if (c === 'i') {
    const end = s.indexOf('e', i);
    return [Number(s.slice(i + 1, end)), end + 1];
  }
  if (c === 'l' || c === 'd') {
    const items = [];
    i++;
    while (s[i] !== 'e') {
      const [v, next] = bdecode(s, i);
      items.push(v);
      i = next;
    }
    if (c === 'l') return [items, i + 1];
    const obj = {};
    for (let k = 0; k < items.length; k += 2) obj[items[k]] = items[k + 1];
    return [obj, i + 1];
  }
  const colon = s.indexOf(':', i);
  const len = Number(s.slice(i, colon));
  return [s.slice(colon + 1, colon + 1 + len), colon + 1 + len];
}

/** The Call-IDs of the calls rtpengine is relaying now (NG "list"). */
export function ngListCalls(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    const cookie = randomBytes(6).toString('hex');
    const timer = setTimeout(() => {
      sock.close();
      reject(new Error('rtpengine did not answer "list"'));
    }, timeoutMs);
    sock.on('message', (m) => {
      const text = m.toString('latin1');
      if (!text.startsWith(`${cookie} `)) return;
      clearTimeout(timer);
      sock.close();
      const [reply] = bdecode(text.slice(cookie.length + 1));
      resolve(reply.calls ?? []);
    });
    sock.send(`${cookie} d7:command4:liste`, port, host);
  });
}
