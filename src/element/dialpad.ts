import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';

const KEYS: ReadonlyArray<readonly [string, string]> = [
  ['1', ''],
  ['2', 'ABC'],
  ['3', 'DEF'],
  ['4', 'GHI'],
  ['5', 'JKL'],
  ['6', 'MNO'],
  ['7', 'PQRS'],
  ['8', 'TUV'],
  ['9', 'WXYZ'],
  ['*', ''],
  ['0', '+'],
  ['#', ''],
];

/**
 * The twelve-key pad, used for dialling and for DTMF. Internal to
 * `<voice-widget>`: it fires a non-composed `vw-digit` event and knows nothing
 * of calls. With `allow-plus`, a long press on 0 gives `+`.
 *
 * @fires vw-digit - `{digit}` when a key is pressed.
 * @csspart key - each key.
 */
export class VoiceWidgetDialpad extends LitElement {
  static override styles = css`
    :host {
      /* Keypads read 1 2 3 left to right in every language. */
      direction: ltr;
      display: grid;
      grid-template-columns: repeat(3, 1fr);
      gap: 6px 10px;
      justify-items: center;
    }
    button {
      width: 52px;
      height: 40px;
      border-radius: 22px;
      border: none;
      background: transparent;
      color: var(--_text-high-contrast);
      font: inherit;
      font-size: 20px;
      line-height: 1;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      cursor: pointer;
    }
    button:hover {
      background: var(--_bg-hover);
    }
    button:active {
      background: var(--_bg-pressed);
    }
    button:focus-visible {
      outline: 2px solid var(--_bg-border-active);
      outline-offset: 1px;
    }
    small {
      font-size: 9px;
      letter-spacing: 0.08em;
      color: var(--_text-low-contrast);
      min-height: 10px;
    }
  `;

  /** Whether a long press on 0 gives `+` (dialling yes; DTMF has no `+`). */
  @property({ type: Boolean, attribute: 'allow-plus' }) allowPlus = false;

  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  private heldPlus = false;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.holdTimer);
  }

  private press(digit: string): void {
    this.dispatchEvent(new CustomEvent('vw-digit', { detail: { digit } }));
  }

  private onPointerDown(digit: string): void {
    if (digit !== '0' || !this.allowPlus) return;
    this.heldPlus = false;
    this.holdTimer = setTimeout(() => {
      this.heldPlus = true;
      this.press('+');
    }, 600);
  }

  private onClick(digit: string): void {
    clearTimeout(this.holdTimer);
    if (this.heldPlus) {
      this.heldPlus = false;
      return;
    }
    this.press(digit);
  }

  override render() {
    return KEYS.map(
      ([digit, letters]) => html`<button
        type="button"
        part="key"
        @pointerdown=${() => this.onPointerDown(digit)}
        @pointerleave=${() => clearTimeout(this.holdTimer)}
        @click=${() => this.onClick(digit)}
      >
        ${digit}<small aria-hidden="true">${digit === '0' && !this.allowPlus ? '' : letters}</small>
      </button>`,
    );
  }
}
