/**
 * The script-tag build: `<script src="voice-widget.min.js">` defines `<voice-widget>`
 * and the global `VoiceWidget`; with `data-token`/`data-sip-server` it also places a phone.
 * On the popup page of dialog mode (`<html data-voice-widget-popup>`) it runs the popup's side.
 */
import './define.js';
import { takeHash } from './dialog/popup-hash.js';
import { installScriptTag } from './embed/script-tag.js';
import { loadChunk } from './shared/lazy-chunks.js';

if (document.documentElement.hasAttribute('data-voice-widget-popup')) {
  // The popup's side is the `popup` chunk; the config token leaves the address bar now, not when it arrives.
  const hash = takeHash();
  const popup = loadChunk('popup');
  // The page's margins, set through the CSSOM: no inline style, so a strict CSP needs no exception.
  const start = () => {
    document.body.style.margin = '0';
    popup.then(
      ({ runPopup }) => runPopup(hash),
      (err: unknown) => console.error(err),
    );
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
} else {
  // document.currentScript is only set while this script first runs.
  installScriptTag(document.currentScript);
}
