// The embedded SIP server at the protocol level: a raw WebSocket client sends
// SIP and reads the answers. Calls between real browsers are in test/e2e/.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';

import { SipServer, mintToken } from '../../dist/node/index.js';

const SECRET = 'sip-server-test-secret-0123456789';
const DOMAIN = 'voice.test';
let server;

before(async () => {
  server = await SipServer.start({ secret: SECRET, domain: DOMAIN });
});
after(async () => {
  await server?.stop();
});

/** A SIP client on one WebSocket: send text, await the next message. */
async function client(origin = 'http://127.0.0.1:8080') {
  const ws = new WebSocket(server.url, 'sip', { origin });
  const inbox = [];
  const waiters = [];
  ws.on('message', (data) => {
    const text = data.toString();
    const w = waiters.shift();
    if (w) w(text);
    else inbox.push(text);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    ws,
    send: (text) => ws.send(text),
    next: (ms = 2000) =>
      inbox.length > 0
        ? Promise.resolve(inbox.shift())
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no message')), ms);
            waiters.push((t) => {
              clearTimeout(timer);
              resolve(t);
            });
          }),
    close: () => ws.close(),
  };
}

let seq = 0;
function register(user, { token, authorization, contact = `sip:${user}x@h${user}.invalid;transport=ws` } = {}) {
  seq++;
  return [
    `REGISTER sip:${DOMAIN} SIP/2.0`,
    `Via: SIP/2.0/WSS h.invalid;branch=z9hG4bKreg${seq}`,
    'Max-Forwards: 69',
    `To: <sip:${user}@${DOMAIN}>`,
    `From: <sip:${user}@${DOMAIN}>;tag=f${seq}`,
    `Call-ID: reg-${user}-${seq}`,
    `CSeq: ${seq} REGISTER`,
    `Contact: <${contact}>;expires=600`,
    ...(token ? [`X-Voice-Widget-Token: ${token}`] : []),
    ...(authorization ? [`Authorization: ${authorization}`] : []),
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

const status = (msg) => Number(/^SIP\/2\.0 (\d{3})/.exec(msg)?.[1]);
const reason = (msg) => /^SIP\/2\.0 \d{3} (.*)\r\n/.exec(msg)?.[1];
const md5 = (s) => createHash('md5').update(s).digest('hex');

function digest(challenge, claims, { password = claims.sip_auth_password, username = claims.sip_auth_user } = {}) {
  const realm = /realm="([^"]+)"/.exec(challenge)[1];
  const nonce = /nonce="([^"]+)"/.exec(challenge)[1];
  const uri = `sip:${DOMAIN}`;
  const ha1 = md5(`${username}:${realm}:${password}`);
  const ha2 = md5(`REGISTER:${uri}`);
  const response = md5(`${ha1}:${nonce}:00000001:abc:auth:${ha2}`);
  return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", qop=auth, nc=00000001, cnonce="abc", algorithm=MD5`;
}

const claimsOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));

/** Registers `user` all the way through the challenge; returns the client. */
async function registered(user, contact) {
  const token = mintToken({ secret: SECRET, user, domain: DOMAIN });
  const c = await client();
  c.send(register(user, { token, contact }));
  const challenge = await c.next();
  assert.equal(status(challenge), 401);
  c.send(register(user, { token, contact, authorization: digest(/WWW-Authenticate: (.*)\r\n/.exec(challenge)[1], claimsOf(token)) }));
  const ok = await c.next();
  assert.equal(status(ok), 200, ok);
  return { c, token };
}

describe('REGISTER', () => {
  test('without the token header: 403 Token Required', async () => {
    const c = await client();
    c.send(register('alice'));
    assert.equal(reason(await c.next()), 'Token Required');
    c.close();
  });

  test('with a badly signed token: 403 Invalid Token', async () => {
    const c = await client();
    c.send(register('alice', { token: mintToken({ secret: 'another-secret-0123456789', user: 'alice', domain: DOMAIN }) }));
    assert.equal(reason(await c.next()), 'Invalid Token');
    c.close();
  });

  test('with an expired token: 403 Credentials Expired', async () => {
    const token = mintToken({ secret: SECRET, user: 'alice', domain: DOMAIN, ttl: 1, now: () => Date.now() - 5000 });
    const c = await client();
    c.send(register('alice', { token }));
    assert.equal(reason(await c.next()), 'Credentials Expired');
    c.close();
  });

  test('as another user than the token: 403', async () => {
    const c = await client();
    c.send(register('mallory', { token: mintToken({ secret: SECRET, user: 'alice', domain: DOMAIN }) }));
    assert.equal(status(await c.next()), 403);
    c.close();
  });

  test('challenge, then 200 with the contact and its expiry; a wrong password gets 403', async () => {
    const { c } = await registered('alice');
    c.close();
    const token = mintToken({ secret: SECRET, user: 'bob', domain: DOMAIN });
    const d = await client();
    d.send(register('bob', { token }));
    const challenge = await d.next();
    assert.match(challenge, /WWW-Authenticate: Digest realm="voice\.test", nonce="[^"]+", algorithm=MD5, qop="auth"/);
    d.send(register('bob', { token, authorization: digest(/WWW-Authenticate: (.*)\r\n/.exec(challenge)[1], claimsOf(token), { password: 'wrong' }) }));
    assert.equal(reason(await d.next()), 'Forbidden');
    d.close();
  });

  test('from a page whose origin the token does not allow: 403 Origin Not Allowed', async () => {
    const token = mintToken({ secret: SECRET, user: 'alice', domain: DOMAIN, allowedDomains: ['example.com'] });
    const c = await client('https://evil.test');
    c.send(register('alice', { token }));
    assert.equal(reason(await c.next()), 'Origin Not Allowed');
    c.close();
    const ok = await client('https://crm.example.com');
    ok.send(register('alice', { token }));
    assert.equal(status(await ok.next()), 401);
    ok.close();
  });
});

describe('requests', () => {
  const invite = (from, to, host = DOMAIN) =>
    [
      `INVITE sip:${to}@${host} SIP/2.0`,
      'Via: SIP/2.0/WSS h.invalid;branch=z9hG4bKinv1',
      'Max-Forwards: 69',
      `To: <sip:${to}@${host}>`,
      `From: <sip:${from}@${DOMAIN}>;tag=a1`,
      'Call-ID: inv-1',
      'CSeq: 1 INVITE',
      `Contact: <sip:${from}x@h${from}.invalid;transport=ws>`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');

  test('INVITE before REGISTER: 403 Register First', async () => {
    const c = await client();
    c.send(invite('alice', 'bob'));
    assert.equal(reason(await c.next()), 'Register First');
    c.close();
  });

  test('INVITE to a user with no registration: 100 then 480; to another domain: 404', async () => {
    const { c } = await registered('carol');
    c.send(invite('carol', 'nobody'));
    assert.equal(status(await c.next()), 480);
    c.send(invite('carol', 'bob', 'elsewhere.test'));
    assert.equal(status(await c.next()), 404);
    c.close();
  });

  test('INVITE forks to every connection of the callee; the first 200 cancels the others', async () => {
    const { c: caller } = await registered('dave');
    const tab1 = (await registered('erin', 'sip:tab1@one.invalid;transport=ws')).c;
    const tab2 = (await registered('erin', 'sip:tab2@two.invalid;transport=ws')).c;
    caller.send(invite('dave', 'erin').replace('Call-ID: inv-1', 'Call-ID: fork-1'));
    assert.equal(status(await caller.next()), 100);
    const [in1, in2] = await Promise.all([tab1.next(), tab2.next()]);
    assert.match(in1, /^INVITE /);
    assert.match(in2, /^INVITE /);
    assert.match(in1, /Record-Route: <sip:127\.0\.0\.1:\d+;transport=ws;lr>/);
    // Tab 1 answers: the caller gets the 200, tab 2 gets a CANCEL.
    const ok = in1.replace(/^INVITE [^\r]+/, 'SIP/2.0 200 OK').replace(/(To: [^\r]+)/, '$1;tag=t1').replace(/Max-Forwards: \d+\r\n/, '');
    tab1.send(ok);
    const answered = await caller.next();
    assert.equal(status(answered), 200);
    assert.doesNotMatch(answered, /127\.0\.0\.1:\d+;branch/); // our Via is gone
    const cancel = await tab2.next();
    assert.match(cancel, /^CANCEL /);
    assert.match(cancel, /Reason: SIP;cause=200/);
    for (const c of [caller, tab1, tab2]) c.close();
  });

  test('a malformed message is dropped and the connection keeps working', async () => {
    const { c } = await registered('frank');
    c.send('INVITE this is not SIP\r\n\r\n');
    c.send('\r\n\r\n');
    c.send(['OPTIONS sip:voice.test SIP/2.0', 'Via: SIP/2.0/WSS h.invalid;branch=z9hG4bKo1', 'To: <sip:voice.test>', 'From: <sip:frank@voice.test>;tag=o', 'Call-ID: o1', 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''].join('\r\n'));
    assert.equal(status(await c.next()), 200);
    c.close();
  });

  test('revoking a token closes its connections with code 4001', async () => {
    const { c, token } = await registered('gina');
    const closed = new Promise((resolve) => c.ws.once('close', (code) => resolve(code)));
    server.disconnectToken(claimsOf(token).jti);
    assert.equal(await closed, 4001);
    assert.equal(server.registrations().gina, undefined);
  });
});
