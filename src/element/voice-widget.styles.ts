import { css } from 'lit';

/**
 * Component styles. Colours come only from the theme variables (Wavix names);
 * the fallbacks are the light theme, so an unthemed widget looks finished.
 */
export const styles = css`
  :host {
    --_width: var(--widget-width, 264px);
    --_height: var(--widget-height, 460px);
    --_radius: 12px;
    display: inline-block;
    position: relative;
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    font-size: 14px;
    line-height: 1.4;
    color: var(--text-high-contrast, #101828);
    -webkit-font-smoothing: antialiased;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
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
  input:focus-visible {
    outline: 2px solid var(--bg-border-active, #22aa5c);
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
    background: var(--fg-accent, #22aa5c);
    color: var(--fg-inverted, #fff);
    box-shadow: 0 4px 14px rgb(16 24 40 / 0.18);
  }
  .launcher:hover {
    background: var(--fg-accent-hover, #289c5c);
  }
  .launcher:active {
    background: var(--fg-accent-pressed, #2c7351);
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
  .badge {
    position: absolute;
    top: -2px;
    inset-inline-end: -2px;
    min-width: 20px;
    height: 20px;
    padding: 0 5px;
    border-radius: 10px;
    background: var(--fg-negative, #e52625);
    color: var(--text-inverted, #fff);
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
    color: var(--text-low-contrast, #667085);
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
    color: var(--text-high-contrast, #101828);
    text-align: start;
  }
  .entry:hover {
    background: var(--bg-hover, #f2f4f7);
  }
  .entry:active {
    background: var(--bg-pressed, #e4e7ec);
  }
  .entry .direction {
    color: var(--a-inactive, #667085);
  }
  .entry[data-missed] .direction,
  .entry[data-missed] .name {
    color: var(--text-negative, #d92d20);
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
    color: var(--text-low-contrast, #667085);
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
    background: var(--bg-background, #fff);
    border: 1px solid var(--bg-border, #e4e7ec);
    border-radius: var(--_radius);
    overflow: hidden;
    box-shadow: 0 8px 28px rgb(16 24 40 / 0.14);
  }
  header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 10px 8px 10px 12px;
    background: var(--bg-header, #fff);
    border-bottom: 1px solid var(--bg-border, #e4e7ec);
  }
  .logo {
    width: 24px;
    height: 24px;
    flex: none;
    color: var(--fg-logo, #22aa5c);
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
    color: var(--a-inactive, #667085);
  }
  .icon-button:hover {
    background: var(--bg-hover, #f2f4f7);
    color: var(--a-hover, #475467);
  }
  .icon-button:active {
    background: var(--bg-pressed, #e4e7ec);
    color: var(--a-pressed, #101828);
  }
  .icon-button[aria-pressed='true'] {
    color: var(--a-active, #22aa5c);
  }

  .status {
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 4px 12px;
    min-height: 26px;
    background: var(--bg-status, #f9fafb);
    color: var(--text-medium-contrast, #475467);
    font-size: 12px;
  }
  .status::before {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    flex: none;
    background: var(--fg-warning, #e7b006);
  }
  .status[data-registration='registered']::before {
    background: var(--fg-accent, #22aa5c);
  }
  .status[data-registration='failed']::before,
  .status[data-problem]::before {
    background: var(--fg-negative, #e52625);
  }
  .status[data-problem] {
    color: var(--text-negative, #d92d20);
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
    padding: 12px 14px 14px;
  }

  /* Dialler */
  form {
    flex: 1;
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  .number-row {
    display: flex;
    align-items: center;
    gap: 4px;
    border-bottom: 1px solid var(--bg-border, #e4e7ec);
  }
  .number-row:focus-within {
    border-bottom-color: var(--bg-border-active, #22aa5c);
  }
  input {
    flex: 1;
    min-width: 0;
    border: none;
    background: transparent;
    color: var(--text-high-contrast, #101828);
    font: inherit;
    font-size: 20px;
    padding: 6px 2px;
    text-align: center;
  }
  input::placeholder {
    color: var(--text-low-contrast, #98a2b3);
    font-size: 15px;
  }
  input:focus-visible {
    outline: none;
  }
  .caller-id {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 6px;
    font-size: 12px;
    color: var(--text-low-contrast, #667085);
  }
  .caller-id select {
    font: inherit;
    color: var(--text-high-contrast, #101828);
    background: var(--bg-background, #fff);
    border: 1px solid var(--bg-border, #e4e7ec);
    border-radius: 6px;
    padding: 2px 4px;
  }
  .outcome {
    min-height: 20px;
    text-align: center;
    font-size: 12px;
    color: var(--text-low-contrast, #667085);
  }
  .outcome[data-failed] {
    color: var(--text-negative, #d92d20);
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
    color: var(--fg-inverted, #fff);
  }
  .round svg {
    width: 24px;
    height: 24px;
  }
  .accept {
    background: var(--fg-accent, #22aa5c);
  }
  .accept:hover {
    background: var(--fg-accent-hover, #289c5c);
  }
  .accept:active {
    background: var(--fg-accent-pressed, #2c7351);
  }
  .accept:disabled {
    background: var(--fg-accent-disabled, #d0d5dd);
    color: var(--fg-inverted-disabled, #fff);
    cursor: not-allowed;
  }
  .decline {
    background: var(--fg-negative, #e52625);
  }
  .decline:hover {
    background: var(--fg-negative-hover, #c4201f);
  }
  .decline:active {
    background: var(--fg-negative-pressed, #9f1a19);
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
    color: var(--text-low-contrast, #667085);
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
    background: var(--bg-brand, #f2f4f7);
    color: var(--fg-brand, #22aa5c);
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
    color: var(--text-medium-contrast, #475467);
    max-width: 100%;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .progress {
    color: var(--text-accent, #12733b);
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
    border-bottom: 1px solid var(--bg-border-active, #22aa5c);
  }
  /* A text button: accent text on the panel (white on the accent green is too faint for text). */
  .transfer button {
    flex: none;
    height: 32px;
    border: 1px solid var(--bg-border-active, #22aa5c);
    border-radius: 8px;
    padding: 0 12px;
    background: transparent;
    color: var(--text-accent, #12733b);
    font-weight: 600;
  }
  .transfer button:hover {
    background: var(--bg-hover, #f2f4f7);
  }
  .transfer button:active {
    background: var(--bg-pressed, #e4e7ec);
  }
  .note {
    font-size: 12px;
    color: var(--text-medium-contrast, #475467);
  }
  .waiting {
    display: flex;
    align-items: center;
    gap: 8px;
    width: 100%;
    margin-top: 6px;
    padding: 8px 10px;
    border: 1px solid var(--bg-border-active, #22aa5c);
    border-radius: 10px;
    background: var(--bg-status, #f9fafb);
    text-align: start;
  }
  .waiting .who {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .waiting .label {
    display: block;
    font-size: 11px;
    color: var(--text-low-contrast, #667085);
  }
  .small {
    width: 36px;
    height: 36px;
  }
  .warning {
    font-size: 12px;
    font-weight: 600;
    color: var(--text-negative, #d92d20);
  }
  .progress.held {
    color: var(--text-medium-contrast, #475467);
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
    color: var(--text-low-contrast, #667085);
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 4px;
    font-size: 13px;
    color: var(--text-medium-contrast, #475467);
  }
  .field select {
    font: inherit;
    width: 100%;
    padding: 6px 8px;
    color: var(--text-high-contrast, #101828);
    background: var(--bg-background, #fff);
    border: 1px solid var(--bg-border, #e4e7ec);
    border-radius: 8px;
  }
  .field select:hover {
    border-color: var(--bg-border-active, #22aa5c);
  }
  select:focus-visible {
    outline: 2px solid var(--bg-border-active, #22aa5c);
    outline-offset: 1px;
  }
  .text-button {
    align-self: flex-start;
    border: none;
    border-radius: 6px;
    padding: 4px 6px;
    margin: -2px -6px;
    background: transparent;
    color: var(--text-accent, #12733b);
    font-weight: 600;
  }
  .text-button:hover {
    background: var(--bg-hover, #f2f4f7);
  }
  .text-button:active {
    background: var(--bg-pressed, #e4e7ec);
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
    background: var(--switch-background, #d0d5dd);
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
    background: var(--switch-foreground, #fff);
    box-shadow: 0 1px 2px rgb(16 24 40 / 0.2);
    transition: inset-inline-start 0.15s;
  }
  .switch[aria-checked='true'] {
    background: var(--switch-background-checked, #22aa5c);
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
    background: var(--bg-status, #f9fafb);
    color: var(--text-medium-contrast, #475467);
    border-bottom: 1px solid var(--bg-border, #e4e7ec);
  }
  .sound-blocked span {
    flex: 1;
  }
  .sound-blocked button {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    border: 1px solid var(--bg-border-active, #22aa5c);
    border-radius: 8px;
    padding: 3px 8px;
    background: transparent;
    color: var(--text-accent, #12733b);
    font-weight: 600;
  }
  .sound-blocked button:hover {
    background: var(--bg-hover, #f2f4f7);
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
      outline: 3px solid var(--fg-accent, #22aa5c);
      outline-offset: 3px;
    }
  }
`;
