import { css } from 'lit';

/** The launcher (its badge, dialog mode's dot, the ringing), the panel and its body, and the popup page's full-window panel. */
export const rootTemplateStyles = css`
  @layer voice-widget {
    /* Launcher */
    .launcher {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 56px;
      height: 56px;
      border-radius: 50%;
      border: none;
      background: var(--_fg-accent);
      color: var(--_fg-inverted);
      box-shadow: 0 4px 14px rgb(16 24 40 / 0.18);
    }
    .launcher:hover {
      background: var(--_fg-accent-hover);
    }
    .launcher:active {
      background: var(--_fg-accent-pressed);
    }
    .launcher svg {
      width: 26px;
      height: 26px;
    }
    :host([open]) .launcher {
      display: none;
    }
    .launcher {
      position: relative;
    }
    /* Dialog mode: a dot on the launcher says whether the phone window is open. */
    .launcher[data-dialog]::after {
      content: '';
      position: absolute;
      top: 2px;
      inset-inline-end: 2px;
      width: 12px;
      height: 12px;
      border-radius: 50%;
      border: 2px solid var(--_bg-background);
      background: var(--_fg-warning);
    }
    .launcher[data-dialog='open']::after {
      background: var(--_fg-accent);
    }
    .launcher[data-dialog='blocked']::after,
    .launcher[data-dialog='detached']::after {
      background: var(--_fg-negative);
    }
    /* The popup page: the panel is the whole window. */
    :host([data-popup]) {
      display: block;
    }
    :host([data-popup]) .launcher,
    :host([data-popup]) [part~='close-button'] {
      display: none;
    }
    :host([data-popup]) .panel {
      width: 100vw;
      height: 100vh;
      border: none;
      border-radius: 0;
      box-shadow: none;
    }
    .badge {
      position: absolute;
      top: -2px;
      inset-inline-end: -2px;
      min-width: 20px;
      height: 20px;
      padding: 0 5px;
      border-radius: 10px;
      background: var(--_fg-negative);
      color: var(--_text-inverted);
      font-size: 12px;
      font-weight: 600;
      line-height: 20px;
      text-align: center;
    }

    /* Panel */
    .panel {
      width: var(--_width);
      height: var(--_height);
      display: flex;
      flex-direction: column;
      background: var(--_bg-background);
      border: 1px solid var(--_bg-border);
      border-radius: var(--_radius);
      overflow: hidden;
      box-shadow: 0 8px 28px rgb(16 24 40 / 0.14);
    }
    .body {
      flex: 1;
      display: flex;
      flex-direction: column;
      min-height: 0;
      padding: 10px 14px;
    }

    /* A call rings while the panel is closed: the launcher rings too (it must alert even without sound). */
    :host([state='incoming']) .launcher {
      animation: ring 1.2s ease-in-out infinite;
    }
    @keyframes ring {
      0%,
      50%,
      100% {
        transform: rotate(0);
      }
      10%,
      30% {
        transform: rotate(-12deg);
      }
      20%,
      40% {
        transform: rotate(12deg);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      :host([state='incoming']) .launcher {
        animation: none;
        outline: 3px solid var(--_fg-accent);
        outline-offset: 3px;
      }
    }
  }
`;
