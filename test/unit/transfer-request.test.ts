import { expect } from '@open-wc/testing';
import { referTarget, TransferRequests, TRANSFER_DECISION_MS, type Clock, type ReferUri } from '../../src/core/transfer-request.js';

const DOMAIN = 'voice.test';
const uri = (over: Partial<ReferUri> = {}): ReferUri => ({ scheme: 'sip', user: 'carol', host: DOMAIN, port: null, params: [], headers: [], ...over });
const REPLACES = 'a84b4c76e66710@pc33.voice.test;to-tag=1234;from-tag=5678';

describe("referTarget: a REFER target obeys call()'s dial rule", () => {
  it('sip:user@our-domain is a blind transfer', () => {
    expect(referTarget(uri(), DOMAIN)).to.deep.equal({ number: 'carol', kind: 'blind', replaces: null });
    expect(referTarget(uri({ user: '+15550109999', host: 'VOICE.test' }), DOMAIN)?.number).to.equal('+15550109999');
  });

  it('a Replaces header makes it attended', () => {
    expect(referTarget(uri({ headers: [['Replaces', REPLACES]] }), DOMAIN)).to.deep.equal({ number: 'carol', kind: 'attended', replaces: REPLACES });
  });

  const refused: Array<[string, Partial<ReferUri>]> = [
    ['another domain', { host: 'pstn-gateway.example' }],
    ['no user', { user: null }],
    ['a port', { port: 5070 }],
    ['a URI parameter (maddr routes elsewhere)', { params: ['maddr'] }],
    ['a user part call() would rewrite', { user: '+1 (555) 010' }],
    ['a user part with markup', { user: '<b>x</b>' }],
    ['sips or another scheme', { scheme: 'tel' }],
    ['a header other than Replaces', { headers: [['Subject', 'hi']] }],
    [
      'two Replaces',
      {
        headers: [
          ['Replaces', REPLACES],
          ['Replaces', REPLACES],
        ],
      },
    ],
    ['a Replaces that adds a header line', { headers: [['Replaces', `${REPLACES}\r\nP-Asserted-Identity: <sip:boss@voice.test>`]] }],
    ['a Replaces with no tags', { headers: [['Replaces', 'abc@host']] }],
  ];
  for (const [what, over] of refused) {
    it(`refuses ${what}`, () => expect(referTarget(uri(over), DOMAIN)).to.equal(null));
  }

  it('refuses everything while the domain is unknown', () => expect(referTarget(uri({ host: '' }), '')).to.equal(null));
});

/** A clock that moves only when told. */
function fakeClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  return {
    setTimeout: (fn, ms) => {
      timers.set(next, { at: now + ms, fn });
      return next++;
    },
    clearTimeout: (id) => void timers.delete(id as number),
    advance(ms) {
      now += ms;
      for (const [id, t] of [...timers]) if (t.at <= now) (timers.delete(id), t.fn());
    },
  };
}

describe('TransferRequests: one request while the user decides', () => {
  const request = { id: 'call-1', target: 'carol', kind: 'blind' as const, from: { name: 'Bob', address: 'sip:bob@voice.test' } };

  function setup() {
    const clock = fakeClock();
    const log: string[] = [];
    const requests = new TransferRequests(() => log.push('changed'), clock);
    const answers = { accept: () => log.push('accept'), decline: () => log.push('decline') };
    return { clock, log, requests, answers };
  }

  it(`declines by itself after ${TRANSFER_DECISION_MS / 1000} s, not before`, () => {
    const { clock, log, requests, answers } = setup();
    expect(requests.ask(request, answers.accept, answers.decline)).to.equal(true);
    expect(requests.pending).to.deep.equal(request);
    clock.advance(TRANSFER_DECISION_MS - 1);
    expect(log).to.deep.equal(['changed']);
    clock.advance(1);
    expect(log).to.deep.equal(['changed', 'changed', 'decline']);
    expect(requests.pending).to.equal(null);
    expect(requests.settle(true), 'nothing left to answer').to.equal(false);
  });

  it('accept and decline answer once, and stop the timer', () => {
    const { clock, log, requests, answers } = setup();
    requests.ask(request, answers.accept, answers.decline);
    expect(requests.settle(true)).to.equal(true);
    expect(requests.settle(false)).to.equal(false);
    clock.advance(TRANSFER_DECISION_MS * 2);
    expect(log).to.deep.equal(['changed', 'changed', 'accept']);

    requests.ask(request, answers.accept, answers.decline);
    expect(requests.settle(false)).to.equal(true);
    clock.advance(TRANSFER_DECISION_MS * 2);
    expect(log.slice(3)).to.deep.equal(['changed', 'changed', 'decline']);
  });

  it('a second request while one waits is refused; the first stays', () => {
    const { requests, answers } = setup();
    requests.ask(request, answers.accept, answers.decline);
    expect(requests.ask({ ...request, target: 'dave' }, answers.accept, answers.decline)).to.equal(false);
    expect(requests.pending?.target).to.equal('carol');
  });

  it('the asking call ends: the request goes unanswered (no dialog left to NOTIFY in), the timer stops', () => {
    const { clock, log, requests, answers } = setup();
    requests.ask(request, answers.accept, answers.decline);
    requests.drop('another-call');
    expect(requests.pending).to.not.equal(null);
    requests.drop('call-1');
    expect(requests.pending).to.equal(null);
    clock.advance(TRANSFER_DECISION_MS);
    expect(log).to.deep.equal(['changed', 'changed']);
  });
});
