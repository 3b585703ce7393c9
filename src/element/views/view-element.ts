import { LitElement, type CSSResult } from 'lit';
import { consume } from '@lit/context';
import { property, state } from 'lit/decorators.js';
import { phoneContext, type PhoneSnapshot } from '../phone-context.js';
import { actionsContext, type PhoneActions } from '../phone-actions.js';
import { stringsFor, type Strings } from '../strings.js';

/**
 * A part of the panel. It renders into the root's shadow root (no shadow root
 * of its own), so themes' `[part~=…]` and `#webrtc-widget` rules, the root's
 * styles and id references (`for`, `aria-labelledby`) reach it as before.
 */
export abstract class ViewElement extends LitElement {
  /**
   * A view of a lazy chunk brings its own sheets (the root's styles hold only the main file's views): added to
   * the root's shadow root, after the sheets there, when the view is first connected to it.
   */
  static viewStyles: readonly CSSResult[] = [];

  @consume({ context: phoneContext, subscribe: true })
  @state()
  protected snapshot?: PhoneSnapshot;

  @consume({ context: actionsContext })
  protected actions?: PhoneActions;

  /** The words in use (the root's language and overrides). */
  @property({ attribute: false }) t: Strings = stringsFor(null, null);

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const root = this.getRootNode();
    const sheets = (this.constructor as typeof ViewElement).viewStyles.map((s) => s.styleSheet).filter((s) => s !== undefined);
    if (root instanceof ShadowRoot && sheets.some((s) => !root.adoptedStyleSheets.includes(s)))
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, ...sheets.filter((s) => !root.adoptedStyleSheets.includes(s))];
  }
}
