// The token CLI, run exactly as README.md and docs/tokens.md say, and the Node token module.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { mintToken, verifyToken, TokenVerificationError } from '../../dist/node/index.js';

const run = promisify(execFile);
const SECRET = 'cli-test-secret-0123456789';

async function cli(args) {
  try {
    const { stdout, stderr } = await run('npx', ['voice-widget', ...args], { env: { ...process.env, npm_config_loglevel: 'silent' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('npx voice-widget token prints exactly one line, the token, and exits 0', async () => {
  const { code, stdout } = await cli([
    'token',
    '--secret',
    SECRET,
    '--user',
    'alice',
    '--domain',
    'voice.test',
    '--name',
    'Alice Smith',
    '--ttl',
    '600',
    '--caller-id',
    '+15550100',
    '--caller-id',
    '+15550101',
  ]);
  assert.equal(code, 0);
  assert.match(stdout, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/);
  const claims = verifyToken(stdout.trim(), SECRET);
  assert.equal(claims.sub, 'alice');
  assert.equal(claims.sip_domain, 'voice.test');
  assert.equal(claims.name, 'Alice Smith');
  assert.equal(claims.exp - claims.iat, 600);
  assert.deepEqual(claims.caller_ids, ['+15550100', '+15550101']);
  // The SIP credential is Kamailio auth_ephemeral's.
  assert.equal(claims.sip_auth_user, `${claims.exp}:alice`);
  assert.equal(claims.sip_auth_password, createHmac('sha1', SECRET).update(claims.sip_auth_user).digest('base64'));
});

test('defaults: name is the user, ttl is 3600', async () => {
  const { code, stdout } = await cli(['token', '--secret', SECRET, '--user', 'bob', '--domain', 'voice.test']);
  assert.equal(code, 0);
  const claims = verifyToken(stdout.trim(), SECRET);
  assert.equal(claims.name, 'bob');
  assert.equal(claims.exp - claims.iat, 3600);
});

for (const [what, args] of [
  ['a missing --user', ['token', '--secret', SECRET, '--domain', 'voice.test']],
  ['an unknown option', ['token', '--secret', SECRET, '--user', 'a', '--domain', 'voice.test', '--bogus', '1']],
  ['a ttl of 0', ['token', '--secret', SECRET, '--user', 'a', '--domain', 'voice.test', '--ttl', '0']],
  ['a ttl over 30 days', ['token', '--secret', SECRET, '--user', 'a', '--domain', 'voice.test', '--ttl', '2592001']],
  ['a bad user', ['token', '--secret', SECRET, '--user', 'a b', '--domain', 'voice.test']],
  ['an unknown command', ['mint']],
]) {
  test(`${what} exits 2 with usage on stderr and nothing on stdout`, async () => {
    const { code, stdout, stderr } = await cli(args);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /usage: voice-widget token/);
  });
}

test('ttl bounds: 1 s and 30 days are accepted', () => {
  for (const ttl of [1, 30 * 24 * 3600]) {
    const claims = verifyToken(mintToken({ secret: SECRET, user: 'a', domain: 'voice.test', ttl }), SECRET);
    assert.equal(claims.exp - claims.iat, ttl);
  }
});

test('verifyToken refuses a forged signature and an expired token', () => {
  const tk = mintToken({ secret: SECRET, user: 'a', domain: 'voice.test', ttl: 60 });
  assert.throws(
    () => verifyToken(tk, 'another-secret-0123456789'),
    (e) => e instanceof TokenVerificationError && e.reason === 'signature',
  );
  assert.throws(
    () => verifyToken(tk, SECRET, Date.now() + 61_000),
    (e) => e.reason === 'expired',
  );
  assert.throws(
    () => verifyToken('x.y', SECRET),
    (e) => e.reason === 'malformed',
  );
});

test('TURN servers get ephemeral credentials with the same HMAC scheme', () => {
  const tk = mintToken({ secret: SECRET, user: 'a', domain: 'voice.test', iceServers: ['stun:stun.test:3478', 'turn:turn.test:3478'] });
  const claims = verifyToken(tk, SECRET);
  assert.deepEqual(claims.ice_servers[0], { urls: 'stun:stun.test:3478' });
  assert.equal(claims.ice_servers[1].username, `${claims.exp}:a`);
  assert.equal(claims.ice_servers[1].credential, createHmac('sha1', SECRET).update(`${claims.exp}:a`).digest('base64'));
});

test('the issuer refuses display names with control characters (CR LF could forge SIP headers)', async () => {
  for (const name of ['Eve\r\nVia: evil', 'Eve\u0000', 'x'.repeat(129)]) {
    assert.throws(() => mintToken({ secret: 's'.repeat(32), user: 'eve', domain: 'voice.test', name }), /name must be/);
  }
});
