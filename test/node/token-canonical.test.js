// Exactly one string verifies per token: verifyToken, the token service's
// check() and the embedded SIP server refuse every other spelling of it
// (surrounding whitespace, padding, base64url with its unused bits set). The
// store's token_sha256 is the hash of the one string (token-service.test.js).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { SipServer, TokenService, TokenVerificationError, mintToken, verifyToken } from '../../dist/node/index.js';
import { registerRequest, sipClient, statusLine } from '../harness/sip-ws-client.js';

const SECRET = 'canonical-token-test-secret-0123';
const DOMAIN = 'voice.test';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

let sip;
let dir;
before(async () => {
  sip = await SipServer.start({ secret: SECRET, domain: DOMAIN });
  dir = await mkdtemp(join(tmpdir(), 'vw-canonical-'));
});
after(async () => {
  await sip?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The same token with unused bits set in the last character of part `i` (when that part has any). */
function flippedBits(token, i) {
  const parts = token.split('.');
  const part = parts[i];
  const unused = { 2: 4, 3: 2 }[part.length % 4];
  if (!unused) return [];
  const last = ALPHABET.indexOf(part.at(-1));
  return Array.from({ length: 2 ** unused - 1 }, (_, k) => {
    const copy = [...parts];
    copy[i] = part.slice(0, -1) + ALPHABET[last + k + 1];
    return copy.join('.');
  });
}

/** Every other spelling of `token` that a lenient decoder reads as the same bytes. */
function variants(token) {
  const sig = token.split('.')[2];
  const list = [
    [' leading space', ` ${token}`],
    ['trailing newline', `${token}\n`],
    ['tab and space around', `\t${token} `],
    ['CRLF after', `${token}\r\n`],
    ['no-break space before', `\u00a0${token}`],
    ['BOM after', `${token}\ufeff`],
    ['padding on the signature', `${token}=`],
    ...flippedBits(token, 2).map((v) => [`signature's last character ${v.at(-1)} (was ${sig.at(-1)})`, v]),
  ];
  // The flipped spellings really are the same signature to a decoder: that is the hole.
  for (const [, v] of list.filter(([what]) => what.startsWith("signature's"))) {
    assert.deepEqual(Buffer.from(v.split('.')[2], 'base64url'), Buffer.from(sig, 'base64url'));
  }
  return list;
}

test('verifyToken: the minted string verifies; whitespace around it, padding and set unused bits are malformed', () => {
  const token = mintToken({ secret: SECRET, user: 'alice', domain: DOMAIN });
  assert.equal(verifyToken(token, SECRET).sub, 'alice');
  const list = variants(token);
  assert.ok(list.length >= 10, `${list.length} variants`);
  for (const [what, v] of list) {
    assert.throws(
      () => verifyToken(v, SECRET),
      (e) => e instanceof TokenVerificationError && e.reason === 'malformed',
      what,
    );
  }
  // The header and claims parts too: a decoder ignores their unused bits as well.
  for (let n = 0; n < 40; n++) {
    const other = mintToken({ secret: SECRET, user: `u${'x'.repeat(n)}`, domain: DOMAIN });
    for (const v of [...flippedBits(other, 0), ...flippedBits(other, 1), ...flippedBits(other, 2)]) {
      assert.throws(() => verifyToken(v, SECRET), TokenVerificationError, v);
    }
  }
});

test('the token service: check() refuses every other spelling as malformed', async () => {
  const svc = await TokenService.open({ secret: SECRET, apiKeys: ['canonical-test-key-0123456789'], storePath: join(dir, 'tokens.json'), domain: DOMAIN });
  try {
    const token = mintToken({ secret: SECRET, user: 'bob', domain: DOMAIN });
    assert.equal(svc.check(token).ok, true);
    for (const [what, v] of variants(token)) assert.deepEqual(svc.check(v), { ok: false, reason: 'malformed' }, what);
  } finally {
    await svc.close();
  }
});

test('the embedded SIP server: REGISTER with another spelling gets 403 Invalid Token; the minted string is challenged', async () => {
  const token = mintToken({ secret: SECRET, user: 'carol', domain: DOMAIN });
  const c = await sipClient(sip.url);
  try {
    const answer = async (header) => {
      c.send(registerRequest('carol', DOMAIN, { tokenHeader: header }));
      return statusLine(await c.next());
    };
    // SIP's own whitespace around a header value (SP, HTAB) is syntax, not part of the value.
    assert.equal(await answer(` ${token}`), '401 Unauthorized');
    assert.equal(await answer(`\t${token} \t`), '401 Unauthorized');
    const refused = [
      ['no-break space before', ` \u00a0${token}`],
      ['BOM after', ` ${token}\ufeff`],
      ['folded onto a second line', ` ${token}\r\n x`],
      ['padding on the signature', ` ${token}=`],
      ...flippedBits(token, 2).map((v) => [`last character ${v.at(-1)}`, ` ${v}`]),
    ];
    for (const [what, header] of refused) assert.equal(await answer(header), '403 Invalid Token', what);
  } finally {
    c.close();
  }
});
