/**
 * The script-tag build: `<script src="voice-widget.min.js">` defines `<voice-widget>`.
 * On the popup page of dialog mode (`<html data-voice-widget-popup>`) it also runs the popup's side.
 */
import './define.js';
import { runPopup } from './dialog/popup.js';

if (document.documentElement.hasAttribute('data-voice-widget-popup')) {
  // The page's margins, set through the CSSOM: no inline style, so a strict CSP needs no exception.
  const start = () => {
    document.body.style.margin = '0';
    runPopup();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}
