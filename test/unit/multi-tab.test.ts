import { expect } from '@open-wc/testing';
import { TabElection } from '../../src/multi-tab/election.js';
import { envelope, parseTabMessage, PROTOCOL, VERSION } from '../../src/multi-tab/protocol.js';

const ID = '0b7e6f3c-1d2a-4c5b-9e8f-7a6b5c4d3e2f';
const OTHER = '1c8f7a4d-2e3b-4d6c-8f9a-8b7c6d5e4f3a';
const env = (m: Record<string, unknown>) => ({ protocol: PROTOCOL, version: VERSION, from: ID, ...m });
const snapshot = {
  state: 'ready',
  phoneState: 'ready',
  registrationState: 'registered',
  ready: true,
  identity: { user: 'tina', domain: 'voice.test', name: 'Tina' },
  call: null,
  waiting: null,
  transferRequest: null,
  problem: null,
  history: [],
  missed: 0,
  callerIds: [],
  outboundNumber: null,
  audioBlocked: false,
  audioDevices: { microphone: null, speaker: null, ringer: null },
  dnd: false,
  volumes: { ring: 1, call: 1 },
  heldElsewhere: false,
};
const until = async (check: () => boolean, ms = 2000) => {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('multi-tab protocol', () => {
  it('takes the messages it knows, in the envelope', () => {
    for (const type of ['beat', 'hello', 'bye', 'ping']) expect(parseTabMessage(env({ type }))).to.deep.equal({ type, from: ID });
    expect(parseTabMessage(env({ type: 'state', snapshot }))?.type).to.equal('state');
    expect(parseTabMessage(env({ type: 'event', name: 'call-ended', detail: { id: 'c1' }, handler: OTHER }))?.type).to.equal('event');
    expect(parseTabMessage(env({ type: 'command', to: OTHER, name: 'sendDtmf', args: ['12#'] }))).to.deep.equal({
      type: 'command',
      from: ID,
      to: OTHER,
      name: 'sendDtmf',
      args: ['12#'],
    });
    expect(parseTabMessage(env({ type: 'token', token: 'a.b.c' }))?.type).to.equal('token');
    expect(parseTabMessage(envelope(ID, { type: 'beat' }))).to.deep.equal({ type: 'beat', from: ID });
  });

  const hostile: Array<[string, unknown]> = [
    ['not an object', 'beat'],
    ['null', null],
    ['another protocol', { protocol: 'voice-widget-dialog', version: 1, from: ID, type: 'beat' }],
    ['another version', { protocol: PROTOCOL, version: 2, from: ID, type: 'beat' }],
    ['no sender', { protocol: PROTOCOL, version: VERSION, type: 'beat' }],
    ['a sender that is not a tab id', env({ from: 'leader', type: 'beat' })],
    ['an unknown type', env({ type: 'lead' })],
    ['a command not in the table', env({ type: 'command', to: OTHER, name: 'getPeerConnection', args: [] })],
    ['a command to nobody', env({ type: 'command', to: 'x', name: 'answer', args: [] })],
    ['too many arguments', env({ type: 'command', to: OTHER, name: 'call', args: [1, 2, 3, 4, 5] })],
    ['a function-like argument', env({ type: 'command', to: OTHER, name: 'call', args: [{ __proto__: { x: 1 } }] })],
    ['a token that is not one', env({ type: 'token', token: '<script>' })],
    ['a huge token', env({ type: 'token', token: `${'a'.repeat(9000)}.b.c` })],
    ['an event name that is not one', env({ type: 'event', name: 'Call Ended!', detail: {}, handler: null })],
    ['an event handler that is not a tab', env({ type: 'event', name: 'call-ended', detail: {}, handler: 'me' })],
    ['a deep detail', env({ type: 'event', name: 'ready', detail: { a: { b: { c: { d: { e: { f: { g: {} } } } } } } }, handler: null })],
    ['a snapshot missing fields', env({ type: 'state', snapshot: { state: 'ready' } })],
    ['a snapshot of the wrong types', env({ type: 'state', snapshot: { ...snapshot, ready: 'yes' } })],
    ['a snapshot with a forged call', env({ type: 'state', snapshot: { ...snapshot, call: { id: 1 } } })],
    ['a huge snapshot', env({ type: 'state', snapshot: { ...snapshot, history: Array.from({ length: 5000 }, () => ({ id: 'x' })) } })],
  ];
  for (const [what, data] of hostile) it(`drops ${what}`, () => expect(parseTabMessage(data)).to.equal(null));
});

describe('multi-tab election', () => {
  const name = () => `voice-widget:test-${crypto.randomUUID()}`;

  it('one tab leads; when it leaves, the next in line leads', async () => {
    const lock = name();
    const roles: string[] = [];
    const a = new TabElection(lock, ID, { lead: () => roles.push('a leads'), follow: () => roles.push('a follows') });
    const b = new TabElection(lock, OTHER, { lead: () => roles.push('b leads'), follow: () => roles.push('b follows') });
    a.start();
    await until(() => a.leading);
    b.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(b.leading).to.equal(false);
    a.stop();
    await until(() => b.leading);
    expect(roles).to.deep.equal(['a leads', 'b leads']);
    b.stop();
  });

  it('a follower steals the lock from a silent leader; the stale leader stands down and queues again', async () => {
    const lock = name();
    const roles: string[] = [];
    const a = new TabElection(lock, ID, { lead: () => roles.push('a leads'), follow: () => roles.push('a follows') });
    const b = new TabElection(lock, OTHER, { lead: () => roles.push('b leads'), follow: () => roles.push('b follows') });
    a.start();
    await until(() => a.leading);
    b.start();
    b.steal();
    await until(() => b.leading && !a.leading);
    expect(roles).to.deep.equal(['a leads', 'b leads', 'a follows']);
    // The stale leader waits in line again: it leads when the new one leaves.
    b.stop();
    await until(() => a.leading);
    a.stop();
  });

  it('each tab holds a lock of its own, which the others can see', async () => {
    const lock = name();
    const a = new TabElection(lock, ID, { lead: () => undefined, follow: () => undefined });
    a.start();
    await until(() => a.leading);
    const { held = [] } = await navigator.locks.query();
    expect(held.map((l) => l.name)).to.include.members([lock, TabElection.tabLock(lock, ID)]);
    a.stop();
    await new Promise((r) => setTimeout(r, 20));
    const after = (await navigator.locks.query()).held ?? [];
    expect(after.map((l) => l.name)).to.not.include(lock);
  });
});
