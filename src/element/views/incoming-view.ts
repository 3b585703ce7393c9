import { html, nothing } from 'lit';
import { hangupIcon, phoneIcon } from '../icons.js';
import { ViewElement } from './view-element.js';
import { renderParty } from './party.js';

/** A call rings: who calls, Decline and Answer. */
export class IncomingView extends ViewElement {
  override render() {
    const call = this.snapshot?.call;
    if (!call) return nothing;
    return html`<div part="incoming" class="call" data-ringing role="group" aria-label=${this.t.incomingCall}>
      <span class="label">${this.t.incomingCall}</span>
      ${renderParty(call)}
      <div class="actions">
        <button part="hangup-button" class="round decline" aria-label=${this.t.decline} ?disabled=${call.answering} @click=${() => this.actions?.reject()}>
          ${hangupIcon}
        </button>
        <button part="answer-button" class="round accept" aria-label=${this.t.answer} ?disabled=${call.answering} @click=${() => this.actions?.answer()}>
          ${phoneIcon}
        </button>
      </div>
    </div>`;
  }
}
