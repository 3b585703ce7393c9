import { html, nothing } from 'lit';
import type { CallSnapshot } from '../phone-context.js';

/** Who is on the call: the initial in an avatar, the name, and the address when it differs. */
export function renderParty(call: CallSnapshot) {
  const initial = (call.remote.name.trim()[0] ?? '#').toUpperCase();
  const showAddress = call.remote.name !== call.number;
  return html`<div class="avatar" aria-hidden="true">${initial}</div>
    <div class="name">${call.remote.name}</div>
    ${showAddress ? html`<div class="address">${call.number}</div>` : nothing}`;
}
