import type { Phone } from '../core/phone.js';

/** How long the first full render may wait for the phone's first registration (not a pause a person notices). */
export const FIRST_RENDER_WAIT_MS = 100;

/**
 * The first render's hold (docs/performance.md): the element's first update
 * checks the attributes and, with a token and a server, builds the phone and
 * creates its WebSocket; its full render then waits until the first
 * registration settles (registered, failed, …) or FIRST_RENDER_WAIT_MS, so the
 * handshake and the REGISTER exchange do not queue behind the render's
 * main-thread work. Null when the phone is not connecting (nothing to wait for).
 */
export function firstRegistrationSettled(phone: Phone): Promise<void> | null {
  if (phone.registrationState !== 'connecting') return null;
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, FIRST_RENDER_WAIT_MS);
    const off = phone.on('registration-change', ({ state }) => void (state !== 'connecting' && done()));
  });
}

/** The element's side: holds its first full render (it renders nothing meanwhile) and releases it. */
export class FirstRenderHold {
  private held: Promise<void> | null = null;
  /** Whether the full render has happened (`widget-load` fires then). */
  private done = false;

  constructor(private readonly host: { requestUpdate(): void }) {}

  get holding(): boolean {
    return this.held !== null;
  }

  /** From the first update, once the attributes are checked and the phone configured (so it may be connecting). */
  hold(phone: Phone): void {
    const settled = firstRegistrationSettled(phone);
    if (settled)
      this.held = settled.then(() => {
        this.held = null;
        this.host.requestUpdate();
      });
  }

  /** True once, after the first full render. */
  firstFullRender(): boolean {
    if (this.done || this.held) return false;
    return (this.done = true);
  }

  /** Settles when no hold is left (the element's updateComplete waits for it). */
  async released(): Promise<void> {
    while (this.held) await this.held;
  }
}
