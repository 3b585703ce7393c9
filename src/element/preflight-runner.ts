import type { Phone } from '../core/phone.js';
import type { PreflightReport } from '../core/quality/preflight.js';
import type { PreflightOptions } from '../core/quality/preflight-run.js';
import { loadChunk } from '../shared/lazy-chunks.js';

export interface PreflightHost {
  readonly element: HTMLElement;
  phone(): Phone;
  /** Dialog mode: the popup runs the test (false: no popup to run it); null in spa mode. */
  popup(): (() => boolean) | null;
}

/**
 * `runPreflight` on the element: in this page, the `preflight` chunk is
 * loaded and its steps fired as `preflight-progress`, its report as
 * `preflight-complete`; in dialog mode the popup runs it and those events
 * come back relayed. One test at a time: a second call gets the first's report.
 */
export class PreflightRunner {
  private running: Promise<PreflightReport> | null = null;

  constructor(private readonly host: PreflightHost) {}

  run(options?: PreflightOptions): Promise<PreflightReport> {
    if (this.running) return this.running;
    const popup = this.host.popup();
    const run = popup ? this.viaPopup(popup) : this.here(options);
    this.running = run.finally(() => (this.running = null));
    return this.running;
  }

  private async here(options?: PreflightOptions): Promise<PreflightReport> {
    const { runPreflight } = await loadChunk('preflight');
    const report = await runPreflight(this.host.phone().preflightSetup, options, (p) => this.fire('preflight-progress', p));
    this.fire('preflight-complete', report);
    return report;
  }

  private viaPopup(command: () => boolean): Promise<PreflightReport> {
    return new Promise((resolve, reject) => {
      const el = this.host.element;
      const done = (e: Event) => resolve((e as CustomEvent<PreflightReport>).detail);
      el.addEventListener('preflight-complete', done, { once: true });
      if (!command()) {
        el.removeEventListener('preflight-complete', done);
        reject(new Error('no popup is open to run the test in (open the phone first)'));
      }
    });
  }

  private fire(type: string, detail: unknown): void {
    this.host.element.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}
