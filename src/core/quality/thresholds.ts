/**
 * Quality warning names and the thresholds a host may change through
 * `qualityThresholds`. Names and defaults are Twilio Voice SDK's, so
 * integrators recognise them.
 */
import type { ErrorCode } from '../types.js';

export const QUALITY_WARNING_NAMES = [
  'high-rtt',
  'high-jitter',
  'high-packet-loss',
  'low-mos',
  'low-bytes-received',
  'low-bytes-sent',
  'constant-audio-input-level',
  'ice-connectivity-lost',
] as const;

export type QualityWarningName = (typeof QUALITY_WARNING_NAMES)[number];

export interface QualityThresholds {
  /** Round trip above which `high-rtt` counts, ms. */
  rtt: number;
  /** Jitter above which `high-jitter` counts, ms. */
  jitter: number;
  /** Loss in one sample above which `high-packet-loss` counts, percent. */
  packetLoss: number;
  /** MOS below which `low-mos` counts. */
  mos: number;
  /** Standard deviation of the microphone level (0–1) over 10 s below which it is "flat". */
  audioLevelDeviation: number;
}

/** Each threshold: its default and the values it accepts (inclusive). */
const LIMITS: { [K in keyof QualityThresholds]: { default: number; min: number; max: number } } = {
  rtt: { default: 400, min: 1, max: 60_000 },
  jitter: { default: 30, min: 1, max: 10_000 },
  packetLoss: { default: 1, min: 0, max: 100 },
  mos: { default: 3.5, min: 1, max: 5 },
  // Twilio's 327.67 on a 16-bit scale: 1 % of full scale.
  audioLevelDeviation: { default: 0.01, min: 0, max: 1 },
};

export const DEFAULT_THRESHOLDS: Readonly<QualityThresholds> = Object.freeze({
  rtt: LIMITS.rtt.default,
  jitter: LIMITS.jitter.default,
  packetLoss: LIMITS.packetLoss.default,
  mos: LIMITS.mos.default,
  audioLevelDeviation: LIMITS.audioLevelDeviation.default,
});

/** A `qualityThresholds` value the phone refuses: an unknown key or a value out of range. */
export class QualityThresholdsError extends Error {
  override name = 'QualityThresholdsError';
  readonly code: Extract<ErrorCode, 'invalid-attribute'> = 'invalid-attribute';
}

/**
 * Checks a partial thresholds object and returns the full set (defaults for
 * the keys left out). null or undefined gives the defaults.
 */
export function resolveThresholds(input: unknown): QualityThresholds {
  if (input === null || input === undefined) return { ...DEFAULT_THRESHOLDS };
  if (typeof input !== 'object' || Array.isArray(input)) throw new QualityThresholdsError('qualityThresholds must be an object');
  const out: QualityThresholds = { ...DEFAULT_THRESHOLDS };
  for (const [key, value] of Object.entries(input)) {
    if (!Object.prototype.hasOwnProperty.call(LIMITS, key)) {
      throw new QualityThresholdsError(`qualityThresholds has no "${key.slice(0, 40)}" (known: ${Object.keys(LIMITS).join(', ')})`);
    }
    const { min, max } = LIMITS[key as keyof QualityThresholds];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new QualityThresholdsError(`qualityThresholds.${key} must be a number from ${min} to ${max}`);
    }
    out[key as keyof QualityThresholds] = value;
  }
  return out;
}
