import { css } from 'lit';

/** The panel's frame: header, logo, status line, the sound bar, the body and the navigation bar. */
export const headerStyles = css`
  @layer voice-widget {
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
  }
`;
