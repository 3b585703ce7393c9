import { html, nothing } from 'lit';
import type { PreflightProblem, PreflightReport } from '../../core/quality/preflight.js';
import { fill, type Strings } from '../strings.js';

/** The settings' "Test my setup": where it stands. */
export type PreflightView = { running: true } | { running: false; report: PreflightReport | null; problems: readonly PreflightProblem[]; failed?: string };

/** "Test my setup" and, once run, its report in plain words (a status region: screen readers hear it). */
export function renderPreflight(view: PreflightView, t: Strings, run: () => void) {
  const report = view.running ? null : view.report;
  const n = report?.network;
  return html`<button part="test-setup" class="text-button" ?disabled=${view.running} @click=${run}>${t.testSetup}</button>
    <div part="preflight" class="note" role="status">
      ${view.running ? t.testingSetup : view.failed}
      ${
        report && !view.running
          ? html`<p data-verdict=${report.verdict}><strong>${t.preflightVerdict[report.verdict]}</strong></p>
            ${view.problems.map((p) => html`<p>${t.preflightProblem[p]}</p>`)}
            ${n?.mos != null ? html`<p>${fill(t.preflightNetwork, { rtt: Math.round(n.rtt ?? 0), loss: (n.loss ?? 0).toFixed(1), mos: n.mos.toFixed(1) })}</p>` : nothing}`
          : nothing
      }
    </div>`;
}
