import { css } from 'lit';

/** The in-call signal indicator and the history's quality marks. */
export const signalIndicatorStyles = css`
  @layer voice-widget {
    .signal {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      font-size: 12px;
      font-weight: 600;
      color: var(--_text-negative);
      cursor: default;
    }
    .signal svg {
      width: 14px;
      height: 14px;
    }
    .signal rect.on {
      fill: var(--_fg-accent);
    }
    .signal rect.off {
      fill: var(--_bg-border);
    }
    .signal[data-quality='poor'] rect.on {
      fill: var(--_fg-negative);
    }
    .history .quality {
      display: block;
      font-size: 11px;
      color: var(--_text-low-contrast);
    }
    .history .quality[data-poor] {
      /* Small text: the medium-contrast colour keeps 4.5:1 in both themes; the words say it is poor. */
      color: var(--_text-medium-contrast);
      font-weight: 600;
    }
  }
`;
