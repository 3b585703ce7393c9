import { expect } from '@open-wc/testing';
import { decodeToken, isCanonicalToken, TokenFormatError } from '../../src/shared/token-claims.js';
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

describe('isCanonicalToken (what servers require)', () => {
  // A 2-byte signature, 'si': 3 characters, the last carrying 2 unused bits.
  const token = fakeToken().replace(/\.[^.]*$/, '.c2k');

  it('accepts the string as minted, and the element may still trim what a page sets', () => {
    expect(isCanonicalToken(token)).to.equal(true);
    expect(decodeToken(`${token}\n`).sub).to.equal('alice');
  });

  it('refuses whitespace around the token, padding and set unused bits', () => {
    for (const v of [` ${token}`, `${token}\n`, `${token}=`, `${token.slice(0, -1)}l`, `${token.slice(0, -1)}n`, 'a.b.c', 'A.B.CD']) {
      expect(isCanonicalToken(v), JSON.stringify(v)).to.equal(false);
    }
  });

  // Decode and re-encode: a part is canonical exactly when it comes back unchanged.
  it('agrees with a base64url round trip on 2,000 random parts', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const roundTrip = (part: string): string => {
      try {
        const b64 = part.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (part.length % 4)) % 4);
        return btoa(atob(b64)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      } catch {
        return '';
      }
    };
    for (let n = 0; n < 2000; n++) {
      const part = Array.from({ length: 1 + (n % 13) }, () => alphabet[Math.floor(Math.random() * 64)]).join('');
      expect(isCanonicalToken(`${part}.${part}.${part}`), part).to.equal(roundTrip(part) === part);
    }
  });
});
