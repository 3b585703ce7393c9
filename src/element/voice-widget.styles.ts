import { css, unsafeCSS, type CSSResultGroup } from 'lit';
import { dark, light, paletteDeclarations } from './palettes.js';
import { buttonStyles } from './buttons.styles.js';
import { rootTemplateStyles } from './views/root-template.styles.js';
import { headerViewStyles } from './views/header-view.styles.js';
import { navigationViewStyles } from './views/navigation-view.styles.js';
import { dialerViewStyles } from './views/dialer-view.styles.js';
import { callScreenStyles } from './views/call-screen.styles.js';

/** Static strings of our own palettes, not input: safe for unsafeCSS. */
const lightPalette = unsafeCSS(paletteDeclarations(light));
const darkPalette = unsafeCSS(paletteDeclarations(dark));

/**
 * The host, the palettes and what every view shares (the box model, icons, focus rings, the form fields, notes).
 * Colours come only from the private `--_name` variables, which take the host's Wavix-named `--name` when set,
 * else the palette of the `theme` (light by default), so an unthemed widget looks finished.
 */
const baseStyles = css`
  /* Our rules sit in a layer, so any rule of a custom-styles sheet (unlayered) wins. */
  @layer voice-widget {
    :host {
      --_width: var(--widget-width, 264px);
      --_height: var(--widget-height, 460px);
      --_radius: 12px;
      display: inline-block;
      position: relative;
      font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
      font-size: 14px;
      line-height: 1.4;
      -webkit-font-smoothing: antialiased;
    }
    /* The palette lives on the wrapper (id webrtc-widget), so a Wavix-format
       custom-styles file's "#webrtc-widget { --…: … }" reaches every part. */
    .root {
      display: contents;
      ${lightPalette}
      color: var(--_text-high-contrast);
    }
    :host([theme='dark']) .root {
      ${darkPalette}
    }
    @media (prefers-color-scheme: dark) {
      :host([theme='auto']) .root {
        ${darkPalette}
      }
    }
    :host([hidden]) {
      display: none;
    }
    /* A phone placed by the script tag or createVoiceWidget without a container; the page may move it. */
    :host([floating]) {
      position: fixed;
      inset-block-end: 20px;
      inset-inline-end: 20px;
      z-index: 2147483000;
    }
    *,
    *::before,
    *::after {
      box-sizing: border-box;
    }
    /* The views (src/element/views) are wrappers only: their content lays out as the panel's own. */
    vw-incoming-view,
    vw-outgoing-view,
    vw-in-call-view,
    vw-call-waiting-view,
    vw-dialer-view,
    vw-history-view,
    vw-settings-view,
    vw-header-view,
    vw-navigation-view {
      display: contents;
    }
    [hidden] {
      display: none !important;
    }
    svg {
      width: 20px;
      height: 20px;
      display: block;
    }
    button {
      font: inherit;
      cursor: pointer;
    }
    button:focus-visible,
    input:focus-visible,
    a:focus-visible {
      outline: 2px solid var(--_bg-border-active);
      outline-offset: 2px;
    }
    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }

    /* Forms: the dial field and the in-call transfer field (text fields are large, centred, underlined by their row). */
    form {
      flex: 1;
      display: flex;
      flex-direction: column;
      gap: 6px;
    }
    input {
      flex: 1;
      min-width: 0;
      border: none;
      background: transparent;
      color: var(--_text-high-contrast);
      font: inherit;
      font-size: 20px;
      padding: 6px 2px;
      text-align: center;
    }
    input::placeholder {
      color: var(--_text-low-contrast);
      font-size: 15px;
    }
    input:focus-visible {
      outline: none;
    }
    /* A note under a control: a transfer's progress, why notifications are off. */
    .note {
      font-size: 12px;
      color: var(--_text-medium-contrast);
    }
  }
`;

/**
 * The element's styles: the views render into its shadow root (no shadow root of their own), so their sheets
 * are composed here. The order is the cascade's: a later sheet wins a tie in specificity. The views of lazy
 * chunks (history, settings, in-call with call waiting and the signal indicator) add theirs after these when
 * they first show (ViewElement.viewStyles), as they came last here before.
 */
export const styles: CSSResultGroup = [
  baseStyles,
  buttonStyles,
  rootTemplateStyles,
  headerViewStyles,
  navigationViewStyles,
  dialerViewStyles,
  callScreenStyles,
];
