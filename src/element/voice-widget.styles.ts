import { css, unsafeCSS } from 'lit';
import { dark, light, paletteDeclarations } from './palettes.js';

/** Static strings of our own palettes, not input: safe for unsafeCSS. */
const lightPalette = unsafeCSS(paletteDeclarations(light));
const darkPalette = unsafeCSS(paletteDeclarations(dark));

/**
 * Component styles. Colours come only from the private `--_name` variables,
 * which take the host's Wavix-named `--name` when set, else the palette of the
 * `theme` (light by default), so an unthemed widget looks finished.
 */
export const styles = css`
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

    /* Launcher */
    .launcher {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 56px;
      height: 56px;
      border-radius: 50%;
      border: none;
      background: var(--_fg-accent);
      color: var(--_fg-inverted);
      box-shadow: 0 4px 14px rgb(16 24 40 / 0.18);
    }
    .launcher:hover {
      background: var(--_fg-accent-hover);
    }
    .launcher:active {
      background: var(--_fg-accent-pressed);
    }
    .launcher svg {
      width: 26px;
      height: 26px;
    }
    :host([open]) .launcher {
      display: none;
    }
    .launcher {
      position: relative;
    }
    /* Dialog mode: a dot on the launcher says whether the phone window is open. */
    .launcher[data-dialog]::after {
      content: '';
      position: absolute;
      top: 2px;
      inset-inline-end: 2px;
      width: 12px;
      height: 12px;
      border-radius: 50%;
      border: 2px solid var(--_bg-background);
      background: var(--_fg-warning);
    }
    .launcher[data-dialog='open']::after {
      background: var(--_fg-accent);
    }
    .launcher[data-dialog='blocked']::after,
    .launcher[data-dialog='detached']::after {
      background: var(--_fg-negative);
    }
    /* The popup page: the panel is the whole window. */
    :host([data-popup]) {
      display: block;
    }
    :host([data-popup]) .launcher,
    :host([data-popup]) [part~='close-button'] {
      display: none;
    }
    :host([data-popup]) .panel {
      width: 100vw;
      height: 100vh;
      border: none;
      border-radius: 0;
      box-shadow: none;
    }
    .badge {
      position: absolute;
      top: -2px;
      inset-inline-end: -2px;
      min-width: 20px;
      height: 20px;
      padding: 0 5px;
      border-radius: 10px;
      background: var(--_fg-negative);
      color: var(--_text-inverted);
      font-size: 12px;
      font-weight: 600;
      line-height: 20px;
      text-align: center;
    }

    /* Recent calls */
    .history {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
      margin: -4px -6px;
    }
    .history ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .history .empty {
      margin-top: 40px;
      text-align: center;
      color: var(--_text-low-contrast);
    }
    .entry {
      width: 100%;
      display: flex;
      align-items: center;
      gap: 10px;
      padding: 8px 6px;
      border: none;
      border-radius: 8px;
      background: transparent;
      color: var(--_text-high-contrast);
      text-align: start;
    }
    .entry:hover {
      background: var(--_bg-hover);
    }
    .entry:active {
      background: var(--_bg-pressed);
    }
    .entry .direction {
      color: var(--_a-inactive);
    }
    .entry[data-missed] .direction,
    .entry[data-missed] .name {
      color: var(--_text-negative);
    }
    .entry .who {
      flex: 1;
      min-width: 0;
      display: flex;
      flex-direction: column;
    }
    .entry .name,
    .entry .number {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .entry .number,
    .entry .when {
      font-size: 12px;
      color: var(--_text-low-contrast);
    }
    .entry .when {
      display: flex;
      flex-direction: column;
      align-items: flex-end;
    }

    /* Panel */
    .panel {
      width: var(--_width);
      height: var(--_height);
      display: flex;
      flex-direction: column;
      background: var(--_bg-background);
      border: 1px solid var(--_bg-border);
      border-radius: var(--_radius);
      overflow: hidden;
      box-shadow: 0 8px 28px rgb(16 24 40 / 0.14);
    }
    header {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 10px 8px 10px 12px;
      background: var(--_bg-header);
      border-bottom: 1px solid var(--_bg-border);
    }
    .logo {
      width: 24px;
      height: 24px;
      flex: none;
      color: var(--_fg-logo);
    }
    .logo svg,
    .logo img {
      width: 24px;
      height: 24px;
      object-fit: contain;
    }
    .title {
      flex: 1;
      font-weight: 600;
      white-space: nowrap;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .icon-button {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 32px;
      height: 32px;
      border: none;
      border-radius: 8px;
      background: transparent;
      color: var(--_a-inactive);
    }
    .icon-button:hover {
      background: var(--_bg-hover);
      color: var(--_a-hover);
    }
    .icon-button:active {
      background: var(--_bg-pressed);
      color: var(--_a-pressed);
    }
    .icon-button:disabled {
      color: var(--_a-disabled);
      background: transparent;
      cursor: not-allowed;
    }

    /* Navigation: keypad, recent calls, settings */
    .navigation {
      display: flex;
      justify-content: space-around;
      padding: 2px 8px;
      background: var(--_bg-navigation);
      border-top: 1px solid var(--_bg-border);
    }
    .navigation button {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 56px;
      height: 34px;
      border: none;
      border-radius: 8px;
      background: transparent;
      color: var(--_a-inactive);
    }
    .navigation button:hover {
      color: var(--_a-hover);
      background: var(--_bg-hover);
    }
    .navigation button:active {
      color: var(--_a-pressed);
      background: var(--_bg-pressed);
    }
    .navigation button[aria-pressed='true'] {
      color: var(--_a-active);
    }
    .navigation button:disabled {
      color: var(--_a-disabled);
      background: transparent;
      cursor: not-allowed;
    }

    .status {
      display: flex;
      align-items: center;
      gap: 6px;
      padding: 4px 12px;
      min-height: 26px;
      background: var(--_bg-status);
      color: var(--_text-medium-contrast);
      font-size: 12px;
    }
    .status::before {
      content: '';
      width: 8px;
      height: 8px;
      border-radius: 50%;
      flex: none;
      background: var(--_fg-warning);
    }
    .status[data-registration='registered']::before {
      background: var(--_fg-accent);
    }
    .status[data-registration='failed']::before,
    .status[data-problem]::before {
      background: var(--_fg-negative);
    }
    .status[data-problem] {
      color: var(--_text-negative);
    }
    .status span {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }

    .body {
      flex: 1;
      display: flex;
      flex-direction: column;
      min-height: 0;
      padding: 10px 14px;
    }

    /* Dialler */
    form {
      flex: 1;
      display: flex;
      flex-direction: column;
      gap: 6px;
    }
    .number-row {
      display: flex;
      align-items: center;
      gap: 4px;
      border-bottom: 1px solid var(--_bg-border);
    }
    .number-row:focus-within {
      border-bottom-color: var(--_bg-border-active);
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
    .outcome {
      min-height: 20px;
      text-align: center;
      font-size: 12px;
      color: var(--_text-low-contrast);
    }
    .outcome[data-failed] {
      color: var(--_text-negative);
    }
    .actions {
      margin-top: auto;
      display: flex;
      justify-content: center;
      gap: 28px;
    }
    .round,
    .small {
      width: 56px;
      height: 56px;
      border-radius: 50%;
      border: none;
      display: inline-flex;
      align-items: center;
      justify-content: center;
      color: var(--_fg-inverted);
    }
    .round svg {
      width: 24px;
      height: 24px;
    }
    .accept {
      background: var(--_fg-accent);
    }
    .accept:hover {
      background: var(--_fg-accent-hover);
    }
    .accept:active {
      background: var(--_fg-accent-pressed);
    }
    .accept:disabled {
      background: var(--_fg-accent-disabled);
      color: var(--_fg-inverted-disabled);
      cursor: not-allowed;
    }
    .decline {
      background: var(--_fg-negative);
    }
    .decline:hover {
      background: var(--_fg-negative-hover);
    }
    .decline:active {
      background: var(--_fg-negative-pressed);
    }
    .decline:disabled {
      background: var(--_fg-negative-disabled);
      color: var(--_fg-inverted-disabled);
      cursor: not-allowed;
    }

    /* Call screens */
    .call {
      flex: 1;
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 4px;
      text-align: center;
    }
    .call .label {
      color: var(--_text-low-contrast);
      font-size: 12px;
      text-transform: uppercase;
      letter-spacing: 0.06em;
      margin-top: 12px;
    }
    .avatar {
      width: 64px;
      height: 64px;
      border-radius: 50%;
      margin: 14px 0 6px;
      display: flex;
      align-items: center;
      justify-content: center;
      background: var(--_bg-brand);
      color: var(--_fg-brand);
      font-size: 26px;
      font-weight: 600;
    }
    .call[data-ringing] .avatar {
      animation: pulse 1.4s ease-in-out infinite;
    }
    @keyframes pulse {
      50% {
        box-shadow: 0 0 0 10px rgb(34 170 92 / 0.12);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .call[data-ringing] .avatar {
        animation: none;
      }
    }
    .name {
      font-size: 18px;
      font-weight: 600;
      max-width: 100%;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .address {
      color: var(--_text-medium-contrast);
      max-width: 100%;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .progress {
      color: var(--_text-accent);
      font-size: 13px;
    }
    .call form.transfer {
      display: flex;
      flex-direction: row;
      align-items: center;
      gap: 6px;
      width: 100%;
      flex: none;
    }
    .transfer input {
      flex: 1;
      font-size: 15px;
      text-align: start;
      border-bottom: 1px solid var(--_bg-border-active);
    }
    /* The transfer form's submit: disabled until a number is typed. */
    .transfer button {
      flex: none;
      height: 32px;
      border: none;
      border-radius: 8px;
      padding: 0 12px;
      background: var(--_fg-accent);
      color: var(--_text-inverted);
      font-weight: 600;
    }
    .transfer button:hover {
      background: var(--_fg-accent-hover);
    }
    .transfer button:active {
      background: var(--_fg-accent-pressed);
    }
    .transfer button:disabled {
      background: var(--_fg-accent-disabled);
      color: var(--_text-inverted-disabled);
      cursor: not-allowed;
    }
    .note {
      font-size: 12px;
      color: var(--_text-medium-contrast);
    }
    .waiting {
      display: flex;
      align-items: center;
      gap: 8px;
      width: 100%;
      margin-top: 6px;
      padding: 8px 10px;
      border: 1px solid var(--_bg-border-active);
      border-radius: 10px;
      background: var(--_bg-status);
      text-align: start;
    }
    .waiting .who {
      flex: 1;
      min-width: 0;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    /* Who asks must stay readable: no capitals, so "Transfer from <name>" fits beside the buttons. */
    .transfer-request .label {
      text-transform: none;
      font-size: 12px;
    }
    .waiting .label {
      display: block;
      font-size: 11px;
      color: var(--_text-low-contrast);
    }
    .small {
      width: 36px;
      height: 36px;
    }
    .warning {
      font-size: 12px;
      font-weight: 600;
      color: var(--_text-negative);
    }
    .progress.held {
      color: var(--_text-medium-contrast);
    }
    /* In-call tools: neutral round buttons; a tool that is on (muted, held, keypad open) is filled with the accent. */
    .tool {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 44px;
      height: 44px;
      border: none;
      border-radius: 50%;
      background: var(--_fg-high-contrast);
      color: var(--_a-high-contrast);
    }
    .tool:hover {
      background: var(--_fg-high-contrast-hover);
    }
    .tool:active {
      background: var(--_fg-high-contrast-pressed);
    }
    .tool[aria-pressed='true'],
    .tool[aria-expanded='true'] {
      background: var(--_fg-accent);
      color: var(--_fg-inverted);
    }
    .tool:disabled {
      background: var(--_fg-high-contrast-disabled);
      color: var(--_a-disabled);
      cursor: not-allowed;
    }
    .tools {
      display: flex;
      gap: 12px;
      margin: 8px 0;
    }
    /* With the keypad open the call screen drops the avatar to fit the keys. */
    .call[data-keypad] .avatar {
      display: none;
    }
    .call[data-keypad] .name {
      margin-top: 4px;
    }
    .call[data-keypad] .tools {
      margin: 2px 0;
    }
    .call vw-dialpad {
      margin-bottom: 8px;
    }

    /* Settings */
    .settings {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
      display: flex;
      flex-direction: column;
      gap: 10px;
    }
    .settings h2 {
      margin: 4px 0 0;
      font-size: 12px;
      font-weight: 600;
      text-transform: uppercase;
      letter-spacing: 0.04em;
      color: var(--_text-low-contrast);
    }
    .field {
      display: flex;
      flex-direction: column;
      gap: 4px;
      font-size: 13px;
      color: var(--_text-medium-contrast);
    }
    .field select {
      font: inherit;
      width: 100%;
      padding: 6px 8px;
      color: var(--_text-high-contrast);
      background: var(--_bg-background);
      border: 1px solid var(--_bg-border);
      border-radius: 8px;
    }
    .field select:hover {
      border-color: var(--_bg-border-active);
    }
    select:focus-visible {
      outline: 2px solid var(--_bg-border-active);
      outline-offset: 1px;
    }
    .text-button {
      align-self: flex-start;
      border: none;
      border-radius: 6px;
      padding: 4px 6px;
      margin: -2px -6px;
      background: transparent;
      color: var(--_text-accent);
      font-weight: 600;
    }
    .text-button:hover {
      background: var(--_bg-hover);
    }
    .text-button:active {
      background: var(--_bg-pressed);
    }
    .switch-row {
      display: flex;
      align-items: center;
      gap: 10px;
      font-size: 13px;
    }
    .switch-row span {
      flex: 1;
    }
    .switch {
      position: relative;
      flex: none;
      width: 36px;
      height: 20px;
      padding: 0;
      border: none;
      border-radius: 10px;
      background: var(--_switch-background);
      transition: background-color 0.15s;
    }
    .switch::after {
      content: '';
      position: absolute;
      top: 2px;
      inset-inline-start: 2px;
      width: 16px;
      height: 16px;
      border-radius: 50%;
      background: var(--_switch-foreground);
      box-shadow: 0 1px 2px rgb(16 24 40 / 0.2);
      transition: inset-inline-start 0.15s;
    }
    .switch[aria-checked='true'] {
      background: var(--_switch-background-checked);
    }
    .switch[aria-checked='true']::after {
      inset-inline-start: 18px;
    }
    .switch:disabled {
      cursor: not-allowed;
      opacity: 0.5;
    }

    /* Sound held back by the browser until a click */
    .sound-blocked {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 6px 12px;
      font-size: 12px;
      background: var(--_bg-status);
      color: var(--_text-medium-contrast);
      border-bottom: 1px solid var(--_bg-border);
    }
    .sound-blocked span {
      flex: 1;
    }
    .sound-blocked button {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      border: 1px solid var(--_bg-border-active);
      border-radius: 8px;
      padding: 3px 8px;
      background: transparent;
      color: var(--_text-accent);
      font-weight: 600;
    }
    .sound-blocked button:hover {
      background: var(--_bg-hover);
    }
    .sound-blocked svg {
      width: 16px;
      height: 16px;
    }

    /* A call rings while the panel is closed: the launcher rings too (it must alert even without sound). */
    :host([state='incoming']) .launcher {
      animation: ring 1.2s ease-in-out infinite;
    }
    @keyframes ring {
      0%,
      50%,
      100% {
        transform: rotate(0);
      }
      10%,
      30% {
        transform: rotate(-12deg);
      }
      20%,
      40% {
        transform: rotate(12deg);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .switch,
      .switch::after {
        transition: none;
      }
      :host([state='incoming']) .launcher {
        animation: none;
        outline: 3px solid var(--_fg-accent);
        outline-offset: 3px;
      }
    }
  }
`;
