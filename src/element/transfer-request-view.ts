import { html, nothing } from 'lit';
import type { PendingTransfer } from '../core/transfer-request.js';
import { hangupIcon, transferIcon } from './icons.js';
import { fill, type Strings } from './strings.js';

/**
 * The far end asks to transfer this call (`refer-policy="ask"`): who asks, to
 * where, and Accept / Decline. Shown on the call's screen until answered, or
 * until the request times out or its call ends.
 */
export function renderTransferRequest(request: PendingTransfer | null, t: Strings, answer: (accept: boolean) => void) {
  if (!request) return nothing;
  const text = fill(t.transferRequest, { name: request.from.name, number: request.target });
  return html`<div part="transfer-request" class="waiting transfer-request" role="group" aria-label=${text} data-kind=${request.kind}>
    <span class="who" title=${text}><span class="label">${fill(t.transferRequestBy, { name: request.from.name })}</span> <strong>${request.target}</strong></span>
    <button part="transfer-decline-button" class="decline small" aria-label=${t.declineTransfer} @click=${() => answer(false)}>${hangupIcon}</button>
    <button part="transfer-accept-button" class="accept small" aria-label=${t.acceptTransfer} @click=${() => answer(true)}>${transferIcon}</button>
    <span class="visually-hidden" role="alert">${text}</span>
  </div>`;
}
