import { html, nothing } from 'lit';
import type { CallSnapshot } from '../phone-context.js';

/**
 * Who is on the call: the avatar (the contact's picture, else the initial), the name (the contact's, linked to
 * its page when it has one), the contact's detail, and the number when it differs. The contact's URLs were
 * checked when it arrived (src/shared/contact.ts); the link opens with noopener.
 */
export function renderParty(call: CallSnapshot) {
  const contact = call.contact;
  const name = contact?.name ?? call.remote.name;
  const initial = (name.trim()[0] ?? '#').toUpperCase();
  return html`${
    contact?.avatarUrl
      ? html`<img part="contact-avatar" class="avatar" src=${contact.avatarUrl} alt="" referrerpolicy="no-referrer" />`
      : html`<div class="avatar" aria-hidden="true">${initial}</div>`
  }
    <div class="name">${contact?.url ? html`<a part="contact-link" href=${contact.url} target="_blank" rel="noopener noreferrer">${name}</a>` : name}</div>
    ${contact?.detail ? html`<div part="contact-detail" class="address">${contact.detail}</div>` : nothing}
    ${name !== call.number ? html`<div class="address">${call.number}</div>` : nothing}`;
}
