import { css } from 'lit';

/** The dialler: number field and outcome line. */
export const dialerStyles = css`
  @layer voice-widget {
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
  }
`;
