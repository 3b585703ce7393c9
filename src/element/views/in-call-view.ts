import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { hangupIcon, keypadIcon, micIcon, micOffIcon, pauseIcon, transferIcon } from '../icons.js';
import { renderTransferRequest } from '../transfer-request-view.js';
import { ViewElement } from './view-element.js';
import { renderParty } from './party.js';
import { renderAutoAnswered } from './comfort-parts.js';
import { renderSignal } from './signal-indicator.js';
import { renderConference, renderRecording } from './call-extras.js';

/** A transfer's progress or outcome, for the call it belongs to. */
export interface TransferNote {
  readonly id: string;
  readonly text: string;
}

/** The connected call: who, the timer, the tools (mute, hold, transfer, keypad), and Hang up. */
export class InCallView extends ViewElement {
  /** The last transfer's note from the root; a new one (a transfer went out) closes the transfer field. */
  @property({ attribute: false }) note: TransferNote | null = null;

  @state() private keypadOpen = false;
  @state() private transferOpen = false;
  @state() private transferTarget = '';

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('note') && this.note) {
      this.transferOpen = false;
      this.transferTarget = '';
    }
  }

  override render() {
    const call = this.snapshot?.call;
    if (!call) return nothing;
    const t = this.t;
    const held = call.held.local ? t.onHold : call.held.remote ? t.heldByOther : '';
    return html`<div part="in-call" class="call" ?data-keypad=${this.keypadOpen}>
      ${renderParty(call)}
      ${held ? html`<span class="progress held" role="status">${held}</span>` : html`<vw-call-timer class="progress" label=${t.callDuration}></vw-call-timer>`}
      ${renderAutoAnswered(call, t)}
      ${renderSignal(call.warnings, t)}
      ${
        call.reconnecting
          ? html`<span part="reconnecting" class="warning">${t.reconnecting}</span>`
          : call.silent
            ? html`<span part="no-audio" class="warning" role="alert">${t.noAudio}</span>`
            : nothing
      }
      <div class="tools">
        <button
          part="mute-button"
          class="tool"
          aria-label=${t.mute}
          aria-pressed=${call.muted ? 'true' : 'false'}
          @click=${() => this.actions?.setMuted(!call.muted)}
        >
          ${call.muted ? micOffIcon : micIcon}
        </button>
        <button
          part="hold-button"
          class="tool"
          aria-label=${t.hold}
          aria-pressed=${call.held.local ? 'true' : 'false'}
          ?disabled=${call.holdPending}
          @click=${() => this.actions?.setHeld(!call.held.local)}
        >
          ${pauseIcon}
        </button>
        <button
          part="transfer-button"
          class="tool"
          aria-label=${t.transfer}
          ?disabled=${call.transferPending}
          aria-expanded=${this.transferOpen ? 'true' : 'false'}
          @click=${() => (this.transferOpen = !this.transferOpen)}
        >
          ${transferIcon}
        </button>
        <button
          part="keypad-button"
          class="tool"
          aria-label=${t.keypad}
          aria-pressed=${this.keypadOpen ? 'true' : 'false'}
          @click=${() => (this.keypadOpen = !this.keypadOpen)}
        >
          ${keypadIcon}
        </button>
      </div>
      <div class="extras">${renderConference(this.snapshot!, t, this.actions)} ${renderRecording(this.snapshot!, t, this.actions)}</div>
      ${
        this.transferOpen
          ? html`<form part="transfer" class="transfer" @submit=${this.onTransferSubmit}>
            <label class="visually-hidden" for="transfer-to">${t.transferTo}</label>
            <input
              id="transfer-to"
              type="tel"
              autocomplete="off"
              placeholder=${t.transferTo}
              .value=${this.transferTarget}
              @input=${(e: InputEvent) => (this.transferTarget = (e.target as HTMLInputElement).value)}
            />
            <button type="submit" ?disabled=${this.transferTarget.trim() === ''}>${t.transfer}</button>
          </form>`
          : nothing
      }
      ${this.note?.id === call.id ? html`<span class="note" role="status">${this.note.text}</span>` : nothing}
      ${this.keypadOpen ? html`<vw-dialpad part="dialpad" exportparts="key" @vw-digit=${this.onDtmfDigit}></vw-dialpad>` : nothing}
      ${renderTransferRequest(this.snapshot!.transferRequest, t, (accept) => (accept ? this.actions?.acceptTransfer() : this.actions?.declineTransfer()))}
      <vw-call-waiting-view .t=${t}></vw-call-waiting-view>
      <div class="actions">
        <button part="hangup-button" class="round decline" aria-label=${t.hangUp} @click=${() => this.actions?.hangup()}>
          ${hangupIcon}
        </button>
      </div>
    </div>`;
  }

  private onDtmfDigit(e: CustomEvent<{ digit: string }>): void {
    this.actions?.sendDtmf(e.detail.digit);
  }

  private onTransferSubmit(e: Event): void {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).querySelector('input')!;
    this.actions?.transfer(input.value);
  }
}
