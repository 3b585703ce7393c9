import { css } from 'lit';

/** The connected call: the transfer field, warnings, the tools' row and the keypad. */
export const inCallViewStyles = css`
  @layer voice-widget {
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
    .warning {
      font-size: 12px;
      font-weight: 600;
      color: var(--_text-negative);
    }
    .progress.held {
      color: var(--_text-medium-contrast);
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
    /* Merge / Split and Record, with the merged parties and the recording indicator. */
    .extras {
      display: flex;
      flex-wrap: wrap;
      justify-content: center;
      align-items: center;
      gap: 6px;
    }
    .extras:empty {
      display: none;
    }
    .extras .note {
      flex-basis: 100%;
      text-align: center;
    }
    .pill {
      height: 28px;
      border: 1px solid var(--_bg-border);
      border-radius: 14px;
      padding: 0 12px;
      background: var(--_fg-high-contrast);
      color: var(--_text-high-contrast);
      font-size: 13px;
      font-weight: 600;
    }
    .pill:hover {
      background: var(--_fg-high-contrast-hover);
    }
    .pill:active {
      background: var(--_fg-high-contrast-pressed);
    }
    .recording {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font-size: 12px;
      font-weight: 600;
      color: var(--_text-negative);
    }
    .recording .dot {
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: var(--_fg-negative);
    }
    .recording[data-paused] {
      color: var(--_text-medium-contrast);
    }
    .recording[data-paused] .dot {
      background: var(--_text-medium-contrast);
    }

  }
`;
