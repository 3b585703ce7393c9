import { expect } from '@open-wc/testing';
import { ConfigError, MAX_SERVERS, parseServers } from '../../src/core/phone/config-checks.js';

describe('sip-server parsing', () => {
  it('one URL, or several separated by any whitespace, in order; empty is none', () => {
    expect(parseServers('wss://a.example')).to.deep.equal(['wss://a.example']);
    expect(parseServers('  wss://a.example \n\t ws://127.0.0.1:5066/sip  ')).to.deep.equal(['wss://a.example', 'ws://127.0.0.1:5066/sip']);
    expect(parseServers('')).to.deep.equal([]);
    expect(parseServers('   ')).to.deep.equal([]);
    expect(parseServers(null)).to.deep.equal([]);
  });

  it('a bad entry refuses the whole list with a ConfigError naming it', () => {
    for (const [value, named] of [
      ['wss://a.example https://b.example', 'https://b.example'],
      ['wss://a.example,wss://b.example', 'wss://a.example,wss://b.example'],
      ['wss://user:pw@a.example', 'wss://user:pw@a.example'],
      ['wss://a.example ws://', 'ws://'],
    ]) {
      let error: unknown;
      try {
        parseServers(value);
      } catch (e) {
        error = e;
      }
      expect(error, value).to.be.instanceOf(ConfigError);
      expect((error as ConfigError).code).to.equal('invalid-server');
      expect((error as ConfigError).field).to.equal('server');
      expect((error as ConfigError).message).to.include(JSON.stringify(named));
    }
  });

  it(`refuses the same URL twice and more than ${MAX_SERVERS} URLs`, () => {
    expect(() => parseServers('wss://a.example wss://a.example')).to.throw(ConfigError, /twice/);
    const many = Array.from({ length: MAX_SERVERS + 1 }, (_, i) => `wss://s${i}.example`).join(' ');
    expect(() => parseServers(many)).to.throw(ConfigError, /at most/);
    expect(parseServers(many.split(' ').slice(0, MAX_SERVERS).join(' '))).to.have.length(MAX_SERVERS);
  });
});
