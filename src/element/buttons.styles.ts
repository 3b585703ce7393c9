import { css } from 'lit';

/** The button variants, defined once: icon buttons, the row of round call buttons (`.round`, `.small`; `.accept`,
 * `.decline`), the in-call tools and text buttons. Every view's buttons take one of these. */
export const buttonStyles = css`
  @layer voice-widget {
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

    .small {
      width: 36px;
      height: 36px;
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
  }
`;
