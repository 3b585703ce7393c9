import { css } from 'lit';

/** What the call screens share (incoming, outgoing, in call): the column, the label, the party's avatar, name and address,
 * the progress. */
export const callScreenStyles = css`
  @layer voice-widget {
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
    img.avatar {
      object-fit: cover;
    }
    .name a {
      color: inherit;
      text-decoration: underline;
      text-underline-offset: 3px;
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
  }
`;
