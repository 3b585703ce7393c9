// The embedded SIP server at the protocol level: a raw WebSocket client sends
// SIP and reads the answers. Calls between real browsers are in test/e2e/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { SipServer, mintToken } from '../../dist/node/index.js';
import { claimsOf, digest, reason, registerRequest, sipClient, status } from '../harness/sip-ws-client.js';

const SECRET = 'sip-server-test-secret-0123456789';
const DOMAIN = 'voice.test';
let server;

before(async () => {
  // Any page origin may connect here: these tests check the token's allowed_domains at REGISTER
  // (the handshake's Origin check is in sip-server-limits.test.js).
  server = await SipServer.start({ secret: SECRET, domain: DOMAIN, allowedOrigins: ['*'] });
});
after(async () => {
  await server?.stop();
});

const client = (origin = 'http://127.0.0.1:8080') => sipClient(server.url, { origin });
const register = (user, { contact = `sip:${user}x@h${user}.invalid;transport=ws`, ...opts } = {}) =>
  registerRequest(user, DOMAIN, { ...opts, contacts: [`<${contact}>;expires=600`] });

/** Registers `user` all the way through the challenge; returns the client. */
async function registered(user, contact) {
  const token = mintToken({ secret: SECRET, user, domain: DOMAIN });
  const c = await client();
  c.send(register(user, { token, contact }));
  const challenge = await c.next();
  assert.equal(status(challenge), 401);
  c.send(register(user, { token, contact, authorization: digest(challenge, token, DOMAIN) }));
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
    d.send(register('bob', { token, authorization: digest(challenge, token, DOMAIN, { password: 'wrong' }) }));
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
    assert.match(in1, /Record-Route: <sip:127\.0\.0\.1:\d+;transport=ws;lr;vwd=[\w-]+>/);
    // The callee is told who calls from the caller's token, not from its From header.
    assert.match(in1, /P-Asserted-Identity: "dave" <sip:dave@voice\.test>/);
    // Tab 1 answers: the caller gets the 200, tab 2 gets a CANCEL.
    const ok = in1
      .replace(/^INVITE [^\r]+/, 'SIP/2.0 200 OK')
      .replace(/(To: [^\r]+)/, '$1;tag=t1')
      .replace(/Max-Forwards: \d+\r\n/, '');
    tab1.send(ok);
    const answered = await caller.next();
    assert.equal(status(answered), 200);
    assert.doesNotMatch(answered, /127\.0\.0\.1:\d+;branch/); // our Via is gone
    const cancel = await tab2.next();
    assert.match(cancel, /^CANCEL /);
    assert.match(cancel, /Reason: SIP;cause=200/);
    for (const c of [caller, tab1, tab2]) c.close();
  });

  test('a decline (6xx) on one branch ends the search: the caller gets it, the other phone a CANCEL', async () => {
    const { c: caller } = await registered('hank');
    const tab1 = (await registered('ivy', 'sip:ivy1@one.invalid;transport=ws')).c;
    const tab2 = (await registered('ivy', 'sip:ivy2@two.invalid;transport=ws')).c;
    caller.send(invite('hank', 'ivy').replace('Call-ID: inv-1', 'Call-ID: decline-1'));
    assert.equal(status(await caller.next()), 100);
    const [in1] = await Promise.all([tab1.next(), tab2.next()]);
    tab1.send(in1.replace(/^INVITE [^\r]+/, 'SIP/2.0 603 Decline').replace(/(To: [^\r]+)/, '$1;tag=d1'));
    assert.match(await tab1.next(), /^ACK /);
    assert.equal(status(await caller.next()), 603);
    assert.match(await tab2.next(), /^CANCEL /);
    for (const c of [caller, tab1, tab2]) c.close();
  });

  test('when the caller goes away, the phones ringing for it get a CANCEL', async () => {
    const { c: caller } = await registered('jack');
    const { c: callee } = await registered('kate');
    caller.send(invite('jack', 'kate').replace('Call-ID: inv-1', 'Call-ID: drop-1'));
    assert.equal(status(await caller.next()), 100);
    assert.match(await callee.next(), /^INVITE /);
    caller.ws.terminate();
    assert.match(await callee.next(), /^CANCEL /);
    callee.close();
  });

  test('a forged or foreign Route cannot steer an in-dialog request to another connection', async () => {
    const { c: mallory } = await registered('mallory');
    const { c: victim } = await registered('victor');
    const port = new URL(server.url).port;
    for (const route of [`<sip:127.0.0.1:${port};transport=ws;lr;vwd=1-2-AAAAAAAAAAAAAAAA>`, `<sip:127.0.0.1:${port};transport=ws;lr>`]) {
      mallory.send(
        [
          `BYE sip:victorx@hvictor.invalid;transport=ws SIP/2.0`,
          'Via: SIP/2.0/WSS m.invalid;branch=z9hG4bKbye',
          'Max-Forwards: 69',
          `Route: ${route}`,
          '<sip:victor@voice.test>;tag=v'.replace(/^/, 'To: '),
          'From: <sip:mallory@voice.test>;tag=m',
          'Call-ID: x',
          'CSeq: 2 BYE',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
      assert.equal(status(await mallory.next()), 481);
    }
    await assert.rejects(victim.next(300));
    mallory.close();
    victim.close();
  });

  test('a dialog follows its flow (RFC 5626): the same user, instance and reg-id on a new connection takes over its end; another user cannot', async () => {
    const flow = '+sip.instance="<urn:uuid:00000000-0000-4000-8000-00000000f10e>";reg-id=1';
    const registeredFlow = async (user) => {
      const token = mintToken({ secret: SECRET, user, domain: DOMAIN });
      const c = await client();
      const contacts = [`<sip:${user}x@h${user}.invalid;transport=ws>;${flow};expires=600`];
      c.send(registerRequest(user, DOMAIN, { token, contacts }));
      const challenge = await c.next();
      c.send(registerRequest(user, DOMAIN, { token, contacts, authorization: digest(challenge, token, DOMAIN) }));
      assert.equal(status(await c.next()), 200);
      return c;
    };
    const inDialog = (method, route, from, to, ruri) =>
      [
        `${method} ${ruri} SIP/2.0`,
        `Via: SIP/2.0/WSS m.invalid;branch=z9hG4bK${method}${Math.random().toString(36).slice(2)}`,
        'Max-Forwards: 69',
        `Route: ${route}`,
        `To: ${to}`,
        `From: ${from}`,
        'Call-ID: flow-1',
        `CSeq: 2 ${method}`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    const first = await registeredFlow('flora');
    const { c: callee } = await registered('gus');
    first.send(invite('flora', 'gus').replace('Call-ID: inv-1', 'Call-ID: flow-1'));
    assert.equal(status(await first.next()), 100);
    const incoming = await callee.next();
    const route = /Record-Route: ([^\r]+)/.exec(incoming)[1];
    callee.send(
      incoming
        .replace(/^INVITE [^\r]+/, 'SIP/2.0 200 OK')
        .replace(/(To: [^\r]+)/, '$1;tag=g1')
        .replace(/Max-Forwards: \d+\r\n/, ''),
    );
    assert.equal(status(await first.next()), 200);
    const flora = '<sip:flora@voice.test>;tag=a1';
    const gus = '<sip:gus@voice.test>;tag=g1';

    // The caller's network changes: its old socket is gone, a new one registers the same flow.
    first.ws.terminate();
    const second = await registeredFlow('flora');
    second.send(inDialog('INFO', route, flora, gus, 'sip:gusx@hgus.invalid;transport=ws'));
    assert.match(await callee.next(), /^INFO /);
    // The far end's BYE reaches the new connection.
    callee.send(inDialog('BYE', route, gus, flora, 'sip:florax@hflora.invalid;transport=ws'));
    assert.match(await second.next(), /^BYE /);

    // The same instance under another user takes nothing over.
    const token = mintToken({ secret: SECRET, user: 'mallory', domain: DOMAIN });
    const mallory = await client();
    const contacts = [`<sip:malloryx@hm.invalid;transport=ws>;${flow};expires=600`];
    mallory.send(registerRequest('mallory', DOMAIN, { token, contacts }));
    mallory.send(registerRequest('mallory', DOMAIN, { token, contacts, authorization: digest(await mallory.next(), token, DOMAIN) }));
    assert.equal(status(await mallory.next()), 200);
    mallory.send(inDialog('BYE', route, flora, gus, 'sip:gusx@hgus.invalid;transport=ws'));
    assert.equal(status(await mallory.next()), 481);
    for (const c of [second, callee, mallory]) c.close();
  });

  test('an unregistered connection may not send in-dialog requests either', async () => {
    const c = await client();
    c.send(
      [
        'BYE sip:x@y.invalid SIP/2.0',
        'Via: SIP/2.0/WSS m.invalid;branch=z9hG4bKb2',
        'To: <sip:a@voice.test>;tag=1',
        'From: <sip:b@voice.test>;tag=2',
        'Call-ID: y',
        'CSeq: 1 BYE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    assert.equal(reason(await c.next()), 'Register First');
    c.close();
  });

  test('a registered connection whose token has expired cannot place new calls', async () => {
    const token = mintToken({ secret: SECRET, user: 'lena', domain: DOMAIN, ttl: 2 });
    const c = await client();
    c.send(register('lena', { token }));
    const challenge = await c.next();
    c.send(register('lena', { token, authorization: digest(challenge, token, DOMAIN) }));
    assert.equal(status(await c.next()), 200);
    await new Promise((r) => setTimeout(r, 2100));
    c.send(invite('lena', 'bob').replace('Call-ID: inv-1', 'Call-ID: late-1'));
    assert.equal(reason(await c.next()), 'Credentials Expired');
    c.close();
  });

  test('a digest nonce with non-ASCII characters is refused, and the server lives on', async () => {
    const token = mintToken({ secret: SECRET, user: 'mia', domain: DOMAIN });
    const c = await client();
    const claims = claimsOf(token);
    const auth = `Digest username="${claims.sip_auth_user}", realm="voice.test", nonce="x.${'é'.repeat(22)}", uri="sip:voice.test", response="00000000000000000000000000000000"`;
    c.send(register('mia', { token, authorization: auth }));
    assert.equal(status(await c.next()), 403);
    c.send(register('mia', { token }));
    assert.equal(status(await c.next()), 401);
    c.close();
  });

  test('a preferred caller ID is asserted only when the token lists it', async () => {
    const token = mintToken({ secret: SECRET, user: 'nina', domain: DOMAIN, callerIds: ['+15550100'] });
    const caller = await client();
    caller.send(register('nina', { token }));
    const challenge = await caller.next();
    caller.send(register('nina', { token, authorization: digest(challenge, token, DOMAIN) }));
    assert.equal(status(await caller.next()), 200);
    const { c: callee } = await registered('omar');
    const withId = (id, callId) =>
      invite('nina', 'omar')
        .replace('Call-ID: inv-1', `Call-ID: ${callId}`)
        .replace('Content-Length: 0', `P-Preferred-Identity: <sip:${id}@${DOMAIN}>\r\nContent-Length: 0`);
    caller.send(withId('+19999999', 'ppi-1'));
    assert.equal(reason(await caller.next()), 'Caller ID Not Allowed');
    caller.send(withId('+15550100', 'ppi-2'));
    assert.equal(status(await caller.next()), 100);
    const forwarded = await callee.next();
    assert.match(forwarded, /P-Asserted-Identity: "nina" <sip:\+15550100@voice\.test>/);
    assert.doesNotMatch(forwarded, /P-Preferred-Identity/);
    caller.close();
    callee.close();
  });

  test('a malformed message is dropped and the connection keeps working', async () => {
    const { c } = await registered('frank');
    c.send('INVITE this is not SIP\r\n\r\n');
    c.send('\r\n\r\n');
    c.send(
      [
        'OPTIONS sip:voice.test SIP/2.0',
        'Via: SIP/2.0/WSS h.invalid;branch=z9hG4bKo1',
        'To: <sip:voice.test>',
        'From: <sip:frank@voice.test>;tag=o',
        'Call-ID: o1',
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
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
