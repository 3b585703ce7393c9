import type { PreflightReport } from '../core/quality/preflight.js';
import type { PreflightOptions, PreflightSetup } from '../core/quality/preflight-run.js';
import { loadChunk } from '../shared/lazy-chunks.js';

/**
 * `runPreflight` on the element: in this page the `preflight` chunk runs it
 * and fires its events on the element; in dialog mode (`popup` gives the
 * command) the popup runs it and its events come back relayed. One test at a
 * time: a second call gets the first's report.
 */
export class PreflightRunner {
  private running: Promise<PreflightReport> | null = null;

  constructor(
    private readonly element: HTMLElement,
    private readonly setup: () => PreflightSetup,
    private readonly popup: () => (() => boolean) | null,
  ) {}

  run(options?: PreflightOptions): Promise<PreflightReport> {
    const command = this.popup();
    this.running ??= (command ? this.viaPopup(command) : loadChunk('preflight').then((m) => m.runPreflightOn(this.element, this.setup(), options))).finally(
      () => (this.running = null),
    );
    return this.running;
  }

  private viaPopup(command: () => boolean): Promise<PreflightReport> {
    return new Promise((resolve, reject) => {
      const done = (e: Event) => resolve((e as CustomEvent<PreflightReport>).detail);
      this.element.addEventListener('preflight-complete', done, { once: true });
      if (command()) return;
      this.element.removeEventListener('preflight-complete', done);
      reject(new Error('no popup is open to run the test in'));
    });
  }
}
