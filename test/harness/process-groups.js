// The servers the harnesses spawn (Kamailio, rtpengine, baresip, coturn) run
// detached, each in its own process group, so one signal reaches the server
// and every worker it forked. The groups not stopped yet are SIGKILLed, with
// their cleanup, when this Node process exits or is told to (SIGINT, SIGTERM,
// SIGHUP): a failed or interrupted test leaves no server behind.
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
