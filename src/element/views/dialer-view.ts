import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { formatDuration } from '../call-timer.js';
import { backspaceIcon, phoneIcon } from '../icons.js';
import { ViewElement } from './view-element.js';

/**
 * The number field, the last call's outcome, the dial pad and Call. The number
 * itself lives in the root: the host's `show(number)` and click-to-call fill it too.
 */
export class DialerView extends ViewElement {
  @property({ attribute: false }) number = '';

  override render() {
    const s = this.snapshot;
    if (!s) return html``;
    const t = this.t;
    const last = s.call;
    const failed = last?.state === 'failed';
    // The last call's outcome; otherwise the caller ID in use, when it is not the user's own.
    const outcome = last?.cause
      ? `${t.outcome[last.cause]}${last.duration > 0 ? ` · ${formatDuration(last.duration)}` : ''}`
      : s.outboundNumber
        ? `${t.callAs} ${s.outboundNumber}`
        : '';
    return html`<form @submit=${this.onSubmit} novalidate>
      <div class="number-row">
        <label class="visually-hidden" for="number">${t.numberToCall}</label>
        <input
          id="number"
          part="number"
          type="tel"
          inputmode="tel"
          autocomplete="off"
          placeholder=${t.enterNumber}
          .value=${this.number}
          @input=${(e: InputEvent) => this.setNumber((e.target as HTMLInputElement).value)}
        />
        <button
          type="button"
          class="icon-button"
          aria-label=${t.deleteDigit}
          ?hidden=${this.number === ''}
          @click=${() => this.setNumber(this.number.slice(0, -1))}
        >
          ${backspaceIcon}
        </button>
      </div>
      <div class="outcome" ?data-failed=${failed} aria-live="polite">${outcome}</div>
      <vw-dialpad part="dialpad" exportparts="key" allow-plus @vw-digit=${this.onDigit}></vw-dialpad>
      <div class="actions">
        <button part="call-button" class="round accept" type="submit" aria-label=${t.call} ?disabled=${!s.ready}>${phoneIcon}</button>
      </div>
    </form>`;
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    this.actions?.call(this.number);
  }

  /** Kept here too at once, so keys pressed before the root re-renders add up. */
  private setNumber(number: string): void {
    this.number = number;
    this.actions?.setNumber(number);
  }

  private onDigit(e: CustomEvent<{ digit: string }>): void {
    this.setNumber(this.number + e.detail.digit);
    this.querySelector<HTMLInputElement>('input[part="number"]')?.focus();
  }
}
