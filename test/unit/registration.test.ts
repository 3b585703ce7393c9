import { expect } from '@open-wc/testing';
import { InvalidRegistrationTransitionError, REGISTRATION_STATES, RegistrationStateMachine, canMove } from '../../src/core/phone/registration-state.js';
import { Registration } from '../../src/core/phone/registration.js';
import type { RegistrationState } from '../../src/core/types.js';
import { FakeAgent } from './fake-agent.js';

/** Every edge between two different states is a real path (see the diagram in registration-state.ts). */
const LEGAL: Record<RegistrationState, RegistrationState[]> = {
  unregistered: ['connecting', 'reconnecting', 'registered', 'failed'],
  connecting: ['reconnecting', 'registered', 'failed', 'unregistered'],
  reconnecting: ['connecting', 'registered', 'failed', 'unregistered'],
  registered: ['connecting', 'reconnecting', 'failed', 'unregistered'],
  failed: ['connecting', 'reconnecting', 'registered', 'unregistered'],
};

function machineIn(state: RegistrationState, log: Array<[RegistrationState, RegistrationState]>): RegistrationStateMachine {
  const m = new RegistrationStateMachine((s, p) => log.push([s, p]));
  if (state !== 'unregistered') m.transition(state, null);
  log.length = 0;
  return m;
}

describe('RegistrationStateMachine', () => {
  for (const from of REGISTRATION_STATES) {
    for (const to of REGISTRATION_STATES) {
      const legal = LEGAL[from].includes(to);
      it(`${from} → ${to} is ${legal ? 'legal' : 'illegal'}`, () => {
        const log: Array<[RegistrationState, RegistrationState]> = [];
        const m = machineIn(from, log);
        expect(canMove(from, to)).to.equal(legal);
        if (legal) {
          expect(m.transition(to, 'why')).to.equal(true);
          expect(m.state).to.equal(to);
          expect(log).to.deep.equal([[to, from]]);
        } else {
          expect(() => m.transition(to, null)).to.throw(InvalidRegistrationTransitionError);
          expect(m.state).to.equal(from);
          expect(log).to.deep.equal([]);
        }
      });
    }
  }

  it('refuses a state that is none of the five, and moveTo skips staying put', () => {
    const log: Array<[RegistrationState, RegistrationState]> = [];
    const m = machineIn('registered', log);
    expect(() => m.transition('bogus' as RegistrationState, null)).to.throw(InvalidRegistrationTransitionError);
    m.moveTo('registered', null);
    expect(log).to.deep.equal([]);
    m.moveTo('reconnecting', 'gone');
    expect(log).to.deep.equal([['reconnecting', 'registered']]);
  });
});

describe('Registration (REGISTER client)', () => {
  function client(token = 't1') {
    const agent = new FakeAgent({
      servers: ['wss://a'],
      uri: 'sip:a@b',
      authorizationUser: 'a',
      password: 'p',
      displayName: 'A',
      instanceId: undefined,
      userAgent: 'x',
    });
    const current = { agent, token, dead: false };
    const told: string[] = [];
    const reg = new Registration(() => current, {
      changed: (s) => told.push(s),
      tokenFailed: (r) => told.push(`token ${r}`),
      originRefused: (why) => told.push(`origin ${why}`),
      error: (code) => told.push(`error ${code}`),
    });
    return { agent, current, told, reg };
  }

  it('one REGISTER in flight; a newer token queues one more after it', () => {
    const { agent, current, reg, told } = client();
    reg.connected();
    current.token = 't2';
    reg.register();
    expect(agent.registers).to.have.length(1);
    reg.registered();
    expect(agent.registers.map((h) => h[0])).to.deep.equal(['X-Voice-Widget-Token: t1', 'X-Voice-Widget-Token: t2']);
    reg.registered();
    expect(agent.registers).to.have.length(2);
    expect(told).to.deep.equal(['registered']);
  });

  it('the refusal of a REGISTER made with a replaced token only re-registers', () => {
    const { agent, current, reg, told } = client();
    reg.connected();
    current.token = 't2';
    reg.failed({ status: 403, reasonPhrase: 'Token Expired', cause: 'Rejected', authenticationError: false });
    expect(told).to.deep.equal([]);
    expect(agent.registers.at(-1)).to.deep.equal(['X-Voice-Widget-Token: t2']);
  });

  it('too many registrations is retried (the token is fine), reported once', () => {
    const { reg, told } = client();
    reg.connected();
    reg.failed({ status: 403, reasonPhrase: 'Too Many Registrations', cause: 'Rejected', authenticationError: false });
    expect(told).to.deep.equal(['failed', 'error too-many-registrations']);
    reg.reset(true);
  });

  it('a dead token sends nothing', () => {
    const { agent, current, reg } = client();
    current.dead = true;
    reg.connected();
    reg.register();
    expect(agent.registers).to.have.length(0);
  });
});
