import { html, nothing } from 'lit';
import { hangupIcon, phoneIcon } from '../icons.js';
import { fill } from '../strings.js';
import { ViewElement } from './view-element.js';

/** A second call rings during this one: who, Decline, and Answer (which holds the current call). */
export class CallWaitingView extends ViewElement {
  override render() {
    const waiting = this.snapshot?.waiting;
    if (!waiting) return nothing;
    return html`<div part="call-waiting" class="waiting" role="group" aria-label=${this.t.secondCall}>
      <span class="who"><span class="label">${this.t.secondCall}</span> <strong>${waiting.contact?.name ?? waiting.remote.name}</strong></span>
      <button class="decline small" aria-label=${this.t.declineSecondCall} @click=${() => this.actions?.reject()}>${hangupIcon}</button>
      <button class="accept small" aria-label=${this.t.answerSecondCall} @click=${() => this.actions?.answer()}>${phoneIcon}</button>
      <span class="visually-hidden" role="alert">${fill(this.t.secondCallFrom, { name: waiting.contact?.name ?? waiting.remote.name })}</span>
    </div>`;
  }
}
