import { expect } from '@open-wc/testing';
import type { QualitySample } from '../../src/core/quality/stats-sample.js';
import { QualitySummary } from '../../src/core/quality/summary.js';
import { DEFAULT_THRESHOLDS, QUALITY_WARNING_NAMES, QualityThresholdsError, resolveThresholds } from '../../src/core/quality/thresholds.js';
import { type QualityWarning, QualityWarnings } from '../../src/core/quality/warnings.js';

/** A healthy sample at second `t`, with the given figures changed. */
function sample(t: number, figures: Partial<QualitySample> = {}): QualitySample {
  return {
    timestamp: t * 1000,
    rtt: 50,
    jitter: 5,
    packetLoss: 0,
    bytesSent: 8000,
    bytesReceived: 8000,
    bitrate: { send: 64, receive: 64 },
    codec: 'audio/opus',
    // Varies, as a live microphone does.
    audioInputLevel: 0.1 + 0.1 * (t % 3),
    audioOutputLevel: 0.1,
    localCandidateType: 'host',
    remoteCandidateType: 'host',
    iceState: 'connected',
    mos: 4.4,
    totals: { bytesSent: 0, bytesReceived: 0, packetsReceived: 0, packetsLost: 0 },
    held: false,
    muted: false,
    ...figures,
  };
}

function engine(thresholds = DEFAULT_THRESHOLDS) {
  const log: string[] = [];
  const raised: QualityWarning[] = [];
  const w = new QualityWarnings(
    {
      raise: (x) => {
        raised.push(x);
        log.push(`+${x.name}`);
      },
      clear: (x) => log.push(`-${x.name}`),
    },
    thresholds,
  );
  return { w, log, raised };
}

describe('QualityWarnings', () => {
  it('raises when 3 of the last 5 samples cross, not on 2, and not on 3 spread over more than 5', () => {
    const { w, log } = engine();
    const high = { rtt: 500 };
    // crossing pattern X . X . . . X . X : never 3 within any 5
    [high, {}, high, {}, {}, {}, high, {}, high].forEach((f, t) => w.add(sample(t, f)));
    expect(log).to.deep.equal([]);
    // X . X . X within five: raised on the third.
    w.add(sample(9, {}));
    w.add(sample(10, high));
    expect(log).to.deep.equal(['+high-rtt']);
  });

  it('clears only when none of the window crosses and at least 5 s after raising', () => {
    const { w, log } = engine();
    [0, 1, 2].forEach((t) => w.add(sample(t, { bytesReceived: 0 })));
    expect(log).to.deep.equal(['+low-bytes-received']); // raised at 2 s
    // 3 s, 4 s, 5 s clean: the 3-sample window is clear, but only 3 s have passed.
    [3, 4, 5].forEach((t) => w.add(sample(t)));
    expect(log).to.deep.equal(['+low-bytes-received']);
    w.add(sample(6));
    expect(log).to.deep.equal(['+low-bytes-received']);
    w.add(sample(7)); // 7 − 2 = 5 s
    expect(log).to.deep.equal(['+low-bytes-received', '-low-bytes-received']);
  });

  it('keeps a warning while any sample in the window still crosses', () => {
    const { w, log } = engine();
    [0, 1, 2].forEach((t) => w.add(sample(t, { packetLoss: 5 })));
    expect(log).to.deep.equal(['+high-packet-loss']);
    [3, 4, 5, 6].forEach((t) => w.add(sample(t)));
    w.add(sample(7, { packetLoss: 2 }));
    [8, 9, 10, 11].forEach((t) => w.add(sample(t)));
    expect(log).to.deep.equal(['+high-packet-loss']);
    w.add(sample(12)); // five clean since 7 s
    expect(log).to.deep.equal(['+high-packet-loss', '-high-packet-loss']);
  });

  it('raises no low-bytes while the call is held', () => {
    const { w, log } = engine();
    for (let t = 0; t < 8; t++) w.add(sample(t, { bytesReceived: 0, bytesSent: 0, held: true, audioInputLevel: 0 }));
    expect(log).to.deep.equal([]);
  });

  it('needs 3 of 3 for low-bytes: a byte in between resets it', () => {
    const { w, log } = engine();
    [{ bytesSent: 0 }, { bytesSent: 0 }, {}, { bytesSent: 0 }, { bytesSent: 0 }].forEach((f, t) => w.add(sample(t, f)));
    expect(log).to.deep.equal([]);
    w.add(sample(5, { bytesSent: 0 }));
    expect(log).to.deep.equal(['+low-bytes-sent']);
  });

  // Each name, with figures that cross it, and what the raise carries.
  const crossing: Record<string, { figures: Partial<QualitySample>; value: number | string; threshold: number | null }> = {
    'high-rtt': { figures: { rtt: 450 }, value: 450, threshold: 400 },
    'high-jitter': { figures: { jitter: 31 }, value: 31, threshold: 30 },
    'high-packet-loss': { figures: { packetLoss: 1.5 }, value: 1.5, threshold: 1 },
    'low-mos': { figures: { mos: 3.2 }, value: 3.2, threshold: 3.5 },
    'low-bytes-received': { figures: { bytesReceived: 0 }, value: 0, threshold: 0 },
    'low-bytes-sent': { figures: { bytesSent: 0 }, value: 0, threshold: 0 },
    'constant-audio-input-level': { figures: { audioInputLevel: 0.3 }, value: 0, threshold: 0.01 },
    'ice-connectivity-lost': { figures: { iceState: 'disconnected' }, value: 'disconnected', threshold: null },
  };
  for (const name of QUALITY_WARNING_NAMES) {
    it(`raises ${name} with {name, value, threshold}, and nothing else`, () => {
      const { w, raised } = engine();
      for (let t = 0; t < 10; t++) w.add(sample(t, crossing[name]!.figures));
      expect(raised.map((x) => x.name)).to.deep.equal([name]);
      expect(raised[0]!.threshold).to.equal(crossing[name]!.threshold);
      const { value } = crossing[name]!;
      if (typeof value === 'number') expect(raised[0]!.value as number).to.be.closeTo(value, 1e-9);
      else expect(raised[0]!.value).to.equal(value);
    });
  }

  it('constant-audio-input-level needs the full 10 s unmuted: 9 flat samples, or a muted one among 10, raise nothing', () => {
    const a = engine();
    for (let t = 0; t < 9; t++) a.w.add(sample(t, { audioInputLevel: 0 }));
    expect(a.log).to.deep.equal([]);
    const b = engine();
    for (let t = 0; t < 12; t++) b.w.add(sample(t, { audioInputLevel: 0, muted: t % 5 === 0 }));
    expect(b.log).to.deep.equal([]);
    const c = engine();
    for (let t = 0; t < 10; t++) c.w.add(sample(t, { audioInputLevel: 0 }));
    expect(c.log).to.deep.equal(['+constant-audio-input-level']);
  });

  it('uses the thresholds it is given', () => {
    const { w, log } = engine(resolveThresholds({ rtt: 100, mos: 4.5 }));
    for (let t = 0; t < 3; t++) w.add(sample(t, { rtt: 150 }));
    expect(log).to.deep.equal(['+high-rtt', '+low-mos']);
  });
});

describe('resolveThresholds (the qualityThresholds property)', () => {
  it('fills in the defaults: Twilio’s 400 ms, 30 ms, 1 %, MOS 3.5', () => {
    expect(resolveThresholds(undefined)).to.deep.equal({ rtt: 400, jitter: 30, packetLoss: 1, mos: 3.5, audioLevelDeviation: 0.01 });
    expect(resolveThresholds({ jitter: 50 })).to.deep.equal({ ...DEFAULT_THRESHOLDS, jitter: 50 });
  });

  it('refuses unknown keys, out-of-range or non-numeric values and non-objects, with a typed error', () => {
    for (const bad of [{ rtts: 1 }, { rtt: 0 }, { rtt: '400' }, { packetLoss: 101 }, { mos: 6 }, { jitter: NaN }, { audioLevelDeviation: -1 }, [], 'x', 3]) {
      let error: unknown;
      try {
        resolveThresholds(bad);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(bad)).to.be.instanceOf(QualityThresholdsError);
      expect((error as QualityThresholdsError).code).to.equal('invalid-attribute');
    }
    expect(() => resolveThresholds({ __proto__: { rtt: 1 }, toString: 1 })).to.throw(QualityThresholdsError, /no "toString"/);
  });
});

describe('QualitySummary (call-ended quality)', () => {
  it('is null when the call had no sample', () => {
    expect(new QualitySummary().result()).to.equal(null);
  });

  it('gives the mean and lowest MOS and the warnings raised', () => {
    const s = new QualitySummary();
    s.add(sample(0, { mos: null }));
    s.add(sample(1, { mos: 4.4 }));
    s.add(sample(2, { mos: 3.0 }));
    s.add(sample(3, { mos: 4.1 }));
    s.warned('high-rtt');
    s.warned('low-mos');
    s.warned('high-rtt');
    // (4.4 + 3.0 + 4.1) / 3 = 3.8333 → 3.83
    expect(s.result()).to.deep.equal({ mosAverage: 3.83, mosMin: 3, warnings: ['high-rtt', 'low-mos'] });
  });

  it('has null MOS figures when no sample carried one', () => {
    const s = new QualitySummary();
    s.add(sample(0, { mos: null }));
    expect(s.result()).to.deep.equal({ mosAverage: null, mosMin: null, warnings: [] });
  });
});
