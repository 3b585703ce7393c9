/**
 * Mean opinion score from the simplified ITU-T G.107 E-model (the one
 * Twilio's Voice SDK uses), so our MOS reads like theirs:
 *
 *   Leff = RTT + 2·jitter + 10 ms
 *   R    = 94.768 − Leff/40            if Leff < 160
 *          94.768 − (Leff − 120)/10    if Leff < 1000
 *          0                           otherwise
 *   R    = R − 2.5·loss%   (floor 6.52; 0 when loss% > R/2.5)
 *   MOS  = 1 + 0.035·R + 7·10⁻⁶·R·(R − 60)·(100 − R)
 *
 * 6.52 is where the cubic gives MOS 1, so the floor keeps MOS ≥ 1.
 */

/** The R floor: MOS(6.52) = 1. */
export const R_FLOOR = 6.52;

/** Effective latency in ms: round trip plus twice the jitter plus 10 ms for the codec. */
export function effectiveLatency(rttMs: number, jitterMs: number): number {
  return rttMs + 2 * jitterMs + 10;
}

/** The transmission rating R for a round trip and jitter (ms) and a packet loss (percent). */
export function rFactor(rttMs: number, jitterMs: number, lossPercent: number): number {
  const leff = effectiveLatency(rttMs, jitterMs);
  const r = leff < 160 ? 94.768 - leff / 40 : leff < 1000 ? 94.768 - (leff - 120) / 10 : 0;
  if (lossPercent > r / 2.5) return 0;
  return Math.max(R_FLOOR, r - 2.5 * lossPercent);
}

/** MOS (1 to about 4.4) from an R rating. */
export function mosFromR(r: number): number {
  return 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r);
}

/**
 * MOS for a round trip and jitter in ms and a loss in percent, or null when an
 * input is missing or not a finite non-negative number (no guess at a score).
 */
export function mos(rttMs: number | null, jitterMs: number | null, lossPercent: number | null): number | null {
  for (const v of [rttMs, jitterMs, lossPercent]) if (v === null || !Number.isFinite(v) || v < 0) return null;
  return mosFromR(rFactor(rttMs!, jitterMs!, lossPercent!));
}
