import { expect } from '@open-wc/testing';
import { mos } from '../../src/core/quality/mos.js';
import { toSample } from '../../src/core/quality/stats-sample.js';
import { chromiumStats } from './fixtures/chromium-stats.js';

describe('toSample (one getStats report → one quality sample)', () => {
  it('reads RTT from remote-inbound-rtp, jitter from inbound-rtp (seconds → ms), codec, levels and the selected pair', () => {
    const s = toSample(chromiumStats({ rtt: 0.12, pairRtt: 0.3, jitter: 0.015, inputLevel: 0.4, outputLevel: 0.05, local: 'relay', remote: 'host' }), null, {
      timestamp: 1000,
    });
    expect(s.rtt).to.be.closeTo(120, 1e-9);
    expect(s.jitter).to.be.closeTo(15, 1e-9);
    expect(s.codec).to.equal('audio/opus');
    expect(s.audioInputLevel).to.equal(0.4);
    expect(s.audioOutputLevel).to.equal(0.05);
    expect(s.localCandidateType).to.equal('relay');
    expect(s.remoteCandidateType).to.equal('host');
    expect(s.iceState).to.equal('connected');
    expect(s.bitrate).to.equal(null);
  });

  it('falls back to the candidate pair’s currentRoundTripTime before any RTCP receiver report', () => {
    const s = toSample(chromiumStats({ pairRtt: 0.08 }), null, { timestamp: 0 });
    expect(s.rtt).to.be.closeTo(80, 1e-9);
  });

  it('takes loss from the change since the previous sample: Δlost ÷ (Δreceived + Δlost)', () => {
    const a = toSample(chromiumStats({ packetsReceived: 500, packetsLost: 10, rtt: 0.05 }), null, { timestamp: 0 });
    // First sample: since the call began, 10 ÷ 510.
    expect(a.packetLoss).to.be.closeTo((100 * 10) / 510, 1e-9);
    const b = toSample(chromiumStats({ packetsReceived: 595, packetsLost: 15, rtt: 0.05 }), a, { timestamp: 1000 });
    // 5 lost of 95 + 5 = 100 → 5 %.
    expect(b.packetLoss).to.be.closeTo(5, 1e-9);
    const c = toSample(chromiumStats({ packetsReceived: 645, packetsLost: 15, rtt: 0.05 }), b, { timestamp: 2000 });
    expect(c.packetLoss).to.equal(0);
  });

  it('gives byte changes and kbit/s over the interval', () => {
    const a = toSample(chromiumStats({ bytesSent: 10_000, bytesReceived: 8_000 }), null, { timestamp: 5000 });
    expect(a.bytesSent).to.equal(10_000);
    const b = toSample(chromiumStats({ bytesSent: 20_000, bytesReceived: 12_000 }), a, { timestamp: 7000 });
    expect(b.bytesSent).to.equal(10_000);
    expect(b.bytesReceived).to.equal(4_000);
    // 10 000 B · 8 / 2 s = 40 kbit/s; 4 000 B → 16 kbit/s.
    expect(b.bitrate).to.deep.equal({ send: 40, receive: 16 });
  });

  it('counts a counter that went back (a replaced track) as no change, not a negative one', () => {
    const a = toSample(chromiumStats({ bytesSent: 50_000, packetsReceived: 100 }), null, { timestamp: 0 });
    const b = toSample(chromiumStats({ bytesSent: 1_000, packetsReceived: 10 }), a, { timestamp: 1000 });
    expect(b.bytesSent).to.equal(0);
    expect(b.packetLoss).to.equal(0);
  });

  it('computes MOS from the RTT, jitter and loss it read', () => {
    const a = toSample(chromiumStats({ packetsReceived: 0 }), null, { timestamp: 0 });
    const b = toSample(chromiumStats({ rtt: 0.2, jitter: 0.01, packetsReceived: 98, packetsLost: 2 }), a, { timestamp: 1000 });
    expect(b.mos).to.equal(mos(200, 10, 2));
    expect(b.mos!).to.be.within(3.5, 4.4);
  });

  it('has no loss and no MOS without an inbound stream; records held, muted and the ICE state it is given', () => {
    const report = new Map([...chromiumStats({ rtt: 0.05 })].filter(([, s]) => s.type !== 'inbound-rtp'));
    const s = toSample(report, null, { timestamp: 0, held: true, muted: true, iceState: 'disconnected' });
    expect(s.packetLoss).to.equal(null);
    expect(s.jitter).to.equal(null);
    expect(s.mos).to.equal(null);
    expect([s.held, s.muted, s.iceState]).to.deep.equal([true, true, 'disconnected']);
  });

  it('finds the pair Firefox marks `selected` when no transport names one', () => {
    const report = new Map([...chromiumStats({ local: 'srflx' })].filter(([, s]) => s.type !== 'transport'));
    report.set('CPabc_def', { ...report.get('CPabc_def')!, nominated: false, selected: true });
    expect(toSample(report, null, { timestamp: 0 }).localCandidateType).to.equal('srflx');
  });
});
