import { css } from 'lit';

/** Recent calls. */
export const historyViewStyles = css`
  @layer voice-widget {
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

  }
`;
