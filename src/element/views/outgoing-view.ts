import { html, nothing } from 'lit';
import { hangupIcon } from '../icons.js';
import { ViewElement } from './view-element.js';
import { renderParty } from './party.js';
import { renderConsult } from './consult-view.js';

/** Calling / ringing: who is called, the progress, and Hang up. */
export class OutgoingView extends ViewElement {
  override render() {
    const call = this.snapshot?.call;
    if (!call) return nothing;
    return html`<div part="outgoing" class="call" data-ringing>
      <span class="label">${this.t.calling}</span>
      ${renderParty(call)}
      <span class="progress">${call.state === 'ringing' ? this.t.ringingProgress : this.t.callingProgress}</span>
      ${renderConsult(this.snapshot!.consult, this.t, this.actions)}
      <div class="actions">
        <button part="hangup-button" class="round decline" aria-label=${this.t.hangUp} @click=${() => this.actions?.hangup()}>
          ${hangupIcon}
        </button>
      </div>
    </div>`;
  }
}
