/**
 * Samples a call's getStats() once a second while it runs, feeds each
 * sample to the warning engine and the call's summary, and keeps the latest
 * for `getCallStats(id)`.
 */
import { toSample, type QualitySample } from './stats-sample.js';
import { QualitySummary } from './summary.js';
import { DEFAULT_THRESHOLDS, type QualityThresholds } from './thresholds.js';
import { QualityWarnings, type QualityWarning } from './warnings.js';

export const SAMPLE_INTERVAL_MS = 1000;

/** What the sampler reads from the call, each time it samples. */
export interface SamplerSource {
  /** The call's peer connection, or null before media is set up. */
  peerConnection(): RTCPeerConnection | null;
  held(): boolean;
  muted(): boolean;
}

export interface SamplerHooks {
  sample?(sample: QualitySample): void;
  raise?(warning: QualityWarning): void;
  clear?(warning: QualityWarning): void;
}

/** Time and timers, replaceable so a test can drive the sampler by hand. */
export interface SamplerClock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realClock: SamplerClock = {
  now: () => performance.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
};

export interface SamplerOptions {
  thresholds?: QualityThresholds;
  clock?: SamplerClock;
  intervalMs?: number;
}

export class QualitySampler {
  readonly summary = new QualitySummary();
  private readonly warnings: QualityWarnings;
  private readonly clock: SamplerClock;
  private readonly intervalMs: number;
  private timer: unknown = null;
  private latestSample: QualitySample | null = null;
  /** A getStats() is under way: a slow browser skips a tick rather than piling them up. */
  private busy = false;
  /** Bumped by stop(), so a getStats() that answers late is dropped. */
  private run = 0;

  constructor(
    private readonly source: SamplerSource,
    private readonly hooks: SamplerHooks = {},
    options: SamplerOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.intervalMs = options.intervalMs ?? SAMPLE_INTERVAL_MS;
    this.warnings = new QualityWarnings(
      {
        raise: (w) => {
          this.summary.warned(w.name);
          this.hooks.raise?.(w);
        },
        clear: (w) => this.hooks.clear?.(w),
      },
      options.thresholds ?? DEFAULT_THRESHOLDS,
    );
  }

  /** The newest sample, or null before the first. */
  get latest(): QualitySample | null {
    return this.latestSample;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** The warnings now raised. */
  get activeWarnings(): QualityWarning['name'][] {
    return this.warnings.active;
  }

  start(): void {
    if (this.timer !== null) return;
    this.timer = this.clock.setInterval(() => void this.tick(), this.intervalMs);
  }

  /** Stops sampling; raised warnings are left as they are (the call is over or going). */
  stop(): void {
    if (this.timer === null) return;
    this.clock.clearInterval(this.timer);
    this.timer = null;
    this.run++;
  }

  /** Takes one sample now (the timer calls this); resolves with it, or null when there was nothing to read. */
  async tick(): Promise<QualitySample | null> {
    const pc = this.source.peerConnection();
    if (this.busy || !pc || pc.connectionState === 'closed') return null;
    const run = this.run;
    this.busy = true;
    let report: RTCStatsReport;
    try {
      report = await pc.getStats();
    } catch {
      // Closed between the check and the call: nothing to sample.
      return null;
    } finally {
      this.busy = false;
    }
    if (run !== this.run) return null;
    const sample = toSample(report, this.latestSample, {
      timestamp: this.clock.now(),
      held: this.source.held(),
      muted: this.source.muted(),
      iceState: pc.iceConnectionState,
    });
    this.latestSample = sample;
    this.summary.add(sample);
    this.hooks.sample?.(sample);
    this.warnings.add(sample);
    return sample;
  }
}
