import { css } from 'lit';

/** The call screens (incoming, outgoing, in-call): caller, progress, transfer field, second call and transfer request. */
export const callStyles = css`
  @layer voice-widget {
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
  }
`;
