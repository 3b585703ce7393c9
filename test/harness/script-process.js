// A harness script run as a child process that prints one JSON line once it
// is ready and stops when its stdin closes (sip-server-process.js,
// token-service-process.js): the spawn, the wait for that line, the stop.
import { spawn } from 'node:child_process';

/**
 * @param {string} script the harness file to run
 * @param {string} arg its one argument (JSON options)
 * @param {string} what its name in errors
 * @returns {Promise<{ child: import('node:child_process').ChildProcess, ready: any, stop: () => Promise<void> }>}
 */
export async function startScriptProcess(script, arg, what, { timeoutMs = 10_000, graceMs = 3_000 } = {}) {
  const child = spawn(process.execPath, [script, arg], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ready = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
    });
    exited.then((code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
    setTimeout(() => reject(new Error(`${what} was not ready in ${timeoutMs / 1000} s`)), timeoutMs).unref();
  });
  return {
    child,
    ready,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
