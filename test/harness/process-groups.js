// The servers the harnesses spawn (Kamailio, rtpengine, baresip, coturn) run
// detached, each in its own process group, so one signal reaches the server
// and every worker it forked. The groups not stopped yet are SIGKILLed, with
// their cleanup, when this Node process exits or is told to (SIGINT, SIGTERM,
// SIGHUP): a failed or interrupted test leaves no server behind.
import { spawn } from 'node:child_process';
import os from 'node:os';

/** pgid → a synchronous cleanup to run after the kill (a runtime directory to remove), or null. */
const live = new Map();
let hooked = false;

/** Sends `signal` to every process of group `pgid`; false when the group is gone. */
export function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: already gone
  }
}

function killAll() {
  for (const [pgid, cleanup] of live) {
    killGroup(pgid, 'SIGKILL');
    cleanup?.();
  }
  live.clear();
}

function installHooks() {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    // Listening for a signal cancels Node's default "die"; restore it. The
    // exit code matches a default signal death, and process.exit() still
    // runs other 'exit' hooks (puppeteer kills its browser there).
    process.on(sig, () => {
      killAll();
      process.exit(128 + os.constants.signals[sig]);
    });
  }
}

/**
 * Keeps group `pgid` (a detached child's pid) on the list killed at exit until
 * `releaseGroup`.
 * @param {number} pgid
 * @param {() => void} [cleanup] runs, synchronously, after an exit-time kill
 */
export function trackGroup(pgid, cleanup = null) {
  installHooks();
  live.set(pgid, cleanup);
}

/** The group was stopped: nothing left to kill at exit. */
export function releaseGroup(pgid) {
  live.delete(pgid);
}

/**
 * Stops group `pgid` politely: SIGTERM, then SIGKILL if `exited` (the leader's
 * exit) has not settled within `graceMs`.
 * @param {number} pgid
 * @param {Promise<unknown>} exited
 * @param {number} graceMs
 */
export async function stopGroup(pgid, exited, graceMs) {
  killGroup(pgid, 'SIGTERM');
  const timer = setTimeout(() => killGroup(pgid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Spawns `cmd` detached, in its own process group (tracked, see `trackGroup`,
 * until `releaseGroup`), with LC_ALL=C and its stdout and stderr kept as one
 * log (the last `maxLogChars` characters or so). With `unref`, a forgotten
 * stop does not keep the test runner alive: the exit hook kills the group.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, cleanup?: () => void, maxLogChars?: number, unref?: boolean }} [options]
 * @returns {{ child: import('node:child_process').ChildProcess, exited: Promise<object>, exitInfo: () => object | null, log: () => string, note: (text: string) => void }}
 *   `exited` resolves with `{code, signal}` or `{error}`; `exitInfo()` is that once it has; `note` adds the harness's own lines to the log.
 */
export function spawnGroup(cmd, args, { cwd, cleanup = null, maxLogChars = 1_000_000, unref = true } = {}) {
  const child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
  let logText = '';
  const append = (chunk) => {
    logText += chunk.toString('utf8');
    if (logText.length > maxLogChars) logText = logText.slice(-maxLogChars / 2);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let exitInfo = null;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve((exitInfo = { code, signal })));
    child.on('error', (err) => resolve((exitInfo = { error: err.message })));
  });
  if (child.pid) {
    trackGroup(child.pid, cleanup);
    if (unref) {
      child.unref();
      child.stdout.unref?.();
      child.stderr.unref?.();
    }
  }
  return { child, exited, exitInfo: () => exitInfo, log: () => logText, note: append };
}
