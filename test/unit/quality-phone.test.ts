import { expect } from '@open-wc/testing';
import { Phone } from '../../src/core/phone.js';
import type { SipSession } from '../../src/core/jssip-adapter.js';
import type { CallEndedDetail, ErrorDetail, QualityWarningDetail } from '../../src/core/types.js';
import { fakeAgents } from './fake-agent.js';
import { chromiumStats } from './fixtures/chromium-stats.js';
import { fakeToken } from './helpers.js';

/** A connected JsSIP session as far as the phone touches it: its handlers, and a peer connection that answers getStats(). */
function liveSession(rttSeconds: number) {
  const handlers = new Map<string, (e: unknown) => void>();
  let bytes = 0;
  const connection = {
    connectionState: 'connected',
    iceConnectionState: 'connected',
    addEventListener: () => {},
    getSenders: () => [],
    getReceivers: () => [],
    getStats: async () => chromiumStats({ bytesSent: (bytes += 8000), bytesReceived: bytes, packetsReceived: bytes / 160, pairRtt: rttSeconds }),
  };
  const session = {
    on: (name: string, h: (e: unknown) => void) => handlers.set(name, h),
    connection,
    isEnded: () => false,
    terminate: () => {},
  } as unknown as SipSession;
  return { session, fire: (name: string, e: unknown = {}) => handlers.get(name)?.(e) };
}

const INVITE = { to: { display_name: 'Alice', uri: { user: 'alice', host: 'voice.test' } }, getHeader: () => undefined, getHeaders: () => [] };

function waitFor<T>(read: () => T | undefined, ms: number): Promise<T> {
  const until = performance.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      const value = read();
      if (value !== undefined) resolve(value);
      else if (performance.now() > until) reject(new Error('timed out'));
      else setTimeout(poll, 50);
    };
    poll();
  });
}

describe('Phone call quality (against a fake user agent)', () => {
  it('qualityThresholds: a bad value is an error and keeps the previous; warnings, getCallStats and call-ended quality follow the call', async () => {
    const made = fakeAgents();
    const phone = new Phone(made.factory);
    const errors: ErrorDetail[] = [];
    const raised: QualityWarningDetail[] = [];
    const ended: CallEndedDetail[] = [];
    phone.on('error', (e) => errors.push(e));
    phone.on('quality-warning', (e) => raised.push(e));
    phone.on('call-ended', (e) => ended.push(e));
    phone.configure({ server: 'wss://a.example', token: fakeToken(), qualityThresholds: { rtt: 100 } });
    phone.configure({ qualityThresholds: { rtt: -1 } as never });
    phone.configure({ qualityThresholds: { loudness: 3 } as never });
    expect(errors.map((e) => e.code)).to.deep.equal(['invalid-attribute', 'invalid-attribute']);
    expect(errors[1]!.message).to.contain('loudness');
    phone.start();
    const agent = made.last();
    agent.connect();
    agent.fire('registered', {});
    expect(phone.ownState, 'a refused threshold does not stop the phone').to.equal('ready');

    const { session, fire } = liveSession(0.2);
    let id = '';
    phone.on('call-received', (e) => (id = e.id));
    agent.fire('incoming', { session, remote: { uri: { user: 'bob', host: 'voice.test' } }, request: INVITE });
    expect(phone.getCallStats(id), 'no sample before the call connects').to.equal(null);
    fire('confirmed');

    // 200 ms against the kept threshold of 100 (not the refused -1, not the default 400): 3 samples, about 3 s.
    const warning = await waitFor(() => raised[0], 8000);
    expect(warning).to.deep.equal({ id, name: 'high-rtt', value: 200, threshold: 100 });
    const stats = phone.getCallStats(id)!;
    expect(stats.rtt).to.equal(200);
    expect(stats.codec).to.equal('audio/opus');
    expect(stats.mos).to.be.greaterThan(4);
    expect(phone.getCallStats('no-such-call')).to.equal(null);

    fire('ended', { originator: 'remote', cause: 'Terminated' });
    expect(ended).to.have.length(1);
    expect(ended[0]!.quality!.warnings).to.deep.equal(['high-rtt']);
    expect(ended[0]!.quality!.mosMin).to.be.greaterThan(4);
    expect(phone.getCallStats(id), 'an ended call has no live sample').to.equal(null);
    phone.stop();
  });

  it('a call that never connected ends with quality null', () => {
    const made = fakeAgents();
    const phone = new Phone(made.factory);
    const ended: CallEndedDetail[] = [];
    phone.on('call-ended', (e) => ended.push(e));
    phone.configure({ server: 'wss://a.example', token: fakeToken() });
    phone.start();
    made.last().connect();
    made.last().fire('registered', {});
    const { session, fire } = liveSession(0.02);
    made.last().fire('incoming', { session, remote: { uri: { user: 'bob', host: 'voice.test' } }, request: INVITE });
    fire('ended', { originator: 'remote', cause: 'Canceled' });
    expect(ended[0]!.quality).to.equal(null);
    phone.stop();
  });
});
