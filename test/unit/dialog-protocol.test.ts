import { expect } from '@open-wc/testing';
import { isConfig, newConfigToken, parseHostMessage, parsePopupMessage, PROTOCOL, VERSION } from '../../src/dialog/protocol.js';

const env = (m: Record<string, unknown>) => ({ protocol: PROTOCOL, version: VERSION, ...m });
const snapshot = { state: 'ready', ready: true, registrationState: 'registered', muted: false, onHold: false, calls: [], callStats: {} };

describe('dialog protocol', () => {
  it('config tokens are 128 random bits, base64url, never repeated', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newConfigToken()));
    expect(tokens.size).to.equal(200);
    for (const t of tokens) expect(t).to.match(/^[A-Za-z0-9_-]{22}$/);
  });

  it('takes the messages it knows, in the envelope', () => {
    expect(parsePopupMessage(env({ type: 'redeem', token: newConfigToken() }))?.type).to.equal('redeem');
    expect(parsePopupMessage(env({ type: 'hello' }))).to.deep.equal({ type: 'hello' });
    expect(parsePopupMessage(env({ type: 'snapshot', snapshot: { ...snapshot, callStats: { a1: { mos: 4.4, codec: 'audio/opus' } } } }))?.type).to.equal(
      'snapshot',
    );
    expect(parsePopupMessage(env({ type: 'event', name: 'call-ended', detail: { id: 'x', cause: 'busy' }, snapshot }))?.type).to.equal('event');
    expect(parseHostMessage(env({ type: 'command', name: 'sendDtmf', args: ['12#'] }))).to.deep.equal({ type: 'command', name: 'sendDtmf', args: ['12#'] });
    expect(parseHostMessage(env({ type: 'config', config: { token: 'a.b.c', 'hide-logo': true, strings: { call: 'Ring' } } }))?.type).to.equal('config');
  });

  const hostile: Array<[string, unknown]> = [
    ['not an object', 'hello'],
    ['null', null],
    ['an array', [PROTOCOL, VERSION, 'hello']],
    ['another protocol', { protocol: 'other', version: 1, type: 'hello' }],
    ['another version', { protocol: PROTOCOL, version: 2, type: 'hello' }],
    ['an unknown type', env({ type: 'eval', code: 'alert(1)' })],
    ['a short token', env({ type: 'redeem', token: 'abc' })],
    ['a token with symbols', env({ type: 'redeem', token: '<script>alert(1)</script>xxxxxxxxxxxx' })],
    ['an event name with symbols', env({ type: 'event', name: 'call-ended"><img', detail: {}, snapshot })],
    ['an event without a snapshot', env({ type: 'event', name: 'ready', detail: {} })],
    ['a snapshot without callStats', env({ type: 'snapshot', snapshot: { ...snapshot, callStats: undefined } })],
    ['a snapshot whose callStats is a list', env({ type: 'snapshot', snapshot: { ...snapshot, callStats: [{ mos: 4 }] } })],
    [
      'a snapshot with stats of more than 8 calls',
      env({ type: 'snapshot', snapshot: { ...snapshot, callStats: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`c${i}`, { mos: 4 }])) } }),
    ],
    [
      'a prototype key in the detail',
      JSON.parse(
        `{"protocol":"${PROTOCOL}","version":${VERSION},"type":"event","name":"ready","detail":{"__proto__":{"x":1}},"snapshot":${JSON.stringify(snapshot)}}`,
      ),
    ],
    ['a constructor key', env({ type: 'event', name: 'ready', detail: { constructor: { prototype: { x: 1 } } }, snapshot })],
    ['a deep detail', env({ type: 'event', name: 'ready', detail: [[[[[[[[[1]]]]]]]]], snapshot })],
    ['a huge string', env({ type: 'event', name: 'ready', detail: 'x'.repeat(20_000), snapshot })],
    ['a class instance', env({ type: 'event', name: 'ready', detail: new Date(), snapshot })],
    // Bounds shared with the bridge (src/shared/plain-data.ts): a total budget, finite numbers, plain arrays.
    [
      'many long strings (80,000 characters in all)',
      env({ type: 'event', name: 'ready', detail: Array.from({ length: 5 }, () => 'x'.repeat(16_000)), snapshot }),
    ],
    ['a number that JSON cannot carry', env({ type: 'event', name: 'ready', detail: { duration: NaN }, snapshot })],
  ];
  for (const [what, data] of hostile) {
    it(`drops ${what} from a popup`, () => expect(parsePopupMessage(data)).to.equal(null));
  }

  const hostileHost: Array<[string, unknown]> = [
    ['a command that is not a method of ours', env({ type: 'command', name: 'setAttribute', args: ['onclick', 'alert(1)'] })],
    ['a command with too many arguments', env({ type: 'command', name: 'call', args: [1, 2, 3, 4, 5] })],
    ['a config with an unknown key', env({ type: 'config', config: { token: 'x', onload: 'alert(1)' } })],
    ['a config with a wrong type', env({ type: 'config', config: { 'hide-logo': 'yes' } })],
    ['a config with a prototype key', JSON.parse(`{"protocol":"${PROTOCOL}","version":${VERSION},"type":"config","config":{"__proto__":{"token":"x"}}}`)],
  ];
  for (const [what, data] of hostileHost) {
    it(`drops ${what} from a host`, () => expect(parseHostMessage(data)).to.equal(null));
  }

  it('nothing it parses pollutes Object.prototype', () => {
    parsePopupMessage(JSON.parse(`{"protocol":"${PROTOCOL}","version":${VERSION},"type":"hello","__proto__":{"polluted":1}}`));
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(isConfig(JSON.parse('{"__proto__":{"a":1}}'))).to.equal(false);
  });
});
