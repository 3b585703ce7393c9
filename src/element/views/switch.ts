import { html, nothing } from 'lit';

export interface SwitchOptions {
  /** Its own part name beside `switch` (`dnd-switch`, `notifications-switch`), and the prefix of its ids. */
  name: string;
  label: string;
  on: boolean;
  /** A note under it (what it does, or why it is disabled), read as its description. */
  note?: string | null;
  disabled?: boolean;
  toggle(on: boolean): void;
}

/** A settings switch: the label, a `role="switch"` button, and its note. One markup for every switch. */
export function renderSwitch({ name, label, on, note, disabled = false, toggle }: SwitchOptions) {
  return html`<div class="switch-row">
      <span id="${name}-label">${label}</span>
      <button
        part="switch ${name}"
        class="switch"
        role="switch"
        aria-checked=${on ? 'true' : 'false'}
        aria-labelledby="${name}-label"
        aria-describedby=${note ? `${name}-note` : nothing}
        ?disabled=${disabled}
        @click=${() => toggle(!on)}
      ></button>
    </div>
    ${note ? html`<p id="${name}-note" class="note">${note}</p>` : nothing}`;
}
