#!/usr/bin/env node
// Installs the Debian packages the tests and the demo need, when any is missing:
// Chromium (tests drive it headless), Kamailio with the module packages
// kamailio/kamailio.cfg loads, rtpengine for the phone network, and baresip (with iproute2) for the interop tests.
// Run by `npm test` (pretest).
import { spawnSync } from 'node:child_process';

/** Debian package → a shell test that passes when it is installed. */
export const PACKAGES = {
  chromium: 'command -v chromium',
  kamailio: 'command -v kamailio',
  'kamailio-websocket-modules': 'ls /usr/lib/*/kamailio/modules/websocket.so',
  'kamailio-autheph-modules': 'ls /usr/lib/*/kamailio/modules/auth_ephemeral.so',
  // A non-browser SIP phone for test/e2e/baresip.test.js, which also needs `ip`.
  'baresip-core': 'command -v baresip',
  iproute2: 'command -v ip || test -x /usr/sbin/ip || test -x /sbin/ip',
  // A TURN server for the relay test (test/e2e/reliability.test.js).
  coturn: 'command -v turnserver',
  // wss:// through Kamailio with a throw-away certificate.
  'kamailio-tls-modules': 'ls /usr/lib/*/kamailio/modules/tls.so',
  openssl: 'command -v openssl',
  // kamailio.cfg's token check: jansson (JSON claims) and http_client (loads revocations at start);
  // crypto (HMAC-SHA256) comes with kamailio-tls-modules.
  'kamailio-extra-modules': 'ls /usr/lib/*/kamailio/modules/jansson.so',
  'kamailio-utils-modules': 'ls /usr/lib/*/kamailio/modules/http_client.so',
  // The media relay of kamailio/phone-network.cfg (test/e2e/phone-network.test.js, npm run stack).
  // Userspace only: the "rtpengine" package would pull the kernel-module build. Kamailio's
  // rtpengine, dispatcher, uac and db_text modules come with the kamailio package itself.
  'rtpengine-daemon': 'command -v rtpengine',
  // The token service's PostgreSQL store (test/harness/postgres.js runs a throw-away server).
  postgresql: 'ls /usr/lib/postgresql/*/bin/initdb',
};

/** Installs whichever of `names` is missing; exits the process on failure. */
export function ensurePackages(names) {
  const missing = names.filter((name) => spawnSync('sh', ['-c', PACKAGES[name]], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;
  if (process.platform !== 'linux' || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) {
    console.error(`voice-widget: missing ${missing.join(', ')}; install them with your system's package manager.`);
    process.exit(1);
  }
  console.error(`voice-widget: installing ${missing.join(' ')} from Debian's packages…`);
  const root = process.getuid?.() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['apt-get', 'update'],
    ['apt-get', 'install', '-y', '--no-install-recommends', ...missing],
  ]) {
    const [cmd, ...rest] = root ? args : ['sudo', ...args];
    const r = spawnSync(cmd, rest, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) {
      console.error(`voice-widget: "${args.join(' ')}" failed; install ${missing.join(' ')} yourself.`);
      process.exit(1);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) ensurePackages(Object.keys(PACKAGES));
