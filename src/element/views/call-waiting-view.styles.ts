import { css } from 'lit';

/** The banner of a second call ringing, also the far end's transfer request (transfer-request-view.ts). */
export const callWaitingViewStyles = css`
  @layer voice-widget {
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
  }
`;
