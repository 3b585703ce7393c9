/**
 * The warning engine: fed one sample a second, it raises a named warning
 * when enough recent samples cross its threshold and clears it when none
 * do, never sooner than CLEAR_HOLD_MS after raising it (no flapping).
 */
import type { QualitySample } from './stats-sample.js';
import { DEFAULT_THRESHOLDS, QUALITY_WARNING_NAMES, type QualityThresholds, type QualityWarningName } from './thresholds.js';

/** A warning's earliest clear, after it was raised, ms. */
export const CLEAR_HOLD_MS = 5000;
/** Samples of unchanging microphone level that make `constant-audio-input-level` (10 s at one a second). */
export const FLAT_LEVEL_SAMPLES = 10;

export interface QualityWarning {
  name: QualityWarningName;
  /** The latest sample's figure (ms, percent, MOS, bytes, level deviation, or the ICE state). */
  value: number | string | null;
  /** What it is compared with; null for `ice-connectivity-lost`, which is a state. */
  threshold: number | null;
}

interface Reading {
  value: number | string | null;
  crosses: boolean;
}

interface Rule {
  /** Raised when `raiseAt` of the last `window` samples cross. */
  window: number;
  raiseAt: number;
  threshold: (t: QualityThresholds) => number | null;
  /** Reads the newest sample (history is oldest first and includes it). */
  read: (history: readonly QualitySample[], t: QualityThresholds) => Reading;
}

const above = (v: number | null, limit: number): Reading => ({ value: v, crosses: v !== null && v > limit });

function standardDeviation(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

const last = (h: readonly QualitySample[]) => h[h.length - 1]!;

/** One row per warning name. */
const RULES: Record<QualityWarningName, Rule> = {
  'high-rtt': { window: 5, raiseAt: 3, threshold: (t) => t.rtt, read: (h, t) => above(last(h).rtt, t.rtt) },
  'high-jitter': { window: 5, raiseAt: 3, threshold: (t) => t.jitter, read: (h, t) => above(last(h).jitter, t.jitter) },
  'high-packet-loss': { window: 5, raiseAt: 3, threshold: (t) => t.packetLoss, read: (h, t) => above(last(h).packetLoss, t.packetLoss) },
  'low-mos': {
    window: 5,
    raiseAt: 3,
    threshold: (t) => t.mos,
    read: (h, t) => ({ value: last(h).mos, crosses: last(h).mos !== null && last(h).mos! < t.mos }),
  },
  // Silence is expected on hold, either way.
  'low-bytes-received': {
    window: 3,
    raiseAt: 3,
    threshold: () => 0,
    read: (h) => ({ value: last(h).bytesReceived, crosses: !last(h).held && last(h).bytesReceived === 0 }),
  },
  'low-bytes-sent': {
    window: 3,
    raiseAt: 3,
    threshold: () => 0,
    read: (h) => ({ value: last(h).bytesSent, crosses: !last(h).held && last(h).bytesSent === 0 }),
  },
  // The sample itself looks back 10 s, so one is enough; a muted or held moment in that span voids it.
  'constant-audio-input-level': {
    window: 1,
    raiseAt: 1,
    threshold: (t) => t.audioLevelDeviation,
    read: (h, t) => {
      const span = h.slice(-FLAT_LEVEL_SAMPLES);
      if (span.length < FLAT_LEVEL_SAMPLES || span.some((s) => s.muted || s.held || s.audioInputLevel === null)) return { value: null, crosses: false };
      const deviation = standardDeviation(span.map((s) => s.audioInputLevel!));
      return { value: deviation, crosses: deviation < t.audioLevelDeviation };
    },
  },
  'ice-connectivity-lost': {
    window: 5,
    raiseAt: 3,
    threshold: () => null,
    read: (h) => ({ value: last(h).iceState, crosses: last(h).iceState === 'disconnected' || last(h).iceState === 'failed' }),
  },
};

const HISTORY = Math.max(FLAT_LEVEL_SAMPLES, ...Object.values(RULES).map((r) => r.window));

/** The last `n` items once `item` is added. */
function keepLast<T>(items: readonly T[], item: T, n: number): T[] {
  return [...items, item].slice(-n);
}

export interface WarningHooks {
  raise(warning: QualityWarning): void;
  clear(warning: QualityWarning): void;
}

export class QualityWarnings {
  private history: QualitySample[] = [];
  private readonly crossings = new Map<QualityWarningName, boolean[]>();
  /** Raised warnings and when (sample time). */
  private readonly raised = new Map<QualityWarningName, number>();

  constructor(
    private readonly hooks: WarningHooks,
    private readonly thresholds: QualityThresholds = DEFAULT_THRESHOLDS,
  ) {}

  /** The warnings now raised. */
  get active(): QualityWarningName[] {
    return [...this.raised.keys()];
  }

  add(sample: QualitySample): void {
    this.history = keepLast(this.history, sample, HISTORY);
    for (const name of QUALITY_WARNING_NAMES) {
      const rule = RULES[name];
      const reading = rule.read(this.history, this.thresholds);
      const recent = keepLast(this.crossings.get(name) ?? [], reading.crosses, rule.window);
      this.crossings.set(name, recent);
      const warning = { name, value: reading.value, threshold: rule.threshold(this.thresholds) };
      const since = this.raised.get(name);
      if (since === undefined) {
        if (recent.filter(Boolean).length >= rule.raiseAt) {
          this.raised.set(name, sample.timestamp);
          this.hooks.raise(warning);
        }
      } else if (!recent.some(Boolean) && sample.timestamp - since >= CLEAR_HOLD_MS) {
        this.raised.delete(name);
        this.hooks.clear(warning);
      }
    }
  }
}
