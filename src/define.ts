import { VoiceWidget } from './element/voice-widget.js';
import { VoiceWidgetDialpad } from './element/dialpad.js';
import { VoiceWidgetCallTimer } from './element/call-timer.js';

/**
 * Registers the elements. Guarded: a page may load the script-tag build and
 * the npm build; the second registration is skipped, not thrown. A server
 * (SSR) may have no registry at all: importing must not throw there.
 */
function define(tag: string, ctor: CustomElementConstructor): void {
  if (typeof customElements === 'undefined') return;
  if (!customElements.get(tag)) customElements.define(tag, ctor);
}

define('voice-widget', VoiceWidget);
define('vw-dialpad', VoiceWidgetDialpad);
define('vw-call-timer', VoiceWidgetCallTimer);

declare global {
  interface HTMLElementTagNameMap {
    'voice-widget': VoiceWidget;
    'vw-dialpad': VoiceWidgetDialpad;
    'vw-call-timer': VoiceWidgetCallTimer;
  }
}
