// A throw-away TURN server (Debian's coturn) on 127.0.0.1 for the relay tests:
// `use-auth-secret` (TURN REST credentials, the HMAC scheme the token's
// ice_servers claim uses), loopback peers allowed, a free port, and the
// process killed on stop() or when this Node process exits.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';

import { killGroup, releaseGroup, stopGroup, trackGroup } from './process-groups.js';

const HOST = '127.0.0.1';
const STOP_GRACE_MS = 2_000;

async function freeUdpPort() {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve) => socket.bind(0, HOST, resolve));
  const { port } = socket.address();
  await new Promise((resolve) => socket.close(resolve));
  // TCP too: turnserver listens on both.
  await new Promise((resolve, reject) => {
    const server = net
      .createServer()
      .once('error', reject)
      .listen(port, HOST, () => server.close(resolve));
  });
  return port;
}

/**
 * @param {{ secret: string, realm?: string }} opts
 * @returns {Promise<{ port: number, url: string, allocations: () => number, log: () => string, stop: () => Promise<void> }>}
 */
export async function startTurn({ secret, realm = 'voice.test' }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'voice-widget-turn-'));
  const port = await freeUdpPort();
  const relayBase = 40000 + Math.floor(Math.random() * 20000);
  const child = spawn(
    'turnserver',
    [
      '-n', // no config file
      `--listening-ip=${HOST}`,
      `--relay-ip=${HOST}`,
      `--listening-port=${port}`,
      `--min-port=${relayBase}`,
      `--max-port=${relayBase + 200}`,
      '--use-auth-secret',
      `--static-auth-secret=${secret}`,
      `--realm=${realm}`,
      '--allow-loopback-peers',
      '--fingerprint',
      '--no-cli',
      '--no-tls',
      '--no-dtls',
      '--log-file=stdout',
      '--simple-log',
      '--verbose', // session lines: what the test counts
      `--pidfile=${path.join(dir, 'turn.pid')}`,
      `--userdb=${path.join(dir, 'turn.db')}`,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (child.pid) trackGroup(child.pid);
  let out = '';
  const collect = (d) => {
    out += d;
    if (out.length > 2_000_000) out = out.slice(-1_000_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`turnserver did not start: ${out.slice(-2000)}`)), 10_000);
      const check = () => {
        if (/Total General servers|IPv4\. UDP listener opened on/i.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      child.once('exit', (code) => reject(new Error(`turnserver exited ${code}: ${out.slice(-2000)}`)));
    });
  } catch (err) {
    killGroup(child.pid, 'SIGKILL');
    releaseGroup(child.pid);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    url: `turn:${HOST}:${port}?transport=udp`,
    allocations: () => (out.match(/ALLOCATE processed, success/g) ?? []).length,
    log: () => out,
    stop: async () => {
      if (child.exitCode === null) await stopGroup(child.pid, exited, STOP_GRACE_MS);
      releaseGroup(child.pid);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
