import { html, nothing } from 'lit';
import type { PhoneSnapshot } from '../phone-context.js';
import type { PhoneActions } from '../phone-actions.js';
import { fill, type Strings } from '../strings.js';

/** In a call: who is merged, and the Merge / Split button while two calls are connected. */
export function renderConference(s: PhoneSnapshot, t: Strings, actions: PhoneActions | undefined) {
  const c = s.conference;
  if (!c) return nothing;
  return html`${c.merged ? html`<span part="conference" class="note" role="status">${fill(t.mergedWith, { names: c.names.join(' & ') })}</span>` : nothing}
    <button part=${c.merged ? 'split-button' : 'merge-button'} class="pill" @click=${() => (c.merged ? actions?.split() : actions?.merge())}>
      ${c.merged ? t.split : t.merge}
    </button>`;
}

/** In a call: the recording indicator while recorded, and Record / Stop recording when `recording` allows it. */
export function renderRecording(s: PhoneSnapshot, t: Strings, actions: PhoneActions | undefined) {
  const r = s.recording;
  if (!r || (!r.allowed && !r.on)) return nothing;
  return html`${
    r.on
      ? html`<span part="recording-indicator" class="recording" role="status" ?data-paused=${r.paused}>
          <span class="dot" aria-hidden="true"></span>${r.paused ? t.recordingPaused : t.recordingOn}
        </span>`
      : nothing
  }
    ${
      r.allowed
        ? html`<button part="record-button" class="pill" aria-pressed=${r.on ? 'true' : 'false'} @click=${() => (r.on ? actions?.stopRecording() : actions?.startRecording())}>
          ${r.on ? t.stopRecording : t.record}
        </button>`
        : nothing
    }`;
}
