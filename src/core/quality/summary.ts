/** The call's quality in one line, for `call-ended`'s `quality` and the call history. */
import type { QualitySample } from './stats-sample.js';
import type { QualityWarningName } from './thresholds.js';

export interface CallQuality {
  /** Mean MOS over the samples that had one (two decimals), null if none did. */
  mosAverage: number | null;
  mosMin: number | null;
  /** Every warning raised during the call, in the order first raised. */
  warnings: QualityWarningName[];
}

export class QualitySummary {
  private samples = 0;
  private mosSum = 0;
  private mosCount = 0;
  private mosMin = Infinity;
  private readonly warnings = new Set<QualityWarningName>();

  add(sample: QualitySample): void {
    this.samples++;
    if (sample.mos === null) return;
    this.mosSum += sample.mos;
    this.mosCount++;
    this.mosMin = Math.min(this.mosMin, sample.mos);
  }

  warned(name: QualityWarningName): void {
    this.warnings.add(name);
  }

  /** null when the call never had a sample (it ended before media flowed). */
  result(): CallQuality | null {
    if (this.samples === 0) return null;
    const round = (v: number) => Math.round(v * 100) / 100;
    return {
      mosAverage: this.mosCount ? round(this.mosSum / this.mosCount) : null,
      mosMin: this.mosCount ? round(this.mosMin) : null,
      warnings: [...this.warnings],
    };
  }
}
