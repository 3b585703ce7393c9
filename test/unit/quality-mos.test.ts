import { expect } from '@open-wc/testing';
import { effectiveLatency, mos, mosFromR, rFactor } from '../../src/core/quality/mos.js';

// Each value worked by hand from the formula; MOS(R) = 1 + 0.035R + 7e-6·R(R−60)(100−R).
describe('mos (simplified E-model)', () => {
  it('a perfect line: Leff = 0 + 0 + 10 = 10 → R = 94.768 − 10/40 = 94.518 → MOS 4.4333', () => {
    // 0.035·94.518 = 3.30813; 94.518·34.518·5.482 = 17885.4 → ·7e-6 = 0.12520; 1 + 3.30813 + 0.12520 = 4.43333
    expect(effectiveLatency(0, 0)).to.equal(10);
    expect(rFactor(0, 0, 0)).to.be.closeTo(94.518, 1e-9);
    expect(mos(0, 0, 0)).to.be.closeTo(4.43333, 1e-4);
  });

  it('RTT 100 ms, jitter 20 ms, 1 % loss: Leff 150 → R 91.018 − 2.5 = 88.518 → MOS 4.3010', () => {
    // Leff = 100 + 40 + 10 = 150 (< 160): R = 94.768 − 3.75 = 91.018; loss: 91.018 − 2.5·1 = 88.518
    // 0.035·88.518 = 3.09813; 88.518·28.518·11.482 = 28984.7 → ·7e-6 = 0.20289; total 4.30102
    expect(rFactor(100, 20, 1)).to.be.closeTo(88.518, 1e-9);
    expect(mos(100, 20, 1)).to.be.closeTo(4.30102, 1e-4);
  });

  it('RTT 50 ms, jitter 5 ms, 5 % loss: Leff 70 → R 93.018 − 12.5 = 80.518 → MOS 4.0434', () => {
    // 0.035·80.518 = 2.81813; 80.518·20.518·19.482 = 32185.6 → ·7e-6 = 0.22530; total 4.04343
    expect(mos(50, 5, 5)).to.be.closeTo(4.04343, 1e-4);
  });

  it('at Leff = 160 the second branch applies (and meets the first): R = 94.768 − (160 − 120)/10 = 90.768 → MOS 4.3574', () => {
    // 0.035·90.768 = 3.17688; 90.768·30.768·9.232 = 25782.7 → ·7e-6 = 0.18048; total 4.35736
    expect(rFactor(150, 0, 0)).to.be.closeTo(90.768, 1e-9);
    expect(mos(150, 0, 0)).to.be.closeTo(4.35736, 1e-4);
  });

  it('the thresholds meet: RTT 400 ms and jitter 30 ms alone give R 59.768 → MOS 3.0880 (under low-mos 3.5)', () => {
    // Leff = 400 + 60 + 10 = 470: R = 94.768 − 35 = 59.768; 0.035·R = 2.09188; R(R−60)(100−R) = −557.9 → −0.00391; total 3.08797
    expect(mos(400, 30, 0)).to.be.closeTo(3.08797, 1e-4);
  });

  it('Leff ≥ 1000 gives R 0, floored to 6.52 → MOS 1.0000', () => {
    // MOS(6.52) = 1 + 0.2282 + 7e-6·6.52·(−53.48)·93.48 = 1 + 0.2282 − 0.22817 = 1.00003
    expect(rFactor(990, 0, 0)).to.equal(6.52);
    expect(mos(990, 0, 0)).to.be.closeTo(1.00003, 1e-4);
  });

  it('loss just under R/2.5 is floored at 6.52; loss over it gives R 0 → MOS 1', () => {
    // R = 94.518, R/2.5 = 37.807: 37 % → 94.518 − 92.5 = 2.018 → 6.52; 40 % > 37.807 → 0
    expect(rFactor(0, 0, 37)).to.equal(6.52);
    expect(rFactor(0, 0, 40)).to.equal(0);
    expect(mos(0, 0, 40)).to.equal(1);
    expect(mosFromR(0)).to.equal(1);
  });

  it('falls as any input worsens', () => {
    const base = mos(50, 5, 0)!;
    expect(mos(300, 5, 0)!).to.be.below(base);
    expect(mos(50, 60, 0)!).to.be.below(base);
    expect(mos(50, 5, 3)!).to.be.below(base);
  });

  it('gives null rather than a guess when an input is missing or not a number', () => {
    expect(mos(null, 0, 0)).to.equal(null);
    expect(mos(0, null, 0)).to.equal(null);
    expect(mos(0, 0, null)).to.equal(null);
    expect(mos(Number.NaN, 0, 0)).to.equal(null);
    expect(mos(0, -1, 0)).to.equal(null);
    expect(mos(0, 0, Infinity)).to.equal(null);
  });
});
