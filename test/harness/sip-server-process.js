// The embedded SIP server in a process of its own, so a test can attack it and
// read its memory (RSS, from /proc) without measuring itself.
//
// As a script: `node sip-server-process.js '<SipServerOptions as JSON>'`
// prints one JSON line {url} once listening, and stops when its stdin closes
// (so it cannot outlive the test that started it).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { startScriptProcess } from './script-process.js';

const SELF = fileURLToPath(import.meta.url);

if (process.argv[1] === SELF) {
  const { SipServer } = await import('../../dist/node/index.js');
  const server = await SipServer.start(JSON.parse(process.argv[2]));
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => server.stop().then(() => process.exit(0)));
}

/**
 * @param {object} options SipServerOptions (JSON-serialisable)
 * @returns {Promise<{ url: string, pid: number, rssMiB: () => number, alive: () => boolean, stop: () => Promise<void> }>}
 */
export async function startSipServerProcess(options) {
  const { child, ready, stop } = await startScriptProcess(SELF, JSON.stringify(options), 'SIP server process');
  return {
    url: ready.url,
    pid: child.pid,
    /** Resident memory now, in MiB. */
    rssMiB: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop,
  };
}
