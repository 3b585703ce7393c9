import { html, nothing } from 'lit';
import type { ConsultSnapshot } from '../phone-context.js';
import type { PhoneActions } from '../phone-actions.js';
import { fill, type Strings } from '../strings.js';

/**
 * Attended transfer, on the consult call's screen: who waits on hold, then
 * Cancel (end the consult call, resume the held one) and Complete transfer
 * (enabled once the consult call is connected, until its outcome is known).
 */
export function renderConsult(consult: ConsultSnapshot | null, t: Strings, actions: PhoneActions | undefined) {
  if (!consult) return nothing;
  const held = fill(t.consultHeld, { name: consult.heldName });
  return html`<div part="consult" class="waiting consult" role="group" aria-label=${held}>
    <span class="who">${held}</span>
    <button part="consult-cancel-button" type="button" ?disabled=${consult.pending} @click=${() => actions?.cancelConsult()}>${t.cancelConsult}</button>
    <button part="consult-complete-button" type="button" class="primary" ?disabled=${!consult.connected || consult.pending} @click=${() => actions?.completeTransfer()}>
      ${t.completeTransfer}
    </button>
  </div>`;
}
