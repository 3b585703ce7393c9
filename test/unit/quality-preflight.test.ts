import { expect } from '@open-wc/testing';
import { mos } from '../../src/core/quality/mos.js';
import { classifyCandidates, networkFigures, preflightProblems, preflightVerdict, type VerdictInput } from '../../src/core/quality/preflight.js';
import { gatherCandidates, measureMediaLoop, relayOnly } from '../../src/core/quality/preflight-loop.js';
import type { QualitySample } from '../../src/core/quality/stats-sample.js';

/** Everything working: a microphone that hears, a quick server, host and relay routes, a clean loop. */
function allWell(change: Partial<VerdictInput> = {}): VerdictInput {
  return {
    microphone: { device: 'Fake Default Audio Input', level: 0.4 },
    microphoneDenied: false,
    signalling: { connectMs: 40, roundTripMs: 12 },
    ice: { host: true, srflx: true, relay: true, turnRequired: false },
    network: { rtt: 30, jitter: 4, loss: 0, mos: 4.4 },
    turnConfigured: true,
    ...change,
  };
}

const judge = (input: VerdictInput) => {
  const problems = preflightProblems(input);
  return { verdict: preflightVerdict(problems), problems };
};

describe('preflight verdict', () => {
  it('is ready when everything works', () => {
    expect(judge(allWell())).to.deep.equal({ verdict: 'ready', problems: [] });
  });

  it('is permission-denied when the microphone was refused, whatever else failed', () => {
    const r = judge(allWell({ microphoneDenied: true, microphone: { device: null, level: null }, signalling: { connectMs: null, roundTripMs: null } }));
    expect(r.verdict).to.equal('permission-denied');
    expect(r.problems).to.deep.equal(['microphone-denied', 'signalling-unreachable']);
  });

  it('is blocked when the SIP server cannot be reached, there is no microphone, or no media route', () => {
    expect(judge(allWell({ signalling: { connectMs: null, roundTripMs: null } }))).to.deep.equal({ verdict: 'blocked', problems: ['signalling-unreachable'] });
    expect(judge(allWell({ microphone: { device: null, level: null } })).verdict).to.equal('blocked');
    const none = { host: false, srflx: false, relay: false, turnRequired: false };
    expect(judge(allWell({ ice: none, turnConfigured: false })).problems).to.deep.equal(['no-media-route']);
  });

  it('is blocked when only the relay works and the relay loop carried nothing', () => {
    const r = judge(
      allWell({ ice: { host: true, srflx: false, relay: true, turnRequired: true }, network: { rtt: null, jitter: null, loss: null, mos: null } }),
    );
    expect(r).to.deep.equal({ verdict: 'blocked', problems: ['relay-failed'] });
  });

  it('is degraded on a poor network, slow signalling, a silent microphone or a TURN server that did not answer', () => {
    expect(judge(allWell({ network: { rtt: 450, jitter: 4, loss: 0, mos: mos(450, 4, 0) } }))).to.deep.equal({
      verdict: 'degraded',
      problems: ['poor-network'],
    });
    expect(judge(allWell({ network: { rtt: 30, jitter: 4, loss: 3, mos: 4.2 } })).problems).to.deep.equal(['poor-network']);
    expect(judge(allWell({ signalling: { connectMs: 40, roundTripMs: 900 } })).problems).to.deep.equal(['signalling-slow']);
    expect(judge(allWell({ microphone: { device: 'USB headset', level: 0 } })).problems).to.deep.equal(['microphone-silent']);
    const noRelay = judge(
      allWell({ ice: { host: true, srflx: true, relay: false, turnRequired: false }, network: { rtt: null, jitter: null, loss: null, mos: null } }),
    );
    expect(noRelay).to.deep.equal({ verdict: 'degraded', problems: ['turn-unreachable'] });
  });

  it('is ready without TURN when none is configured and there is no loop', () => {
    const r = judge(
      allWell({
        turnConfigured: false,
        ice: { host: true, srflx: false, relay: false, turnRequired: false },
        network: { rtt: null, jitter: null, loss: null, mos: null },
      }),
    );
    expect(r.verdict).to.equal('ready');
  });
});

describe('classifyCandidates', () => {
  it('needs no TURN when the relay saw this client at one of its host addresses (no NAT between them)', () => {
    const candidates = [
      { type: 'host', address: '10.0.0.5' },
      { type: 'relay', address: '203.0.113.9', relatedAddress: '10.0.0.5' },
    ];
    expect(classifyCandidates(candidates).turnRequired).to.equal(false);
    expect(classifyCandidates([candidates[0], { ...candidates[1], relatedAddress: '198.51.100.7' }]).turnRequired).to.equal(true);
    // Reached over TCP, the relay says nothing about UDP.
    expect(classifyCandidates([candidates[0], { ...candidates[1], relayProtocol: 'tcp' }]).turnRequired).to.equal(true);
  });

  it('needs TURN when only relay (and no server-reflexive) candidates came', () => {
    expect(classifyCandidates([{ type: 'host' }, { type: 'relay' }])).to.deep.equal({ host: true, srflx: false, relay: true, turnRequired: true });
    expect(classifyCandidates([{ type: 'host' }, { type: 'srflx' }, { type: 'relay' }]).turnRequired).to.equal(false);
    expect(classifyCandidates([{ type: 'host' }])).to.deep.equal({ host: true, srflx: false, relay: false, turnRequired: false });
    expect(classifyCandidates([])).to.deep.equal({ host: false, srflx: false, relay: false, turnRequired: false });
  });
});

describe('networkFigures', () => {
  const s = (rtt: number | null, jitter: number | null, received: number, lost: number) =>
    ({ rtt, jitter, totals: { packetsReceived: received, packetsLost: lost, bytesSent: 0, bytesReceived: 0 } }) as QualitySample;

  it('averages RTT and jitter, takes loss over the whole loop and a MOS of those', () => {
    // RTT (20 + 40) / 2 = 30 (the null left out); jitter (2 + 4 + 6) / 3 = 4; loss 3 of 297 + 3 = 1 %.
    const f = networkFigures([s(20, 2, 100, 0), s(null, 4, 200, 2), s(40, 6, 297, 3)]);
    expect(f).to.deep.equal({ rtt: 30, jitter: 4, loss: 1, mos: mos(30, 4, 1) });
  });

  it('is all null with no samples', () => {
    expect(networkFigures([])).to.deep.equal({ rtt: null, jitter: null, loss: null, mos: null });
  });
});

describe('preflight measurements (real Chromium, no servers)', () => {
  it('gathers host candidates only when no ICE server is configured', async () => {
    expect(await gatherCandidates({ iceServers: [] })).to.deep.equal({ host: true, srflx: false, relay: false, turnRequired: false });
  });

  it('relayOnly forces relay: without a TURN server nothing gathers and the loop connects not', async () => {
    expect(relayOnly([])).to.deep.equal({ iceServers: [], iceTransportPolicy: 'relay' });
    expect(await gatherCandidates(relayOnly([]), 2000)).to.deep.equal({ host: false, srflx: false, relay: false, turnRequired: false });
    const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
    try {
      expect(await measureMediaLoop(relayOnly([]), mic.getAudioTracks()[0]!, { connectTimeoutMs: 1000 })).to.deep.equal({
        rtt: null,
        jitter: null,
        loss: null,
        mos: null,
      });
    } finally {
      mic.getTracks().forEach((t) => t.stop());
    }
  });

  it('measures a media loop between two local peer connections: RTT, jitter, no loss, a good MOS', async () => {
    const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
    try {
      const f = await measureMediaLoop({ iceServers: [] }, mic.getAudioTracks()[0]!, { durationMs: 1200, intervalMs: 300 });
      expect(f.rtt).to.be.a('number').and.below(100);
      expect(f.jitter).to.be.a('number').and.below(30);
      expect(f.loss).to.equal(0);
      expect(f.mos!).to.be.above(4);
    } finally {
      mic.getTracks().forEach((t) => t.stop());
    }
  });
});
