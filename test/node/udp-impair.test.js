// The user-space impairment proxy: packets pass unchanged, an added delay and
// jitter show in the timing, loss drops about the share set, and close()
// frees everything (the test process would not exit otherwise).
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { after, before, test } from 'node:test';
import { startUdpImpair } from '../harness/udp-impair.js';

const HOST = '127.0.0.1';
/** @type {dgram.Socket} */
let echo;
let echoPort = 0;
/** Datagrams that reached the target. */
let arrived = 0;

before(async () => {
  echo = dgram.createSocket('udp4');
  echo.on('message', (msg, from) => {
    arrived++;
    echo.send(msg, from.port, from.address);
  });
  await new Promise((resolve) => echo.bind(0, HOST, resolve));
  echoPort = echo.address().port;
});
after(() => new Promise((resolve) => echo.close(resolve)));

/** A client socket and a way to await its echoes. */
async function client(port) {
  const socket = dgram.createSocket('udp4');
  const received = [];
  socket.on('message', (msg) => received.push({ msg, at: performance.now() }));
  await new Promise((resolve) => socket.bind(0, HOST, resolve));
  return {
    received,
    send: (data) => socket.send(data, port, HOST),
    close: () => new Promise((resolve) => socket.close(resolve)),
  };
}

const until = async (check, ms) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
};

test('passes datagrams through both ways, unchanged', async () => {
  const proxy = await startUdpImpair({ target: { port: echoPort } });
  const c = await client(proxy.port);
  try {
    const sent = Array.from({ length: 20 }, (_, i) => Buffer.from(`packet ${i} ${'x'.repeat(i * 50)}`));
    for (const b of sent) c.send(b);
    await until(() => c.received.length === 20, 2000);
    assert.deepEqual(c.received.map((r) => r.msg.toString()).sort(), sent.map((b) => b.toString()).sort());
    assert.deepEqual(proxy.counts(), { forwarded: 40, dropped: 0 });
  } finally {
    await c.close();
    await proxy.close();
  }
});

test('an added delay (each way) and jitter show in the round trip, set at runtime', async () => {
  const proxy = await startUdpImpair({ target: { port: echoPort } });
  const c = await client(proxy.port);
  try {
    const roundTrip = async () => {
      const start = performance.now();
      const seen = c.received.length;
      c.send(Buffer.from('ping'));
      await until(() => c.received.length > seen, 2000);
      return c.received[seen].at - start;
    };
    await roundTrip(); // the first sets up the client's upstream socket
    const plain = await roundTrip();
    assert.ok(plain < 60, `no delay at first: ${plain.toFixed(0)} ms`);
    proxy.set({ delay: 100 });
    const delayed = await roundTrip();
    assert.ok(delayed >= 195 && delayed < 320, `100 ms each way: round trip ${delayed.toFixed(0)} ms`);
    proxy.set({ delay: 60, jitter: 40 });
    const trips = [];
    for (let i = 0; i < 8; i++) trips.push(await roundTrip());
    // Each way 20–100 ms: the round trip within 40–200 (+ scheduling), and not all alike.
    assert.ok(Math.min(...trips) >= 38 && Math.max(...trips) < 260, trips.map(Math.round).join(' '));
    assert.ok(Math.max(...trips) - Math.min(...trips) > 10, `jitter spreads them: ${trips.map(Math.round).join(' ')}`);
    proxy.set({ delay: 0, jitter: 0 });
    const after = await roundTrip();
    assert.ok(after < 60, `back to none: ${after.toFixed(0)} ms`);
  } finally {
    await c.close();
    await proxy.close();
  }
});

test('drops about the share of packets set (20 % ± 5) and none once loss is back at 0', async () => {
  const proxy = await startUdpImpair({ target: { port: echoPort }, loss: 20 });
  const c = await client(proxy.port);
  try {
    const before = arrived;
    const n = 1000;
    // In bursts of 25, so the kernel's socket buffers drop nothing themselves.
    for (let i = 0; i < n; i++) {
      c.send(Buffer.from(`p${i}`));
      if (i % 25 === 24) await new Promise((r) => setTimeout(r, 3));
    }
    // Every packet has been decided on, both ways.
    await until(
      () => proxy.counts().forwarded + proxy.counts().dropped === n + (arrived - before) && c.received.length === proxy.counts().forwarded - (arrived - before),
      3000,
    );
    const reached = arrived - before;
    const lossOut = 1 - reached / n;
    assert.ok(Math.abs(lossOut - 0.2) <= 0.05, `client → target loss ${(lossOut * 100).toFixed(1)} %`);
    // The echoes cross the proxy again: about 0.8 of those come back.
    const lossBack = 1 - c.received.length / reached;
    assert.ok(Math.abs(lossBack - 0.2) <= 0.06, `target → client loss ${(lossBack * 100).toFixed(1)} %`);

    proxy.set({ loss: 0 });
    const got = c.received.length;
    for (let i = 0; i < 50; i++) c.send(Buffer.from(`q${i}`));
    await until(() => c.received.length === got + 50, 2000);
    assert.equal(c.received.length, got + 50);
  } finally {
    await c.close();
    await proxy.close();
  }
});

test('refuses bad settings and frees its port on close, even with packets in flight', async () => {
  const proxy = await startUdpImpair({ target: { port: echoPort }, delay: 500 });
  assert.throws(() => proxy.set({ loss: 101 }), RangeError);
  assert.throws(() => proxy.set({ delay: -1 }), RangeError);
  const c = await client(proxy.port);
  c.send(Buffer.from('stuck in the delay'));
  await new Promise((r) => setTimeout(r, 50));
  await proxy.close();
  await proxy.close();
  const again = dgram.createSocket('udp4');
  await new Promise((resolve, reject) => {
    again.once('error', reject);
    again.bind(proxy.port, HOST, resolve);
  });
  await new Promise((resolve) => again.close(resolve));
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(c.received.length, 0, 'the delayed packet was dropped with the proxy');
  await c.close();
});
