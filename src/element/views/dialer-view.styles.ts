import { css } from 'lit';

/** The dial field's row and the last call's outcome (the field itself and the form: the root's styles). */
export const dialerViewStyles = css`
  @layer voice-widget {
    .number-row {
      display: flex;
      align-items: center;
      gap: 4px;
      border-bottom: 1px solid var(--_bg-border);
    }
    .number-row:focus-within {
      border-bottom-color: var(--_bg-border-active);
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
