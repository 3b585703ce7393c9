#!/usr/bin/env node
// Installs the Debian packages the tests and the demo need, when any is missing:
// Chromium (tests drive it headless) and Kamailio with its WebSocket and
// auth_ephemeral modules. Used by `npm test` (pretest), `npm start` and .ci/run.
import { spawnSync } from 'node:child_process';

export const PACKAGES = {
  chromium: { check: 'command -v chromium', forTests: true },
  kamailio: { check: 'command -v kamailio', forTests: true },
  'kamailio-websocket-modules': { check: 'ls /usr/lib/*/kamailio/modules/websocket.so', forTests: true },
  'kamailio-autheph-modules': { check: 'ls /usr/lib/*/kamailio/modules/auth_ephemeral.so', forTests: true },
};

/** Installs whichever of `names` is missing; exits the process on failure. */
export function ensurePackages(names) {
  const missing = names.filter((name) => spawnSync('sh', ['-c', PACKAGES[name].check], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;
  if (process.platform !== 'linux' || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) {
    console.error(`voice-widget: missing ${missing.join(', ')}; install them with your system's package manager.`);
    process.exit(1);
  }
  console.error(`voice-widget: installing ${missing.join(' ')} from Debian's packages…`);
  const root = process.getuid?.() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['apt-get', 'update'], ['apt-get', 'install', '-y', '--no-install-recommends', ...missing]]) {
    const [cmd, ...rest] = root ? args : ['sudo', ...args];
    const r = spawnSync(cmd, rest, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) {
      console.error(`voice-widget: "${args.join(' ')}" failed; install ${missing.join(' ')} yourself.`);
      process.exit(1);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensurePackages(Object.keys(PACKAGES));
