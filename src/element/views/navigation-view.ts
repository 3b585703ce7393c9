import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { historyIcon, keypadIcon, settingsIcon } from '../icons.js';
import type { PanelView } from '../phone-actions.js';
import { ViewElement } from './view-element.js';

/** Keypad, recent calls and settings, while no call fills the panel. */
export class NavigationView extends ViewElement {
  @property({ attribute: false }) view: PanelView = 'dialer';

  override render() {
    const s = this.snapshot;
    if (!s || (s.call && !s.call.cause)) return nothing;
    const tab = (view: PanelView, part: string, label: string, icon: unknown, disabled = false) =>
      html`<button part=${part} aria-label=${label} aria-pressed=${this.view === view ? 'true' : 'false'} ?disabled=${disabled} @click=${() => this.actions?.showView(view)}>
        ${icon}
      </button>`;
    // Recent calls belong to a user: none to show before the token says who that is.
    return html`<nav part="navigation" class="navigation" aria-label=${this.t.phone}>
      ${tab('dialer', 'dialer-button', this.t.keypad, keypadIcon)} ${tab('history', 'history-button', this.t.recentCalls, historyIcon, !s.identity)}
      ${tab('settings', 'settings-button', this.t.settings, settingsIcon)}
    </nav>`;
  }
}
