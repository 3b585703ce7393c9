import { LitElement, css, html } from 'lit';
import { consume } from '@lit/context';
import { property, state } from 'lit/decorators.js';
import { phoneContext, type PhoneSnapshot } from './phone-context.js';

/** mm:ss, or h:mm:ss past an hour. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

/**
 * The running call timer. Reads the call from context and ticks on its own,
 * so a second passing re-renders only this text, not the whole widget.
 */
export class VoiceWidgetCallTimer extends LitElement {
  static override styles = css`
    :host {
      font-variant-numeric: tabular-nums;
    }
  `;

  @consume({ context: phoneContext, subscribe: true })
  @state()
  private snapshot?: PhoneSnapshot;

  /** The timer's accessible name, in the widget's language. */
  @property() label = 'Call duration';

  private interval: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // Align ticks to whole seconds of the call, once a second; no faster.
    this.interval = setInterval(() => this.requestUpdate(), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.interval);
  }

  override render() {
    const call = this.snapshot?.call;
    const seconds = call?.connectedAt != null ? (performance.now() - call.connectedAt) / 1000 : 0;
    return html`<time role="timer" aria-label=${this.label}>${formatDuration(seconds)}</time>`;
  }
}
