import { html, nothing } from 'lit';
import { formatDuration } from '../call-timer.js';
import { incomingIcon, outgoingIcon } from '../icons.js';
import { ViewElement } from './view-element.js';
import { historyViewStyles } from './history-view.styles.js';
import { signalIndicatorStyles } from './signal-indicator.styles.js';
import { fill } from '../strings.js';
import type { HistoryEntry } from '../../core/call-history.js';

/** Recent calls, newest first; a click calls back. */
export class HistoryView extends ViewElement {
  /** The signal indicator's sheet styles the entries' call quality too. */
  static override viewStyles = [historyViewStyles, signalIndicatorStyles];

  /** A connected call's quality: "Poor connection" when a warning came, else its mean MOS. */
  private quality(e: HistoryEntry) {
    const q = e.quality;
    if (!q || q.mosAverage === null) return nothing;
    const score = fill(this.t.callQuality, { mos: q.mosAverage.toFixed(1) });
    return q.warnings.length > 0
      ? html`<span class="quality" data-poor title=${score}>${this.t.poorConnection}</span>`
      : html`<span class="quality">${score}</span>`;
  }

  override render() {
    const entries = this.snapshot?.history ?? [];
    const t = this.t;
    const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
    const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
    const today = new Date().toDateString();
    return html`<div part="history" class="history">
      ${
        entries.length === 0
          ? html`<p class="empty">${t.noRecentCalls}</p>`
          : html`<ul aria-label=${t.recentCalls}>
            ${entries.map((e) => {
              const when = new Date(e.at);
              const kind = e.missed ? t.missedCall : e.direction === 'inbound' ? t.incomingCall : t.outgoingCall;
              return html`<li>
                <button class="entry" ?data-missed=${e.missed} @click=${() => this.actions?.redial(e.number)}>
                  <span class="visually-hidden">${kind}:</span>
                  <span class="direction" aria-hidden="true">${e.direction === 'inbound' ? incomingIcon : outgoingIcon}</span>
                  <span class="who">
                    <span class="name">${e.contact?.name ?? e.name}</span>
                    ${e.contact?.detail ? html`<span part="contact-detail" class="number">${e.contact.detail}</span>` : nothing}
                    ${(e.contact?.name ?? e.name) !== e.number ? html`<span class="number">${e.number}</span>` : nothing}
                    ${this.quality(e)}
                  </span>
                  <span class="when">
                    <time datetime=${when.toISOString()}>${when.toDateString() === today ? time.format(when) : day.format(when)}</time>
                    <span>${e.duration > 0 ? formatDuration(e.duration) : e.missed ? t.missedCall : t.outcome[e.cause]}</span>
                  </span>
                  <span class="visually-hidden">, ${t.callBack}</span>
                </button>
              </li>`;
            })}
          </ul>`
      }
    </div>`;
  }
}
