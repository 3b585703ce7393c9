// The embedded SIP server's limits, one at a time, with raw WebSocket clients:
// Contacts per REGISTER, bindings per user and per token, fan-out, message
// size, the handshake's Origin, and connections that do not register.
// The whole attack, with the server in its own process, is in sip-server-attack.test.js.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { SipServer, mintToken } from '../../dist/node/index.js';
import { inviteRequest, reason, registerRequest, registerThrough, sipClient, status } from '../harness/sip-ws-client.js';

const SECRET = 'sip-limits-test-secret-0123456789';
const DOMAIN = 'voice.test';
const servers = [];
const clients = [];

after(async () => {
  for (const c of clients) c.ws.terminate();
  for (const s of servers) await s.stop();
});

async function start(options = {}) {
  const server = await SipServer.start({ secret: SECRET, domain: DOMAIN, ...options });
  servers.push(server);
  return server;
}
async function connect(server, opts) {
  const c = await sipClient(server.url, opts);
  clients.push(c);
  return c;
}
const token = (user) => mintToken({ secret: SECRET, user, domain: DOMAIN });
const contact = (name) => `<sip:${name}@${name}.invalid;transport=ws>;expires=600`;

describe('REGISTER', () => {
  test('more than one Contact is refused 400 before anything is bound; Contact * alone (Expires 0) unregisters', { timeout: 20_000 }, async () => {
    const server = await start();
    const t = token('amy');
    const c = await connect(server);
    const many = Array.from({ length: 1000 }, (_, i) => contact(`c${i}`));
    c.send(registerRequest('amy', DOMAIN, { token: t, contacts: [many.join(', ')] }));
    const refused = await c.next();
    assert.equal(status(refused), 400);
    assert.equal(reason(refused), 'One Contact Per REGISTER');
    c.send(registerRequest('amy', DOMAIN, { token: t, contacts: [contact('a1'), contact('a2')] }));
    assert.equal(reason(await c.next()), 'One Contact Per REGISTER');
    assert.equal(server.registrations().amy, undefined);

    assert.equal(status(await registerThrough(c, 'amy', DOMAIN, { token: t, contacts: [contact('a1')] })), 200);
    const other = await connect(server);
    assert.equal(status(await registerThrough(other, 'amy', DOMAIN, { token: t, contacts: [contact('a2')] })), 200);
    assert.equal(server.registrations().amy, 2);
    c.send(registerRequest('amy', DOMAIN, { token: t, contacts: ['*'] }));
    assert.equal(reason(await c.next()), 'Contact * Needs Expires 0');
    c.send(registerRequest('amy', DOMAIN, { token: t, contacts: ['*', contact('a3')], extra: ['Expires: 0'] }));
    assert.equal(reason(await c.next()), 'Contact * Must Be Alone');
    const gone = await registerThrough(c, 'amy', DOMAIN, { token: t, contacts: ['*'], extra: ['Expires: 0'] });
    assert.equal(status(gone), 200);
    // The other tab keeps its binding.
    assert.equal(server.registrations().amy, 1);
    assert.match(gone, /Contact: <sip:a2@a2\.invalid/);
  });

  test(
    'bindings per user are capped at 10 by default: the 11th is refused 403 saying so; refreshes are not new; a closed tab frees its slot',
    { timeout: 20_000 },
    async () => {
      const server = await start();
      const tabs = [];
      for (let i = 0; i < 10; i++) {
        const c = await connect(server);
        assert.equal(status(await registerThrough(c, 'bea', DOMAIN, { token: token('bea'), contacts: [contact(`bea${i}`)] })), 200);
        tabs.push(c);
      }
      const eleventh = await connect(server);
      const refused = await registerThrough(eleventh, 'bea', DOMAIN, { token: token('bea'), contacts: [contact('bea10')] });
      assert.equal(status(refused), 403);
      assert.equal(reason(refused), 'Too Many Registrations For This User (Limit 10)');
      assert.equal(server.registrations().bea, 10);
      // A refresh, even with a new token, is the same binding.
      assert.equal(status(await registerThrough(tabs[3], 'bea', DOMAIN, { token: token('bea'), contacts: [contact('bea3')] })), 200);
      tabs[0].ws.terminate();
      await tabs[0].closed;
      assert.equal(status(await registerThrough(eleventh, 'bea', DOMAIN, { token: token('bea'), contacts: [contact('bea10')] })), 200);
      assert.equal(server.registrations().bea, 10);
    },
  );

  test('bindings per token are capped too, under the per-user cap', { timeout: 20_000 }, async () => {
    const server = await start({ maxBindingsPerUser: 4, maxBindingsPerToken: 2 });
    const [t1, t2, t3] = [token('cid'), token('cid'), token('cid')];
    const answers = [];
    for (const [i, t] of [t1, t1, t1, t2, t2, t3].entries()) {
      answers.push(reason(await registerThrough(await connect(server), 'cid', DOMAIN, { token: t, contacts: [contact(`cid${i}`)] })));
    }
    assert.deepEqual(answers, ['OK', 'OK', 'Too Many Registrations For This Token (Limit 2)', 'OK', 'OK', 'Too Many Registrations For This User (Limit 4)']);
  });
});

describe('INVITE', () => {
  test('rings at most maxForks bindings, the newest, each a whole message with our Via and Record-Route first', { timeout: 20_000 }, async () => {
    const server = await start({ maxForks: 3 });
    const caller = await connect(server);
    assert.equal(status(await registerThrough(caller, 'dan', DOMAIN, { token: token('dan') })), 200);
    const tabs = [];
    for (let i = 0; i < 5; i++) {
      const c = await connect(server);
      assert.equal(status(await registerThrough(c, 'eve', DOMAIN, { token: token('eve'), contacts: [contact(`eve${i}`)] })), 200);
      tabs.push(c);
      await sleep(5); // distinct registration times
    }
    const body = `v=0\r\n${'a=x:'.padEnd(2000, 'y')}\r\n`;
    caller.send(inviteRequest('dan', 'eve', DOMAIN, { callId: 'fork-cap', body }));
    assert.equal(status(await caller.next()), 100);
    const rung = await Promise.all(tabs.slice(2).map((c) => c.next()));
    rung.forEach((invite, i) => {
      assert.match(
        invite,
        new RegExp(
          `^INVITE sip:eve${i + 2}@eve${i + 2}\\.invalid;transport=ws SIP/2\\.0\r\nVia: SIP/2\\.0/WS 127\\.0\\.0\\.1:\\d+;branch=z9hG4bK[\\w-]+\r\nRecord-Route: <sip:127\\.0\\.0\\.1:\\d+;transport=ws;lr;vwd=[\\w-]+>\r\n`,
        ),
      );
      assert.match(invite, /\r\nVia: SIP\/2\.0\/WSS h\.invalid;branch=z9hG4bKinv\d+\r\n/);
      assert.ok(invite.endsWith(`\r\n\r\n${body}`));
    });
    for (const c of tabs.slice(0, 2)) await assert.rejects(c.next(300), /no message/);
  });

  test('a message larger than maxMessageBytes closes the connection (1009) without an answer', { timeout: 20_000 }, async () => {
    const server = await start({ maxMessageBytes: 4096 });
    const c = await connect(server);
    assert.equal(status(await registerThrough(c, 'fay', DOMAIN, { token: token('fay') })), 200);
    c.send(inviteRequest('fay', 'fay', DOMAIN, { body: 'x'.repeat(5000) }));
    assert.equal(await c.closed, 1009);
    assert.equal(server.registrations().fay, undefined);
  });
});

describe('unread backlog', () => {
  test('a phone that stops reading is cut off once 16 × maxMessageBytes wait for it; the caller and other users go on', { timeout: 30_000 }, async () => {
    const lines = [];
    const server = await start({ maxMessageBytes: 16_384, log: (line) => lines.push(line) });
    const caller = await connect(server);
    assert.equal(status(await registerThrough(caller, 'gus', DOMAIN, { token: token('gus') })), 200);
    const victim = await connect(server);
    assert.equal(status(await registerThrough(victim, 'hal', DOMAIN, { token: token('hal') })), 200);
    victim.ws._socket.pause(); // reads nothing more: the kernel's buffers fill, then the server's
    const body = `v=0\r\n${'a=x:'.padEnd(15_000, 'y')}\r\n`;
    // Bounded: at most 2,000 INVITEs (30 MB), in batches, until the server lets go of the phone.
    let sent = 0;
    while (server.registrations().hal && sent < 2000) {
      for (let i = 0; i < 50; i++) caller.send(inviteRequest('gus', 'hal', DOMAIN, { callId: `flood-${sent++}`, body }));
      await sleep(20);
    }
    assert.equal(server.registrations().hal, undefined, `still registered after ${sent} INVITEs`);
    const cut = lines.find((l) => / bytes unread, closing$/.test(l));
    assert.ok(cut, 'the server says why');
    const held = Number(/: (\d+) bytes unread/.exec(cut)[1]);
    assert.ok(held <= 16 * 16_384 + 16_400, `held ${held} bytes for it`);
    // The caller is still served, and another user registers at once.
    const other = await connect(server);
    assert.equal(status(await registerThrough(other, 'ida', DOMAIN, { token: token('ida') })), 200);
    assert.equal(server.registrations().gus, 1);
  });
});

describe('connections', () => {
  test('the handshake Origin must be allowed: loopback pages and programs without an Origin by default; others 403', { timeout: 20_000 }, async () => {
    const server = await start();
    for (const origin of ['http://127.0.0.1:8080', 'http://localhost:3000', 'https://phone.localhost', 'http://[::1]:8080', null]) {
      (await connect(server, { origin })).close();
    }
    for (const origin of ['https://evil.example', 'http://127.0.0.1.evil.example', 'null', 'http://localhost.evil.example:8080']) {
      await assert.rejects(sipClient(server.url, { origin }), (e) => e.status === 403, origin);
    }
    const strict = await start({ allowedOrigins: ['https://crm.example.com', 'https://*.phones.example'], allowNoOrigin: false });
    (await connect(strict, { origin: 'https://crm.example.com' })).close();
    (await connect(strict, { origin: 'https://a.b.phones.example' })).close();
    for (const origin of [null, 'http://127.0.0.1:8080', 'https://phones.example', 'https://crm.example.com:8443']) {
      await assert.rejects(sipClient(strict.url, { origin }), (e) => e.status === 403, String(origin));
    }
  });

  test('an address holds at most maxUnregisteredPerAddress connections that have not registered, each for registerWithinMs', { timeout: 20_000 }, async () => {
    const server = await start({ maxUnregisteredPerAddress: 3, registerWithinMs: 600 });
    const opened = Date.now();
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await connect(server, { localAddress: '127.0.0.2' }));
    await assert.rejects(sipClient(server.url, { localAddress: '127.0.0.2' }), (e) => e.status === 429);
    // Another address is not affected; a connection that registers no longer counts.
    const honest = await connect(server);
    assert.equal(status(await registerThrough(held[0], 'gus', DOMAIN, { token: token('gus') })), 200);
    held.push(await connect(server, { localAddress: '127.0.0.2' }));
    await assert.rejects(sipClient(server.url, { localAddress: '127.0.0.2' }), (e) => e.status === 429);
    // Unregistered connections are closed after the grace; the registered one stays.
    assert.deepEqual(await Promise.all([held[1].closed, held[2].closed, honest.closed]), [1008, 1008, 1008]);
    const ms = Date.now() - opened;
    assert.ok(ms >= 600 && ms < 3000, `${ms} ms`);
    assert.equal(held[0].ws.readyState, held[0].ws.OPEN);
    (await connect(server, { localAddress: '127.0.0.2' })).close();
  });

  test('limits are checked when the server starts', { timeout: 20_000 }, async () => {
    await assert.rejects(SipServer.start({ secret: SECRET, domain: DOMAIN, maxForks: 0 }), /maxForks must be a positive whole number/);
    await assert.rejects(SipServer.start({ secret: SECRET, domain: DOMAIN, allowedOrigins: ['example.com'] }), /not an origin/);
  });
});
