import { EarlyMessages } from '../shared/early-messages.js';
import { LazyPart, loadFailure } from '../shared/lazy-part.js';
import { loadChunk } from '../shared/lazy-chunks.js';
import type { BridgeTarget } from './frame-bridge.js';
import { BRIDGE_EVENTS, RATE_BURST } from './protocol.js';

/** The element's events kept before the chunk (a page's start fires a handful). */
const EARLY_EVENTS = 16;

/**
 * The iframe bridge from the main file: the bridge itself is the `bridge`
 * lazy chunk, loaded once `bridge-origins` is set in a frame. Messages from
 * the parent that arrive before it are kept (at most a burst's worth: the
 * bridge's rate limit would drop more) and handed to it, so they are answered;
 * so are the element's events of that time (`ready` comes early), which it relays.
 */
export class LazyFrameBridge {
  private origins: string | null = null;
  private events: Event[] = [];
  private readonly messages = new EarlyMessages((e) => e.source === window.parent, RATE_BURST);
  private readonly part = new LazyPart(
    () => loadChunk('bridge').then(({ FrameBridge }) => new FrameBridge(this.host, this.fail)),
    (bridge) => {
      bridge.setOrigins(this.origins);
      for (const name of BRIDGE_EVENTS) this.host.removeEventListener(name, this.keepEvent);
      for (const e of this.events.splice(0)) bridge.onEvent(e);
      this.messages.drain(bridge.onMessage);
    },
  );

  constructor(
    private readonly host: BridgeTarget,
    private readonly fail: (code: 'invalid-attribute' | 'chunk-failed', message: string) => void,
  ) {}

  private keepEvent = (e: Event): void => void (this.events.length < EARLY_EVENTS && this.events.push(e));

  /** The `bridge-origins` attribute changed. */
  setOrigins(value: string | null): void {
    this.origins = value;
    if (this.part.value) return this.part.value.setOrigins(value);
    if (!value?.trim() || window.parent === window) return;
    if (!this.part.loading) for (const name of BRIDGE_EVENTS) this.host.addEventListener(name, this.keepEvent);
    this.messages.start();
    // A failed load (a 404, a CSP block) is reported; what was kept waits for the next `bridge-origins` change.
    if (!this.part.loading) this.part.load().catch((err: unknown) => this.fail('chunk-failed', loadFailure(err)));
  }
}
