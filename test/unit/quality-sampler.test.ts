import { expect } from '@open-wc/testing';
import { QualitySampler, type SamplerClock } from '../../src/core/quality/sampler.js';
import type { QualitySample } from '../../src/core/quality/stats-sample.js';
import type { QualityWarning } from '../../src/core/quality/warnings.js';
import { chromiumStats, type StatsFigures } from './fixtures/chromium-stats.js';

/** A clock whose interval runs only when the test says. */
function manualClock() {
  let now = 0;
  let fn: (() => void) | null = null;
  const clock: SamplerClock = {
    now: () => now,
    setInterval: (f) => ((fn = f), 1),
    clearInterval: () => (fn = null),
  };
  return { clock, armed: () => fn !== null, advance: (ms: number) => (now += ms) };
}

/** A peer connection that answers getStats() with a Chromium-shaped report of the figures the test sets. */
function fakePeer(figures: () => StatsFigures) {
  return { connectionState: 'connected', iceConnectionState: 'connected', getStats: async () => chromiumStats(figures()) } as unknown as RTCPeerConnection;
}

describe('QualitySampler (driven by hand)', () => {
  it('samples, raises through the engine and records the warning in the call summary', async () => {
    const { clock, armed, advance } = manualClock();
    let received = 0;
    const raised: QualityWarning[] = [];
    const pc = fakePeer(() => ({ bytesSent: 1000 * clock.now(), bytesReceived: received, packetsReceived: 50, pairRtt: 0.5 }));
    const sampler = new QualitySampler({ peerConnection: () => pc, held: () => false, muted: () => false }, { raise: (w) => raised.push(w) }, { clock });
    sampler.start();
    expect(armed()).to.equal(true);
    for (let i = 0; i < 3; i++) {
      advance(1000);
      received += 1000;
      await sampler.tick();
    }
    expect(sampler.latest!.rtt).to.equal(500);
    expect(sampler.latest!.bytesSent).to.equal(1_000_000);
    // RTT 500 ms alone brings MOS under 3.5 as well: Leff 514 → R 55.37 → MOS 2.86.
    expect(raised.map((w) => [w.name, w.threshold])).to.deep.equal([
      ['high-rtt', 400],
      ['low-mos', 3.5],
    ]);
    expect(raised[0]!.value).to.equal(500);
    expect(sampler.summary.result()!.warnings).to.deep.equal(['high-rtt', 'low-mos']);
    sampler.stop();
    expect(armed()).to.equal(false);
  });

  it('reads held from the call: a held call with no bytes raises nothing', async () => {
    const { clock, advance } = manualClock();
    const raised: string[] = [];
    const pc = fakePeer(() => ({ pairRtt: 0.02 }));
    const sampler = new QualitySampler({ peerConnection: () => pc, held: () => true, muted: () => false }, { raise: (w) => raised.push(w.name) }, { clock });
    for (let i = 0; i < 5; i++) {
      advance(1000);
      await sampler.tick();
    }
    expect(sampler.latest!.held).to.equal(true);
    expect(raised).to.deep.equal([]);
  });

  it('takes no sample without a peer connection, and drops one that answers after stop()', async () => {
    const { clock } = manualClock();
    let pc: RTCPeerConnection | null = null;
    const seen: QualitySample[] = [];
    const sampler = new QualitySampler({ peerConnection: () => pc, held: () => false, muted: () => false }, { sample: (s) => seen.push(s) }, { clock });
    expect(await sampler.tick()).to.equal(null);
    pc = fakePeer(() => ({}));
    sampler.start();
    const late = sampler.tick();
    sampler.stop();
    expect(await late).to.equal(null);
    expect(seen).to.deep.equal([]);
    expect(sampler.summary.result()).to.equal(null);
  });
});

/** Two peer connections in this page, the fake microphone's beep flowing one way and back. */
async function loopback(): Promise<{ a: RTCPeerConnection; b: RTCPeerConnection; close: () => void }> {
  const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && void b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && void a.addIceCandidate(e.candidate);
  a.addTrack(mic.getAudioTracks()[0]!, mic);
  b.addTrack(mic.getAudioTracks()[0]!.clone());
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  return {
    a,
    b,
    close: () => {
      a.close();
      b.close();
      mic.getTracks().forEach((t) => t.stop());
    },
  };
}

describe('QualitySampler (real Chromium, two local peer connections)', () => {
  it('gives samples with rising bytes, a codec, host candidates and a good MOS', async () => {
    const { a, close } = await loopback();
    const samples: QualitySample[] = [];
    const sampler = new QualitySampler(
      { peerConnection: () => a, held: () => false, muted: () => false },
      { sample: (s) => samples.push(s) },
      { intervalMs: 300 },
    );
    try {
      sampler.start();
      const deadline = Date.now() + 8000;
      while (Date.now() < deadline && !(samples.length >= 4 && samples.at(-1)!.mos !== null && samples.at(-1)!.totals.bytesReceived > 0)) {
        await new Promise((r) => setTimeout(r, 100));
      }
      sampler.stop();
      const last = samples.at(-1)!;
      const sent = samples.map((s) => s.totals.bytesSent);
      expect(sent.at(-1)!).to.be.above(sent[0]!);
      expect(last.bytesSent).to.be.above(0);
      expect(last.bitrate!.send).to.be.above(0);
      expect(last.codec).to.equal('audio/opus');
      expect(last.localCandidateType).to.equal('host');
      expect(last.rtt).to.be.a('number');
      expect(last.mos!).to.be.above(4);
      expect(last.packetLoss).to.equal(0);
      expect(sampler.latest).to.equal(last);
      expect(sampler.summary.result()!.mosMin!).to.be.above(4);
    } finally {
      sampler.stop();
      close();
    }
  });
});
