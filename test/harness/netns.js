// A private network for one end-to-end test file: the file runs itself again
// inside new network, PID and mount namespaces (`unshare`, so root or
// CAP_SYS_ADMIN is needed), where the only interfaces are loopback and a veth
// pair carrying one documentation-range address (198.51.100.10/32) with no
// link to the outside. Needed by peers whose ICE ignores loopback (baresip):
// everything (Kamailio, the page server, Chromium, the SIP phone) then talks
// over 198.51.100.10, and nothing can leak onto or in from the host network.
//
// Cleanup cannot be forgotten: the re-run Node is PID 1 of its PID namespace,
// so the kernel kills every process left in it when it exits, the network
// namespace disappears with its last process, and TMPDIR inside is a private
// tmpfs that goes with the mount namespace (only its empty mount point is
// left to remove).
//
// Usage, at the top of a test file (before any test is declared):
//   const net = await privateNetwork(import.meta.url);
//   // only reached inside: net = { address, iface }
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NETNS_ADDRESS = '198.51.100.10'; // TEST-NET-2 (RFC 5737): never routed
export const NETNS_IFACE = 'vw0';
const PEER_IFACE = 'vw1';
const INSIDE_ENV = 'VOICE_WIDGET_NETNS';
const TMP_ENV = 'VOICE_WIDGET_NETNS_TMP';
const STATUS_FD = 3; // inner → outer: "inside"; its EOF tells the inner that the outer is gone
const EXIT_GRACE_MS = 5_000;

/**
 * Outside the namespace: runs `fileUrl` again inside one, passes its test
 * report through unchanged (same stdout, same NODE_TEST_CONTEXT), exits
 * with its status and never resolves. If no namespace can be made, the file
 * fails with a test saying why (never a skip).
 *
 * Inside: brings the interfaces up and resolves with the address to use.
 * @param {string} fileUrl the calling test file's import.meta.url
 * @returns {Promise<{ address: string, iface: string }>}
 */
export async function privateNetwork(fileUrl) {
  if (process.env[INSIDE_ENV] === '1') return setUpInside();
  await runOutside(fileURLToPath(fileUrl));
  return new Promise(() => {}); // the outer process only waits for the inner one
}

async function runOutside(file) {
  const args = [
    '--net',
    '--pid',
    '--fork',
    '--mount-proc',
    '--kill-child', // if unshare dies, the inner Node (PID 1) dies, and with it the whole namespace
    '--',
    process.execPath,
    ...process.execArgv,
    file,
    ...process.argv.slice(2),
  ];
  // Mount point for the namespace's private tmpfs.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'voice-widget-netns-'));
  process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
  let child;
  try {
    child = spawn('unshare', args, {
      // stdout is the test report: handed through as is.
      stdio: ['ignore', 'inherit', 'pipe', 'pipe'],
      env: { ...process.env, [INSIDE_ENV]: '1', [TMP_ENV]: tmp },
    });
  } catch (err) {
    return failOutside(`cannot run unshare: ${err.message}`);
  }
  let stderr = '';
  child.stderr.on('data', (d) => {
    process.stderr.write(d);
    stderr = (stderr + d).slice(-4000);
  });
  let inside = false;
  child.stdio[STATUS_FD].on('data', (d) => {
    if (String(d).includes('inside')) inside = true;
  });
  child.stdio[STATUS_FD].on('error', () => {});

  // The test runner stops a file with SIGTERM (timeout) or the user with ^C:
  // close the status pipe so the inner Node exits through its own cleanup,
  // then make sure.
  let stopping = false;
  const stop = (sig) => {
    if (stopping) return;
    stopping = true;
    child.stdio[STATUS_FD].destroy();
    setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS).unref();
    child.once('exit', () => process.exit(128 + os.constants.signals[sig]));
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(sig));
  process.on('exit', () => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));

  const [code, signal] = await new Promise((resolve) => {
    child.on('error', (err) => {
      stderr += `\n${err.message}`;
      resolve([null, 'error']);
    });
    child.on('close', (c, s) => resolve([c, s])); // after 'exit' and the status pipe's last word
  });
  if (!inside) {
    return failOutside(
      `unshare --net --pid --mount-proc failed (${signal ?? `exit ${code}`}); this test needs root or CAP_SYS_ADMIN ` +
        `(CI runs as root) and util-linux's unshare.\n${stderr.trim()}`,
    );
  }
  process.exit(code ?? 1);
}

async function failOutside(message) {
  const { test } = await import('node:test');
  test('a private network namespace for this test file', () => {
    throw new Error(message);
  });
}

/** `ip` may be in an sbin directory that a non-login PATH leaves out. */
const IP = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => existsSync(p)) ?? 'ip';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr.trim() ?? `exit ${r.status}`}`);
  }
  return r.stdout;
}

async function setUpInside() {
  // Tell the outer process we got here, and exit (through the usual 'exit'
  // hooks: browser, Kamailio, baresip, temp dirs) if it goes away.
  const status = new net.Socket({ fd: STATUS_FD, readable: true, writable: true });
  status.on('error', () => {});
  status.write('inside\n');
  status.on('end', () => process.exit(1));
  status.on('close', () => process.exit(1));
  status.resume();
  status.unref();

  try {
    // Temp dirs (browser profile, Kamailio, baresip) live and die with the namespace.
    const tmp = process.env[TMP_ENV];
    if (tmp) {
      run('mount', ['-t', 'tmpfs', '-o', 'mode=0700,size=1g', 'voice-widget-netns', tmp]);
      process.env.TMPDIR = tmp;
    }
    // IPv4 only: no IPv6 link-local candidates or sockets to muddle the picture
    // (/proc/sys/net is this network namespace's own).
    for (const conf of ['all', 'default']) {
      try {
        writeFileSync(`/proc/sys/net/ipv6/conf/${conf}/disable_ipv6`, '1');
      } catch {
        // a kernel without IPv6 is fine too
      }
    }
    run(IP, ['link', 'set', 'lo', 'up']);
    run(IP, ['link', 'add', NETNS_IFACE, 'type', 'veth', 'peer', 'name', PEER_IFACE]);
    run(IP, ['addr', 'add', `${NETNS_ADDRESS}/32`, 'dev', NETNS_IFACE]);
    run(IP, ['link', 'set', NETNS_IFACE, 'up']);
    run(IP, ['link', 'set', PEER_IFACE, 'up']);
  } catch (err) {
    const { test } = await import('node:test');
    test('a private network namespace for this test file', () => {
      throw new Error(`setting up the namespace's network failed: ${err.message}`);
    });
    return new Promise(() => {}); // nothing else runs; node:test reports the failure and exits
  }
  return { address: NETNS_ADDRESS, iface: NETNS_IFACE };
}

/** The IPv4 addresses and routes visible here (for asserting the namespace's shape). */
export function networkSnapshot() {
  return {
    addresses: run(IP, ['-o', '-4', 'addr', 'show'])
      .trim()
      .split('\n')
      .map((l) =>
        l
          .match(/^\d+:\s+(\S+)\s+inet\s+(\S+)/)
          ?.slice(1)
          .join(' '),
      )
      .filter(Boolean),
    links: run(IP, ['-o', 'link', 'show'])
      .trim()
      .split('\n')
      .map((l) => l.match(/^\d+:\s+([^:@]+)/)?.[1])
      .filter(Boolean),
    routes: run(IP, ['-4', 'route', 'show']).trim(),
  };
}
