import { html, nothing } from 'lit';
import { preflightProblems, type PreflightReport } from '../../core/quality/preflight.js';
import { fill, type Strings } from '../strings.js';

/** The settings' "Test my setup": where it stands. */
export type PreflightView = { running: true } | { running: false; report: PreflightReport | null; failed?: string };

/** The problems the report shows (the report carries figures, not reasons). */
function problemsOf(report: PreflightReport) {
  return preflightProblems({
    ...report,
    microphoneDenied: report.verdict === 'permission-denied',
    turnConfigured: report.ice.relay,
  });
}

/** "Test my setup" and, once run, its report in plain words (announced: a status region). */
export function renderPreflight(view: PreflightView, t: Strings, run: () => void) {
  const report = view.running ? null : view.report;
  const n = report?.network;
  return html`<button part="test-setup" class="text-button" ?disabled=${view.running} @click=${run}>${t.testSetup}</button>
    <div part="preflight" class="note" role="status">
      ${view.running ? t.testingSetup : nothing}
      ${!view.running && view.failed ? view.failed : nothing}
      ${
        report
          ? html`<p data-verdict=${report.verdict}><strong>${t.preflightVerdict[report.verdict]}</strong></p>
            ${problemsOf(report).map((p) => html`<p>${t.preflightProblem[p]}</p>`)}
            ${
              n && n.mos !== null
                ? html`<p>${fill(t.preflightNetwork, { rtt: Math.round(n.rtt ?? 0), loss: (n.loss ?? 0).toFixed(1), mos: n.mos.toFixed(1) })}</p>`
                : nothing
            }`
          : nothing
      }
    </div>`;
}
