import { expect } from '@open-wc/testing';
import { CALL_STATES, CallStateMachine, InvalidStateTransitionError, canTransition, type CallState } from '../../src/core/call-state.js';
import { endCauseFor, terminalStateFor } from '../../src/core/causes.js';
import { Call, type CallHooks } from '../../src/core/call.js';
import type { EndCause } from '../../src/core/types.js';

const LEGAL: Record<CallState, CallState[]> = {
  dialing: ['ringing', 'in-progress', 'completed', 'failed'],
  ringing: ['in-progress', 'completed', 'failed'],
  incoming: ['in-progress', 'completed', 'failed'],
  'in-progress': ['completed', 'failed'],
  completed: [],
  failed: [],
};

/** Drives a machine to `target` along legal edges. */
function machineIn(target: CallState, log: Array<[CallState, CallState]>): CallStateMachine {
  const start = target === 'incoming' ? 'incoming' : 'dialing';
  const m = new CallStateMachine(start, (s, p) => log.push([s, p]));
  const path: Record<CallState, CallState[]> = {
    dialing: [],
    incoming: [],
    ringing: ['ringing'],
    'in-progress': ['ringing', 'in-progress'],
    completed: ['completed'],
    failed: ['failed'],
  };
  for (const s of path[target]) m.transition(s);
  log.length = 0;
  return m;
}

describe('CallStateMachine', () => {
  for (const from of CALL_STATES) {
    for (const to of CALL_STATES) {
      const legal = LEGAL[from].includes(to);
      it(`${from} → ${to} is ${legal ? 'legal' : 'illegal'}`, () => {
        const log: Array<[CallState, CallState]> = [];
        const m = machineIn(from, log);
        expect(m.state).to.equal(from);
        expect(canTransition(from, to)).to.equal(legal);
        if (legal) {
          expect(m.transition(to)).to.equal(true);
          expect(m.state).to.equal(to);
          expect(log).to.deep.equal([[to, from]]);
        } else {
          expect(() => m.transition(to)).to.throw(InvalidStateTransitionError);
          expect(m.state).to.equal(from);
          expect(log).to.deep.equal([]);
        }
      });
    }
  }

  it('walks several full cycles, notifying once per edge', () => {
    for (let cycle = 0; cycle < 3; cycle++) {
      const log: Array<[CallState, CallState]> = [];
      const out = new CallStateMachine('dialing', (s, p) => log.push([s, p]));
      out.transition('ringing');
      out.transition('in-progress');
      out.transition('completed');
      const inbound = new CallStateMachine('incoming', (s, p) => log.push([s, p]));
      inbound.transition('failed');
      expect(log).to.deep.equal([
        ['ringing', 'dialing'],
        ['in-progress', 'ringing'],
        ['completed', 'in-progress'],
        ['failed', 'incoming'],
      ]);
      expect(out.terminal && inbound.terminal).to.equal(true);
    }
  });
});

describe('end causes', () => {
  const cases: Array<[string | undefined, string, boolean, EndCause]> = [
    ['Terminated', 'local', true, 'local-hangup'],
    ['Terminated', 'remote', true, 'remote-hangup'],
    ['RTP Timeout', 'local', true, 'connection-lost'],
    ['Connection Error', 'system', true, 'connection-lost'],
    ['Canceled', 'local', false, 'canceled'],
    ['Canceled', 'remote', false, 'canceled'],
    ['Rejected', 'local', false, 'rejected'],
    ['Rejected', 'remote', false, 'rejected'],
    ['Busy', 'remote', false, 'busy'],
    ['Not Found', 'remote', false, 'not-found'],
    ['Unavailable', 'remote', false, 'unavailable'],
    ['No Answer', 'local', false, 'no-answer'],
    ['Request Timeout', 'system', false, 'connection-lost'],
    ['Incompatible SDP', 'remote', false, 'failed'],
    [undefined, 'system', false, 'failed'],
  ];
  const byStatus: Array<[string, number, boolean, EndCause]> = [
    ['Rejected', 603, false, 'rejected'],
    ['Rejected', 403, false, 'failed'],
    ['Busy', 486, false, 'busy'],
    ['Busy', 600, false, 'busy'],
    ['Not Found', 404, false, 'not-found'],
    ['Unavailable', 480, false, 'unavailable'],
    ['Unavailable', 408, true, 'no-answer'],
    ['Unavailable', 408, false, 'unavailable'],
    ['SIP Failure Code', 487, true, 'no-answer'],
    ['SIP Failure Code', 500, true, 'failed'],
  ];
  for (const [jssip, status, alerted, expected] of byStatus) {
    it(`a ${status} from the far end${alerted ? ' after ringing' : ''} → ${expected}`, () => {
      expect(endCauseFor(jssip, 'remote', false, status, alerted)).to.equal(expected);
    });
  }
  for (const [jssip, originator, connected, expected] of cases) {
    it(`${jssip} from ${originator}${connected ? ' after connect' : ''} → ${expected}`, () => {
      expect(endCauseFor(jssip, originator, connected)).to.equal(expected);
    });
  }

  it('choice ends are completed, network ends are failed', () => {
    expect(['local-hangup', 'remote-hangup', 'rejected', 'canceled', 'transferred'].map((c) => terminalStateFor(c as EndCause))).to.deep.equal([
      'completed',
      'completed',
      'completed',
      'completed',
      'completed',
    ]);
    expect(['busy', 'no-answer', 'not-found', 'unavailable', 'connection-lost', 'failed'].map((c) => terminalStateFor(c as EndCause))).to.deep.equal([
      'failed',
      'failed',
      'failed',
      'failed',
      'failed',
      'failed',
    ]);
  });
});

/** A stand-in for JsSIP's RTCSession: records handlers, fires them on demand. */
class FakeSession {
  handlers = new Map<string, Array<(e: unknown) => void>>();
  ended = false;
  connection = undefined;
  on(name: string, fn: (e: unknown) => void) {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), fn]);
  }
  fire(name: string, e: unknown = {}) {
    for (const fn of this.handlers.get(name) ?? []) fn(e);
  }
  isEnded() {
    return this.ended;
  }
  terminate() {}
  answer() {}
  sendDTMF() {}
}

type SessionEvent = 'progress' | 'accepted' | 'confirmed' | 'bye' | 'busy' | 'cancel';
const SESSION_EVENTS: SessionEvent[] = ['progress', 'accepted', 'confirmed', 'bye', 'busy', 'cancel'];

function fireOn(s: FakeSession, ev: SessionEvent): void {
  if (ev === 'progress') s.fire('progress', { originator: 'remote' });
  else if (ev === 'accepted') s.fire('accepted', { originator: 'remote' });
  else if (ev === 'confirmed') s.fire('confirmed', { originator: 'local' });
  else if (ev === 'bye') s.fire('ended', { originator: 'remote', cause: 'Terminated' });
  else if (ev === 'busy') s.fire('failed', { originator: 'remote', cause: 'Busy' });
  else s.fire('failed', { originator: 'remote', cause: 'Canceled' });
}

/** What a call in `state` becomes on `ev`: JsSIP events that do not apply are ignored. */
function expected(direction: 'outbound' | 'inbound', state: CallState, ev: SessionEvent): CallState {
  if (state === 'completed' || state === 'failed') return state;
  const connected = state === 'in-progress';
  switch (ev) {
    case 'progress':
      return state === 'dialing' ? 'ringing' : state;
    case 'accepted':
    case 'confirmed':
      return 'in-progress';
    case 'bye':
      return connected ? 'completed' : 'failed';
    case 'busy':
      return connected ? 'failed' : 'failed';
    case 'cancel':
      return connected ? 'failed' : 'completed';
  }
  void direction;
}

function newCall(direction: 'outbound' | 'inbound') {
  const record = { states: [] as CallState[], started: 0, ended: [] as EndCause[] };
  const hooks: CallHooks = {
    stateChanged: (_c, s) => record.states.push(s),
    started: () => (record.started += 1),
    ended: (_c, cause) => record.ended.push(cause),
    dtmf: () => {},
    error: () => {},
    credentialExpired: () => {},
    muteChanged: () => {},
    holdChanged: () => {},
    transferred: () => {},
    referred: () => {},
  };
  const call = new Call(
    {
      id: 'c1',
      direction,
      number: 'bob',
      remote: { name: 'bob', address: 'sip:bob@voice.test' },
      local: { name: 'alice', address: 'sip:alice@voice.test' },
      iceServers: [],
      dtmfMode: 'info',
    },
    hooks,
  );
  const session = new FakeSession();
  call.attach(session as never, true);
  return { call, session, record };
}

describe('Call driven by session events', () => {
  const prefixes: Record<'outbound' | 'inbound', Array<[CallState, SessionEvent[]]>> = {
    outbound: [
      ['dialing', []],
      ['ringing', ['progress']],
      ['in-progress', ['progress', 'accepted']],
      ['completed', ['accepted', 'bye']],
      ['failed', ['busy']],
    ],
    inbound: [
      ['incoming', []],
      ['in-progress', ['accepted']],
      ['completed', ['cancel']],
      ['failed', ['busy']],
    ],
  };
  for (const direction of ['outbound', 'inbound'] as const) {
    for (const [state, prefix] of prefixes[direction]) {
      for (const ev of SESSION_EVENTS) {
        it(`${direction} ${state} + ${ev} → ${expected(direction, state, ev)}`, () => {
          const { call, session, record } = newCall(direction);
          for (const p of prefix) fireOn(session, p);
          expect(call.state).to.equal(state);
          fireOn(session, ev);
          expect(call.state).to.equal(expected(direction, state, ev));
          // Whatever happens, at most one end, and an ended call never changes again.
          fireOn(session, 'bye');
          fireOn(session, 'busy');
          expect(record.ended.length).to.equal(1);
          expect(call.ended).to.equal(true);
        });
      }
    }
  }

  /** A call whose session and peer connection the test drives; `terminated` counts terminate() calls. */
  function callWithPeer() {
    const pc = Object.assign(new EventTarget(), { connectionState: 'connected', iceConnectionState: 'connected', getSenders: () => [] });
    const session = new FakeSession();
    const record = { ended: [] as EndCause[], reconnecting: [] as string[], terminated: 0 };
    session.terminate = () => {
      record.terminated++;
      // JsSIP answers a local terminate() with 'ended' from the local side.
      session.fire('ended', { originator: 'local', cause: 'Terminated' });
    };
    const call = new Call(
      {
        id: 'c2',
        direction: 'outbound',
        number: 'bob',
        remote: { name: 'bob', address: 'sip:bob@voice.test' },
        local: { name: 'alice', address: 'sip:alice@voice.test' },
        iceServers: [],
        dtmfMode: 'info',
      } as never,
      {
        stateChanged: () => {},
        started: () => {},
        ended: (_c, cause) => record.ended.push(cause),
        dtmf: () => {},
        error: () => {},
        credentialExpired: () => {},
        muteChanged: () => {},
        holdChanged: () => {},
        transferred: () => {},
        referred: () => {},
        reconnecting: (_c, reason) => record.reconnecting.push(reason),
        reconnected: () => {},
        signalingUp: () => false,
      } as unknown as CallHooks,
    );
    call.attach(session as never, true);
    session.fire('peerconnection', { peerconnection: pc });
    return { call, session, pc, record };
  }

  it('a peer connection that fails before the call connected ends it with connection-lost and signals the far end', async () => {
    const { call, pc, record } = callWithPeer();
    pc.connectionState = 'failed';
    pc.dispatchEvent(new Event('connectionstatechange'));
    expect(record.terminated).to.equal(1);
    expect(record.ended).to.deep.equal(['connection-lost']);
    expect(call.state).to.equal('failed');
  });

  it('a connected call whose peer connection fails recovers instead (call-reconnecting); hanging up still ends it once', async () => {
    const { call, session, pc, record } = callWithPeer();
    fireOn(session, 'accepted');
    pc.connectionState = 'failed';
    pc.iceConnectionState = 'failed';
    pc.dispatchEvent(new Event('iceconnectionstatechange'));
    pc.dispatchEvent(new Event('connectionstatechange'));
    expect(record.reconnecting).to.deep.equal(['media-lost']);
    expect(call.reconnecting).to.be.true;
    expect(call.state).to.equal('in-progress');
    expect(record.terminated).to.equal(0);
    call.terminate();
    expect(record.ended).to.deep.equal(['local-hangup']);
    expect(call.reconnecting).to.be.false;
  });

  it('reports duration only for connected time and started once for inbound', async () => {
    const { call, session, record } = newCall('inbound');
    fireOn(session, 'accepted');
    fireOn(session, 'confirmed');
    await new Promise((r) => setTimeout(r, 60));
    fireOn(session, 'bye');
    expect(record.started).to.equal(1);
    expect(record.ended).to.deep.equal(['remote-hangup']);
    expect(call.duration).to.be.greaterThan(0.05).and.lessThan(1);
    expect(record.states).to.deep.equal(['in-progress', 'completed']);
  });
});
