import { expect } from '@open-wc/testing';
import { Phone } from '../../src/core/phone.js';
import type { SipSession } from '../../src/core/jssip-adapter.js';
import { CLOSE_REVOKED, WIDGET_TOKEN_HEADER } from '../../src/shared/protocol.js';
import { fakeAgents, type FakeAgent } from './fake-agent.js';
import { fakeToken } from './helpers.js';

type Logged = { type: string; detail: Record<string, unknown> };

const EVENTS = ['state-change', 'registration-change', 'ready', 'error', 'token-expired', 'before-connect', 'call-received'] as const;

function setup(servers = 'wss://a.example') {
  const made = fakeAgents();
  const phone = new Phone(made.factory);
  const log: Logged[] = [];
  for (const type of EVENTS) phone.on(type, (detail) => log.push({ type, detail: detail as Record<string, unknown> }));
  const token = fakeToken();
  phone.configure({ server: servers, token });
  phone.start();
  return { phone, log, made, token };
}

function registered(servers?: string) {
  const s = setup(servers);
  const agent = s.made.last();
  agent.connect();
  agent.fire('registered', {});
  s.log.length = 0;
  return { ...s, agent };
}

const of = (log: Logged[], type: string) => log.filter((e) => e.type === type).map((e) => e.detail);

/** A JsSIP session as far as the phone touches it for a ringing call. */
function ringingSession(): SipSession & { terminated: unknown[] } {
  const terminated: unknown[] = [];
  return {
    terminated,
    on: () => {},
    connection: undefined,
    isEnded: () => false,
    terminate: (o?: unknown) => terminated.push(o ?? null),
  } as unknown as SipSession & {
    terminated: unknown[];
  };
}

function invite(headers: Record<string, string> = {}) {
  return {
    to: { display_name: 'Alice', uri: { user: 'alice', host: 'voice.test' } },
    getHeader: (n: string) => headers[n],
    getHeaders: (n: string) => (headers[n] ? [headers[n]] : []),
  };
}

describe('Phone (against a fake user agent)', () => {
  it('does nothing on the network before start()', () => {
    const made = fakeAgents();
    const phone = new Phone(made.factory);
    phone.configure({ server: 'wss://a.example', token: fakeToken() });
    expect(made.agents).to.have.length(0);
    expect(phone.state).to.equal('loading');
  });

  it('connects, registers with the token header, and is ready', () => {
    const { made, log, token } = setup();
    const agent = made.last();
    expect(agent.started).to.equal(true);
    expect(agent.options).to.include({
      uri: 'sip:alice@voice.test',
      displayName: 'Alice',
      authorizationUser: JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sip_auth_user,
    });
    agent.connect();
    expect(agent.registers).to.deep.equal([[`${WIDGET_TOKEN_HEADER}: ${token}`]]);
    agent.fire('registered', {});
    expect(of(log, 'registration-change').map((d) => d.state)).to.deep.equal(['connecting', 'registered']);
    expect(of(log, 'before-connect')[0]).to.include({ url: 'wss://a.example', attempt: 0 });
    expect(of(log, 'state-change')).to.deep.equal([{ id: null, state: 'ready', previous: 'loading' }]);
    expect(of(log, 'ready')).to.have.length(1);
  });

  it('hands several servers to one agent, in order', () => {
    const { made } = setup('wss://a.example  wss://b.example:8443/sip');
    expect(made.agents).to.have.length(1);
    expect(made.last().options.servers).to.deep.equal(['wss://a.example', 'wss://b.example:8443/sip']);
  });

  it('refuses a server list with one bad entry, naming it, and keeps the previous servers', () => {
    const { phone, made, log } = registered();
    phone.configure({ server: 'wss://b.example http://c.example' });
    const errors = of(log, 'error');
    expect(errors).to.have.length(1);
    expect(errors[0].code).to.equal('invalid-server');
    expect(errors[0].message).to.include('"http://c.example"');
    expect(phone.state).to.equal('error');
    expect(made.agents).to.have.length(1);
    phone.configure({ server: 'wss://a.example' });
    expect(phone.state).to.equal('ready');
  });

  it('a lost connection is reconnecting; the next connection registers again', () => {
    const { agent, log } = registered();
    agent.fire('disconnected', { code: 1006, reason: 'gone' });
    expect(of(log, 'registration-change')).to.deep.equal([{ state: 'reconnecting', previous: 'registered', cause: 'gone' }]);
    expect(of(log, 'state-change')).to.deep.equal([{ id: null, state: 'loading', previous: 'ready' }]);
    agent.reconnect('wss://a.example', 1);
    expect(agent.registers).to.have.length(2);
    agent.fire('registered', {});
    expect(of(log, 'registration-change').map((d) => d.state)).to.deep.equal(['reconnecting', 'registered']);
  });

  it('a socket closed as revoked kills the token: token-expired once, error, agent stopped', () => {
    const { agent, log, phone } = registered();
    agent.fire('disconnected', { code: CLOSE_REVOKED, reason: 'revoked' });
    expect(of(log, 'token-expired')).to.deep.equal([{ reason: 'revoked' }]);
    expect(phone.state).to.equal('error');
    expect(phone.registrationState).to.equal('failed');
    expect(agent.stopped).to.equal(true);
  });

  it('sorts REGISTER failures: expired and rejected kill the token, a server error retries', () => {
    const expired = setup();
    expired.made.last().connect();
    expired.made.last().fire('registrationFailed', { status: 403, reasonPhrase: 'Token Expired', cause: 'Rejected', authenticationError: false });
    expect(of(expired.log, 'token-expired')).to.deep.equal([{ reason: 'expired' }]);

    const rejected = setup();
    rejected.made.last().connect();
    rejected.made.last().fire('registrationFailed', { status: 401, reasonPhrase: 'Unauthorized', cause: 'Authentication Error', authenticationError: true });
    expect(of(rejected.log, 'token-expired')).to.deep.equal([{ reason: 'rejected' }]);

    const busy = setup();
    busy.made.last().connect();
    busy.made.last().fire('registrationFailed', { status: 503, reasonPhrase: 'Service Unavailable', cause: 'SIP Failure Code', authenticationError: false });
    expect(of(busy.log, 'token-expired')).to.deep.equal([]);
    expect(of(busy.log, 'error').map((e) => e.code)).to.deep.equal(['registration-failed']);
    expect(busy.phone.registrationState).to.equal('failed');
    expect(busy.phone.state).to.equal('loading');
    busy.phone.stop();
  });

  it('a 403 about the origin: origin-not-allowed, error, no retry', () => {
    const { made, log, phone } = setup();
    made.last().connect();
    made.last().fire('registrationFailed', { status: 403, reasonPhrase: 'Origin Not Allowed', cause: 'Rejected', authenticationError: false });
    expect(of(log, 'error').map((e) => e.code)).to.deep.equal(['origin-not-allowed']);
    expect(phone.state).to.equal('error');
    expect(made.last().stopped).to.equal(true);
  });

  it('a new token for the same user refreshes the credentials and registers with it, after the REGISTER in flight', () => {
    const { made, phone } = setup();
    const agent = made.last();
    agent.connect();
    const next = fakeToken({ jti: 'second', sip_auth_password: 'y' });
    phone.configure({ token: next });
    expect(made.agents).to.have.length(1);
    expect(agent.credentials).to.include({ password: 'y' });
    expect(agent.registers).to.have.length(1); // queued behind the first
    agent.fire('registered', {});
    expect(agent.registers.at(-1)).to.deep.equal([`${WIDGET_TOKEN_HEADER}: ${next}`]);
  });

  it('a token for another user makes a new agent; the old one is stopped', () => {
    const { made, phone } = registered();
    phone.configure({ token: fakeToken({ sub: 'bob' }) });
    expect(made.agents).to.have.length(2);
    expect(made.agents[0].stopped).to.equal(true);
    expect(made.last().options.uri).to.equal('sip:bob@voice.test');
  });

  it('offline drops the socket; online drops a socket that is not connected (reconnect now)', () => {
    const { agent, phone } = registered();
    phone.networkChanged(false);
    agent.fire('disconnected', { code: 1006, reason: 'offline' });
    phone.networkChanged(true);
    expect(agent.dropped).to.deep.equal(['offline', 'network back']);
  });

  it('a Content-Security-Policy refusal of one of two servers goes on with the other; of all, stops', () => {
    const { made, phone, log } = registered('wss://a.example wss://b.example');
    phone.connectionRefusedByPolicy('wss://a.example/');
    expect(of(log, 'error').map((e) => e.code)).to.deep.equal(['csp-blocked']);
    expect(made.agents).to.have.length(2);
    expect(made.last().options.servers).to.deep.equal(['wss://b.example']);
    expect(phone.state).to.equal('loading');
    phone.connectionRefusedByPolicy('wss://b.example/');
    expect(phone.state).to.equal('error');
    expect(phone.registrationState).to.equal('failed');
    expect(made.last().stopped).to.equal(true);
  });

  it('an incoming call: call-received with the asserted caller; a third call is busy (486)', () => {
    const { agent, phone, log } = registered();
    const first = ringingSession();
    agent.fire('incoming', {
      session: first,
      remote: { display_name: 'From Name', uri: { user: '555', host: 'voice.test' } },
      request: invite({ 'P-Asserted-Identity': '"Bob \\"B\\"" <sip:bob@voice.test>', Diversion: '<sip:desk@voice.test>' }),
    });
    const received = of(log, 'call-received')[0];
    expect(received.from).to.deep.equal({ name: 'Bob "B"', address: 'sip:bob@voice.test' });
    expect(received.paths).to.deep.equal([
      { type: 'diversion', address: 'sip:desk@voice.test', name: '' },
      { type: 'sip', address: 'sip:alice@voice.test', name: 'Alice' },
    ]);
    expect(phone.state).to.equal('incoming');
    const second = ringingSession();
    agent.fire('incoming', { session: second, remote: { uri: { user: 'carol', host: 'voice.test' } }, request: invite() });
    expect(phone.waitingCall).to.not.equal(null);
    const third = ringingSession();
    agent.fire('incoming', { session: third, remote: { uri: { user: 'dave', host: 'voice.test' } }, request: invite() });
    expect(third.terminated).to.deep.equal([{ status_code: 486, reason_phrase: 'Busy Here' }]);
    expect(of(log, 'call-received')).to.have.length(2);
    phone.stop();
  });

  it('busy-policy reject: a second call is refused at once', () => {
    const { agent, phone } = registered();
    phone.configure({ busyPolicy: 'reject' });
    agent.fire('incoming', { session: ringingSession(), remote: { uri: { user: 'bob', host: 'voice.test' } }, request: invite() });
    const second = ringingSession();
    agent.fire('incoming', { session: second, remote: { uri: { user: 'carol', host: 'voice.test' } }, request: invite() });
    expect(second.terminated).to.deep.equal([{ status_code: 486, reason_phrase: 'Busy Here' }]);
    phone.stop();
  });

  it('an INVITE with Replaces naming a connected call: taken at once, whatever dnd and busy-policy say; naming a ringing call: 486', () => {
    const { agent, phone, log } = registered();
    // The session of the call with A, with its JsSIP event handlers kept so the test can fire them.
    const handlers = new Map<string, (e: unknown) => void>();
    const first = Object.assign(ringingSession(), { on: (name: string, h: (e: unknown) => void) => handlers.set(name, h), answer: () => {} });
    agent.fire('incoming', { session: first, remote: { uri: { user: 'alice', host: 'voice.test' } }, request: invite() });
    const old = phone.currentCall!;
    const replace = () => {
      const result = { rejected: false, session: ringingSession() };
      handlers.get('replaces')!({
        accept: () => agent.fire('incoming', { session: result.session, remote: { uri: { user: 'bob', host: 'voice.test' } }, request: invite() }),
        reject: () => (result.rejected = true),
      });
      return result;
    };
    // Still ringing here: not a call to replace.
    expect(replace().rejected).to.equal(true);
    handlers.get('accepted')!({});
    expect(old.state).to.equal('in-progress');
    phone.configure({ busyPolicy: 'reject', dnd: true });
    log.length = 0;
    const { rejected, session } = replace();
    expect([rejected, session.terminated]).to.deep.equal([false, []]);
    expect(of(log, 'call-received')).to.have.length(1);
    expect(of(log, 'call-received')[0]).to.include({ replaces: old.id });
    expect(phone.waitingCall, 'it never waits or rings').to.equal(null);
    expect(phone.currentCall, 'the old call stays in front until it ends').to.equal(old);
    phone.stop();
  });

  it('stop() stops the agent and says unregistered', () => {
    const { agent, phone, log } = registered();
    phone.stop();
    expect(agent.stopped).to.equal(true);
    expect(phone.registrationState).to.equal('unregistered');
    expect(of(log, 'state-change')).to.deep.equal([{ id: null, state: 'loading', previous: 'ready' }]);
  });

  it('call() refuses an invalid number and a phone that is not ready, without touching the agent', () => {
    const { phone, log, made } = setup();
    expect(phone.call('not a number!')).to.equal(false);
    expect(phone.call('1234')).to.equal(false);
    expect(of(log, 'error').map((e) => e.code)).to.deep.equal(['invalid-number', 'not-ready']);
    expect((made.last() as FakeAgent).calls).to.have.length(0);
  });
});
