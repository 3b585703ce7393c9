import { html, nothing, svg } from 'lit';
import type { QualityWarningName } from '../../core/quality/thresholds.js';
import type { Strings } from '../strings.js';

/** Three bars: all lit on a good line, one on a poor one. */
const bars = (lit: number) =>
  svg`<svg viewBox="0 0 12 12" aria-hidden="true" focusable="false">${[4, 7, 10].map(
    (h, i) => svg`<rect x=${i * 4} y=${12 - h} width="3" height=${h} rx="1" class=${i < lit ? 'on' : 'off'}></rect>`,
  )}</svg>`;

/** Which warning the indicator names: a cause before its effects (low-mos follows loss or delay). */
const FIRST: readonly QualityWarningName[] = [
  'ice-connectivity-lost',
  'low-bytes-received',
  'low-bytes-sent',
  'constant-audio-input-level',
  'high-packet-loss',
  'high-rtt',
  'high-jitter',
  'low-mos',
];
const named = (warnings: readonly QualityWarningName[]) => FIRST.find((w) => warnings.includes(w));

/**
 * The in-call signal indicator: bars and a label ("Poor connection"), the
 * main warning in plain words as its tooltip and, for screen readers, in
 * its text. The live region says it too when it changes (the element's announcement).
 */
export function renderSignal(warnings: readonly QualityWarningName[], t: Strings) {
  const latest = named(warnings);
  const problem = latest ? t.qualityProblem[latest] : null;
  return html`<span part="signal" class="signal" data-quality=${latest ? 'poor' : 'good'} title=${problem ?? t.goodConnection}>
    ${bars(latest ? 1 : 3)}
    <span class=${latest ? 'signal-label' : 'visually-hidden'}>${latest ? t.poorConnection : t.goodConnection}</span>${
      problem ? html`<span class="visually-hidden">: ${problem}</span>` : nothing
    }
  </span>`;
}

/** What the live region says about a call's quality, or null on a good line. */
export function sayQuality(warnings: readonly QualityWarningName[], t: Strings): string | null {
  const latest = named(warnings);
  return latest ? t.sayPoorConnection.replace('{problem}', t.qualityProblem[latest]) : null;
}
