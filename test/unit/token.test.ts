import { expect } from '@open-wc/testing';
import { decodeToken, TokenFormatError } from '../../src/shared/token-claims.js';
import { fakeToken } from './helpers.js';

describe('decodeToken (browser side)', () => {
  it('reads the claims of a well-formed token', () => {
    const claims = decodeToken(fakeToken({ caller_ids: ['+15550100'], ice_servers: [{ urls: 'stun:s.test' }] }));
    expect(claims.sub).to.equal('alice');
    expect(claims.sip_domain).to.equal('voice.test');
    expect(claims.caller_ids).to.deep.equal(['+15550100']);
  });

  const bad: Array<[string, string]> = [
    ['empty', ''],
    ['two parts', 'a.b'],
    ['not base64url', 'a!.b.c'],
    ['not JSON', `${btoa('x')}.${btoa('y')}.c`],
    ['missing sub', fakeToken({ sub: undefined })],
    ['a bad user', fakeToken({ sub: 'a b' })],
    ['expiry before issue', fakeToken({ exp: 1, iat: 2 })],
    ['bad caller ids', fakeToken({ caller_ids: [1] })],
    ['bad ice servers', fakeToken({ ice_servers: [{ url: 'stun:x' }] })],
  ];
  for (const [what, token] of bad) {
    it(`refuses ${what} with a TokenFormatError`, () => {
      expect(() => decodeToken(token)).to.throw(TokenFormatError);
    });
  }
});
