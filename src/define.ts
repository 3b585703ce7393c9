import { VoiceWidget } from './element/voice-widget.js';
import { VoiceWidgetDialpad } from './element/dialpad.js';
import { VoiceWidgetCallTimer } from './element/call-timer.js';
import { IncomingView } from './element/views/incoming-view.js';
import { OutgoingView } from './element/views/outgoing-view.js';
import type { InCallView } from './element/views/in-call-view.js';
import type { CallWaitingView } from './element/views/call-waiting-view.js';
import { DialerView } from './element/views/dialer-view.js';
import type { HistoryView } from './element/views/history-view.js';
import type { SettingsView } from './element/views/settings-view.js';
import { HeaderView } from './element/views/header-view.js';
import { NavigationView } from './element/views/navigation-view.js';

/**
 * Registers the elements. Guarded: a page may load the script-tag build and
 * the npm build; the second registration is skipped, not thrown. A server
 * (SSR) may have no registry at all: importing must not throw there.
 */
function define(tag: string, ctor: CustomElementConstructor): void {
  if (typeof customElements === 'undefined') return;
  if (!customElements.get(tag)) customElements.define(tag, ctor);
}

// vw-settings-view and vw-history-view are the `views` lazy chunk, defined when the panel first needs them, and
// vw-in-call-view and vw-call-waiting-view the `in-call` chunk, defined once the phone registers (element/views/lazy-views.ts).
define('voice-widget', VoiceWidget);
define('vw-dialpad', VoiceWidgetDialpad);
define('vw-call-timer', VoiceWidgetCallTimer);
define('vw-incoming-view', IncomingView);
define('vw-outgoing-view', OutgoingView);
define('vw-dialer-view', DialerView);
define('vw-header-view', HeaderView);
define('vw-navigation-view', NavigationView);

declare global {
  interface HTMLElementTagNameMap {
    'voice-widget': VoiceWidget;
    'vw-dialpad': VoiceWidgetDialpad;
    'vw-call-timer': VoiceWidgetCallTimer;
    'vw-incoming-view': IncomingView;
    'vw-outgoing-view': OutgoingView;
    'vw-in-call-view': InCallView;
    'vw-call-waiting-view': CallWaitingView;
    'vw-dialer-view': DialerView;
    'vw-history-view': HistoryView;
    'vw-settings-view': SettingsView;
    'vw-header-view': HeaderView;
    'vw-navigation-view': NavigationView;
  }
}
