import { html, nothing } from 'lit';
import type { CallSnapshot, PhoneSnapshot } from '../phone-context.js';
import type { PhoneActions } from '../phone-actions.js';
import type { Strings } from '../strings.js';
import { renderSwitch } from './switch.js';

/** Settings: the do-not-disturb switch, with what callers get while it is on. */
export function renderDndSwitch(s: PhoneSnapshot, t: Strings, actions: PhoneActions | undefined) {
  return renderSwitch({ name: 'dnd-switch', label: t.doNotDisturb, on: s.dnd, note: t.doNotDisturbNote, toggle: (on) => actions?.setDnd(on) });
}

/** Settings: the ring volume (0 mutes the ringer, not the calls) and the call volume, 0-100 %. */
export function renderVolumes(s: PhoneSnapshot, t: Strings, actions: PhoneActions | undefined) {
  const slider = (kind: 'ring' | 'call', label: string) =>
    html`<label class="field">
      <span>${label}</span>
      <input
        part="volume"
        data-kind=${kind}
        type="range"
        min="0"
        max="100"
        step="5"
        .value=${String(Math.round(s.volumes[kind] * 100))}
        @change=${(e: Event) => actions?.setVolume(kind, Number((e.target as HTMLInputElement).value) / 100)}
      />
    </label>`;
  return html`${slider('ring', t.ringVolume)} ${slider('call', t.callVolume)}`;
}

/** In a call: says that it was answered by itself (`auto-answer`). */
export function renderAutoAnswered(call: CallSnapshot, t: Strings) {
  return call.autoAnswered ? html`<span part="auto-answered" class="note" role="status">${t.answeredAutomatically}</span>` : nothing;
}
