import { css } from 'lit';

/** The header (logo, title), the status line and the "enable sound" bar. */
export const headerViewStyles = css`
  @layer voice-widget {
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
