import { css } from 'lit';

/** The navigation bar: keypad, recent calls, settings. */
export const navigationViewStyles = css`
  @layer voice-widget {
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

  }
`;
