import { css } from 'lit';

/** The settings: headings, device choices, the notifications switch. */
export const settingsViewStyles = css`
  @layer voice-widget {
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
    /* The volume sliders take the theme's accent, not the browser's blue. */
    .field input[type='range'] {
      accent-color: var(--_fg-accent);
      margin: 0;
    }
    input[type='range']:focus-visible,
    select:focus-visible {
      outline: 2px solid var(--_bg-border-active);
      outline-offset: 1px;
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

    @media (prefers-reduced-motion: reduce) {
      .switch,
      .switch::after {
        transition: none;
      }
    }
  }
`;
