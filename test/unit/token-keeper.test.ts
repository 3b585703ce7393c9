import { expect } from '@open-wc/testing';
import { ConfigError } from '../../src/core/phone/config-checks.js';
import { TokenKeeper } from '../../src/core/phone/token-keeper.js';
import { fakeToken } from './helpers.js';

function keeper() {
  const told: Array<string | { expiresAt: number; secondsLeft: number }> = [];
  const k = new TokenKeeper({ expired: () => told.push('expired'), expiring: (d) => told.push(d) });
  return { k, told };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TokenKeeper', () => {
  it('takes a token once: its claims, then false for the same token', () => {
    const { k } = keeper();
    const token = fakeToken();
    expect(k.take(token)).to.equal(true);
    expect(k.claims?.sub).to.equal('alice');
    expect(k.take(token)).to.equal(false);
    k.stopTimers();
  });

  it('an unreadable token throws a ConfigError for the token field and keeps the previous one', () => {
    const { k } = keeper();
    const token = fakeToken();
    k.take(token);
    expect(() => k.take('not.a.token'))
      .to.throw(ConfigError)
      .with.property('code', 'invalid-token');
    expect(k.token).to.equal(token);
    k.stopTimers();
  });

  it('null clears the token and its timers', async () => {
    const { k, told } = keeper();
    const now = Math.floor(Date.now() / 1000);
    k.take(fakeToken({ iat: now, exp: now + 1 }));
    expect(k.take(null)).to.equal(false);
    expect(k.claims).to.equal(null);
    await wait(1_100);
    expect(told).to.deep.equal([]);
  });

  it('warns with a quarter of the lifetime left, then expires, counted from receipt', async () => {
    const { k, told } = keeper();
    const now = Math.floor(Date.now() / 1000);
    // iat/exp a day ago: only the lifetime (1 s) counts, not the page's clock.
    k.take(fakeToken({ iat: now - 86_400, exp: now - 86_399 }));
    await wait(900);
    expect(told).to.have.length(1);
    expect(told[0]).to.include({ secondsLeft: 0 });
    await wait(300);
    expect(told.slice(1)).to.deep.equal(['expired']);
  });

  it('kill() marks the token dead once', () => {
    const { k } = keeper();
    expect(k.kill()).to.equal(false); // no token
    k.take(fakeToken());
    expect(k.kill()).to.equal(true);
    expect(k.dead).to.equal(true);
    expect(k.kill()).to.equal(false);
    k.take(fakeToken({ jti: 'next' }));
    expect(k.dead).to.equal(false);
    k.stopTimers();
  });
});
