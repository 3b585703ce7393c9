// A user-space UDP impairment proxy (the kernel here has no netem): listens on
// 127.0.0.1, forwards each client's datagrams to a target (coturn, say) from
// a socket of its own — as a NAT would — and the answers back, delaying,
// jittering and dropping them in both directions as set at runtime. An added
// delay of d ms therefore adds 2·d to a round trip.
//
//   const proxy = await startUdpImpair({ target: { port: turn.port } });
//   proxy.set({ loss: 5 });          // percent, each direction
//   proxy.set({ delay: 250, jitter: 20, loss: 0 });
//   await proxy.close();
//
// Run directly (`node test/harness/udp-impair.js 127.0.0.1:3478`) it prints
// {"port":N} and takes the same settings as JSON lines on stdin.
import dgram from 'node:dgram';
import { pathToFileURL } from 'node:url';

const HOST = '127.0.0.1';
/** Bounds, so a flood cannot grow it without limit. */
const MAX_CLIENTS = 64;
const MAX_PENDING = 20_000;

/**
 * @typedef {{ delay?: number, jitter?: number, loss?: number }} Impairment
 *   delay and jitter in ms (each packet waits delay ± jitter, uniformly), loss in percent.
 * @param {{ target: { host?: string, port: number }, random?: () => number } & Impairment} opts
 * @returns {Promise<{ port: number, set: (i: Impairment) => void, counts: () => { forwarded: number, dropped: number }, close: () => Promise<void> }>}
 */
export async function startUdpImpair({ target, random = Math.random, ...initial }) {
  const targetHost = target.host ?? HOST;
  const impairment = { delay: 0, jitter: 0, loss: 0 };
  const counts = { forwarded: 0, dropped: 0 };
  /** @type {Set<NodeJS.Timeout>} */
  const pending = new Set();
  /** @type {Map<string, dgram.Socket>} client "address:port" → its socket towards the target */
  const upstreams = new Map();
  let closed = false;

  const set = (/** @type {Impairment} */ next) => {
    for (const key of /** @type {const} */ (['delay', 'jitter', 'loss'])) {
      const v = next[key];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (key === 'loss' && v > 100)) throw new RangeError(`udp-impair: bad ${key} ${v}`);
      impairment[key] = v;
    }
  };
  set(initial);

  /** Sends after the impairment, or drops. */
  const impaired = (/** @type {() => void} */ send) => {
    if (closed) return;
    if (random() * 100 < impairment.loss || pending.size >= MAX_PENDING) {
      counts.dropped++;
      return;
    }
    counts.forwarded++;
    const wait = Math.max(0, impairment.delay + (impairment.jitter ? (random() * 2 - 1) * impairment.jitter : 0));
    if (wait === 0) return send();
    const timer = setTimeout(() => {
      pending.delete(timer);
      if (!closed) send();
    }, wait);
    pending.add(timer);
  };

  const front = dgram.createSocket('udp4');
  front.on('error', () => {});
  await new Promise((resolve) => front.bind(0, HOST, () => resolve(undefined)));

  front.on('message', (msg, client) => {
    const key = `${client.address}:${client.port}`;
    let up = upstreams.get(key);
    if (!up) {
      if (upstreams.size >= MAX_CLIENTS) return;
      const socket = dgram.createSocket('udp4');
      socket.on('error', () => {});
      socket.on('message', (back) => impaired(() => front.send(back, client.port, client.address)));
      socket.bind(0, HOST);
      upstreams.set(key, socket);
      up = socket;
    }
    const socket = up;
    impaired(() => socket.send(msg, target.port, targetHost));
  });

  return {
    port: /** @type {import('node:net').AddressInfo} */ (front.address()).port,
    set,
    counts: () => ({ ...counts }),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      const sockets = [front, ...upstreams.values()];
      upstreams.clear();
      await Promise.all(sockets.map((s) => new Promise((resolve) => s.close(() => resolve(undefined)))));
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [host, port] = (process.argv[2] ?? '').split(':');
  if (!host || !Number(port)) {
    process.stderr.write('usage: node test/harness/udp-impair.js <target-host:port>\n');
    process.exit(2);
  }
  const proxy = await startUdpImpair({ target: { host, port: Number(port) } });
  process.stdout.write(`${JSON.stringify({ port: proxy.port })}\n`);
  let buffer = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      try {
        proxy.set(JSON.parse(line));
        process.stdout.write(`${JSON.stringify({ ok: true, ...proxy.counts() })}\n`);
      } catch (err) {
        process.stdout.write(`${JSON.stringify({ ok: false, error: String(err) })}\n`);
      }
    }
  });
  const stop = () => void proxy.close().then(() => process.exit(0));
  process.stdin.on('end', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
