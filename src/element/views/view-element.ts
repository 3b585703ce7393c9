import { LitElement } from 'lit';
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
}
