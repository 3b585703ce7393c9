import { loadChunk } from '../../shared/lazy-chunks.js';
import type { QualitySampler, SamplerHooks, SamplerOptions, SamplerSource } from './sampler.js';
import type { QualitySample } from './stats-sample.js';
import type { CallQuality } from './summary.js';

/**
 * The call-quality sampler from the main file: the sampler itself (stats,
 * warnings, summary, MOS) is the `quality` lazy chunk, fetched when a call is
 * made (this object's construction), so it is here by the time the call
 * connects and `start()` asks for it; a start that comes first runs once it
 * arrives. A page that never calls never downloads it.
 */
export class LazyQualitySampler {
  private real: QualitySampler | null = null;
  private started = false;
  private stopped = false;

  constructor(source: SamplerSource, hooks: SamplerHooks, options: SamplerOptions) {
    loadChunk('quality').then(
      ({ QualitySampler }) => {
        this.real = new QualitySampler(source, hooks, options);
        if (this.started && !this.stopped) this.real.start();
      },
      // Without its chunk a call goes on unsampled: no warnings, getCallStats() null.
      () => undefined,
    );
  }

  /** The newest sample, or null before the first (or before the chunk). */
  get latest(): QualitySample | null {
    return this.real?.latest ?? null;
  }

  start(): void {
    this.started = true;
    if (!this.stopped) this.real?.start();
  }

  stop(): void {
    this.stopped = true;
    this.real?.stop();
  }

  /** The call's summary; null when it was never sampled. */
  summaryResult(): CallQuality | null {
    return this.real?.summary.result() ?? null;
  }
}
