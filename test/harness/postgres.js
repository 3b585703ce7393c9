// Runs a throw-away PostgreSQL (Debian's postgresql package) for tests and
// the bench: its own data directory and unix-socket directory in a temp dir,
// a free port on 127.0.0.1, fsync off; the process group is stopped on
// stop() or when this Node process exits. initdb refuses to run as root, so
// as root the server runs as the `postgres` user (runuser).
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

import { freePort } from './kamailio.js';
import { killGroup, releaseGroup, spawnGroup } from './process-groups.js';

const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

/** /usr/lib/postgresql/<newest>/bin, or VOICE_WIDGET_PG_BIN. */
function binDir() {
  if (process.env.VOICE_WIDGET_PG_BIN) return process.env.VOICE_WIDGET_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^[0-9]+$/.test(v)) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error('PostgreSQL not found in /usr/lib/postgresql; install the postgresql package (scripts/system-deps.js)');
  return path.join(root, versions[0], 'bin');
}

/** [command, args] running `bin` as the postgres user when we are root. */
function asOwner(bin, args) {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts PostgreSQL and creates the database `voice_widget`.
 * @returns {Promise<{ url: string, port: number, pid: number, log: () => string, stop: () => Promise<void> }>}
 *   url: postgres://postgres@127.0.0.1:<port>/voice_widget (trust authentication, loopback only)
 */
export async function startPostgres({ startTimeoutMs = START_TIMEOUT_MS } = {}) {
  const bin = binDir();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'voice-widget-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout);
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout);
    if (!Number.isInteger(uid) || !uid) throw new Error('no postgres user: install the postgresql package');
    chownSync(dir, uid, gid);
  }
  const [initCmd, initArgs] = asOwner(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  if (init.status !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  }
  const port = await freePort();
  const [cmd, args] = asOwner(path.join(bin, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
    '-c',
    'synchronous_commit=off',
    '-c',
    'full_page_writes=off',
    '-c',
    'shared_buffers=32MB',
    '-c',
    'max_connections=60',
  ]);
  const { child, exited, exitInfo, log } = spawnGroup(cmd, args, { cleanup: () => rmSync(dir, { recursive: true, force: true }), maxLogChars: 400_000 });
  let stopped = null;
  const stop = () => {
    stopped ??= (async () => {
      child.ref();
      if (child.pid && !exitInfo()) {
        killGroup(child.pid, 'SIGINT'); // fast shutdown
        const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      if (child.pid) killGroup(child.pid, 'SIGKILL');
      releaseGroup(child.pid);
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exitInfo()) {
      await stop();
      throw new Error(`PostgreSQL exited during startup (${JSON.stringify(exitInfo())})\n${log()}`);
    }
    const client = new pg.Client({ connectionString: admin });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('CREATE DATABASE voice_widget');
      await client.end();
      break;
    } catch {
      await client.end().catch(() => {});
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`PostgreSQL did not accept connections on 127.0.0.1:${port} within ${startTimeoutMs} ms\n${log()}`);
    }
    await sleep(100);
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/voice_widget`, port, pid: child.pid, log, stop };
}

/**
 * A new empty schema in the database at `url`, as a URL whose connections use
 * it (search_path): as good as a fresh database for the store, and far
 * cheaper to make than CREATE DATABASE.
 */
export async function freshSchema(url, name) {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new Error(`bad schema name ${name}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${name}`);
  } finally {
    await client.end();
  }
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${name}`);
  return scoped.toString();
}
