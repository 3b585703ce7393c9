import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CONFIG_TOKEN_TTL_MS, envelope, parsePopupMessage, type Command, type DialogConfig, type DialogSnapshot, type HostMessage } from './protocol.js';
import { askHook, type ResolveContact } from '../shared/contact.js';
import { markPopupRunning, openedByThisTab, openPopupWithToken, watchClosed, type TokenedPopup } from './popup-window.js';

/** A popup that has not asked for its configuration by then lost its opener (a Cross-Origin-Opener-Policy). */
const DETACHED_AFTER_MS = 3_000;
/** Why a popup never attaches: the opener severed, or this origin not among the popup page's hosts (it then closes). */
const DETACHED_MESSAGE =
  "the phone window cannot talk to this page (is this page's origin missing from the popup page's voice-widget-host-origins, or a Cross-Origin-Opener-Policy severing the opener?)";

export type DialogState = 'closed' | 'opening' | 'open' | 'blocked' | 'detached';

export interface DialogHostElement extends ReactiveControllerHost, HTMLElement {
  readonly mode: string;
}

export interface DialogHostOptions {
  /** The popup page's URL (absolute). */
  popupUrl(): string;
  /** The configuration to hand the popup (token, server, branding, …). */
  config(): DialogConfig;
  /** Size and title of the popup window. */
  features(): { width: number; height: number };
  /** Reports a problem as the element's `error` event. */
  fail(code: 'popup-blocked' | 'popup-detached', message: string): void;
  /** The element's session id: lifecycle events relayed from the popup carry it, not the popup's own. */
  sessionId(): string;
  /** The popup (the element's panel in dialog mode) opened or closed. */
  panel(open: boolean): void;
  /** The element's caller lookup hook, which the popup's phone asks by message; null when none. */
  resolveContact(): ResolveContact | null;
}

const noop = (): void => {};

/**
 * The host page's side of dialog mode: opens the popup from a user gesture
 * with a single-use config token in the URL fragment, hands the popup its
 * configuration when it redeems that token, forwards commands and
 * configuration changes, and re-fires the popup's events on the element.
 *
 * Trust: a message counts only from the popup's exact origin AND from the
 * popup window itself: the one this page opened, or (after this page was
 * reloaded or navigated) a window whose opener is this very tab.
 */
export class DialogHost implements ReactiveController {
  state: DialogState = 'closed';
  /** The popup's phone as last reported; null while no popup is attached. */
  snapshot: DialogSnapshot | null = null;

  private popup: Window | null = null;
  private attached = false;
  /** Config tokens handed out and not yet redeemed, with their expiry. */
  private readonly tokens = new Map<string, number>();
  /** Commands given before the popup attached; sent once it has. */
  private queue: HostMessage[] = [];
  /** Stops watching for the popup's closing. */
  private stopWatching: () => void = noop;
  private detachTimer: ReturnType<typeof setTimeout> | undefined;
  private closingByHost = false;
  /** Extra configuration for the popup being opened (the number to show). */
  private pendingExtra: DialogConfig = {};
  private reattaching = false;

  constructor(
    private readonly host: DialogHostElement,
    private readonly options: DialogHostOptions,
  ) {
    host.addController(this);
  }

  get isAttached(): boolean {
    return this.attached;
  }

  /** Whether a popup window is open (attached or not yet). */
  get isOpen(): boolean {
    return !!this.popup && !this.popup.closed;
  }

  hostConnected(): void {
    window.addEventListener('message', this.onMessage);
    window.addEventListener('pagehide', this.onPageHide);
  }

  hostDisconnected(): void {
    window.removeEventListener('message', this.onMessage);
    window.removeEventListener('pagehide', this.onPageHide);
    this.stopWatching();
    clearTimeout(this.detachTimer);
  }

  /**
   * Opens the popup (call from a user gesture), or brings the open one to the
   * front. `number` goes into its dial field. False when the browser blocked it.
   */
  open(extra: DialogConfig = {}): boolean {
    if (this.popup && !this.popup.closed) {
      this.popup.focus();
      if (Object.keys(extra).length > 0) this.send({ type: 'update', config: extra });
      return true;
    }
    return this.adopt(openPopupWithToken(this.options.popupUrl(), this.options.features()), extra);
  }

  /**
   * Takes on a popup just opened from a click (by open(), or by the main
   * file's opener before the dialog chunk arrived); null: the browser blocked it.
   */
  adopt(opened: TokenedPopup | null, extra: DialogConfig = {}): boolean {
    if (!opened) {
      this.setState('blocked');
      this.options.fail('popup-blocked', 'the browser blocked the phone window; allow pop-ups for this site, or open it from a click');
      return false;
    }
    // A popup that is already running needs no token: its hello attaches it.
    if (!opened.reused) {
      this.tokens.set(opened.token, Date.now() + CONFIG_TOKEN_TTL_MS);
      this.pendingExtra = extra;
    }
    this.popup = opened.window;
    this.setState('opening');
    this.watch();
    this.expectAttach(opened.window);
    // What was asked for of a running popup waits in the queue until it attaches.
    if (opened.reused && Object.keys(extra).length > 0) this.send({ type: 'update', config: extra });
    this.opened();
    return true;
  }

  private opened(): void {
    this.fire('dialog-open', {});
    this.options.panel(true);
  }

  /** A popup that has not attached in time cannot reach this page (its opener was severed, or it hangs). */
  private expectAttach(popup: Window): void {
    clearTimeout(this.detachTimer);
    this.detachTimer = setTimeout(() => {
      if (this.attached || this.popup !== popup) return;
      this.setState('detached');
      this.options.fail('popup-detached', DETACHED_MESSAGE);
      this.closed('error');
    }, DETACHED_AFTER_MS);
  }

  /** Closes the popup (its call ends). */
  close(): void {
    if (!this.popup || this.popup.closed) return;
    this.closingByHost = true;
    this.popup.close();
  }

  /** Runs a method in the popup; queued until it is attached. False when there is no popup. */
  command(name: Command, args: unknown[]): boolean {
    if (!this.popup || this.popup.closed) return false;
    this.send({ type: 'command', name, args });
    return true;
  }

  /** Forwards configuration changes (a refreshed token, a theme) to the popup. */
  update(config: DialogConfig): void {
    if (this.attached) this.send({ type: 'update', config });
  }

  private send(message: HostMessage): void {
    const popup = this.popup;
    if (!popup) return;
    if (!this.attached && message.type !== 'config') {
      this.queue.push(message);
      return;
    }
    // An explicit target origin: if the popup navigated elsewhere, the browser drops the message.
    popup.postMessage(envelope(message), new URL(this.options.popupUrl()).origin);
  }

  /** A message to this window (public: the main file hands over those that came before the dialog chunk). */
  readonly onMessage = (e: MessageEvent): void => {
    if (this.host.mode !== 'dialog') return;
    let popupOrigin: string;
    try {
      popupOrigin = new URL(this.options.popupUrl()).origin;
    } catch {
      return;
    }
    if (e.origin !== popupOrigin || !e.source) return;
    const message = parsePopupMessage(e.data);
    if (!message) return;
    const source = e.source as Window;
    switch (message.type) {
      case 'redeem': {
        // Only the window this page opened, only once, only in time.
        const expires = this.tokens.get(message.token);
        if (source !== this.popup || expires === undefined) return;
        this.tokens.delete(message.token);
        if (Date.now() > expires) return;
        this.handOver({ ...this.options.config(), ...this.pendingExtra });
        return;
      }
      case 'hello':
        // The popup reloaded, or this page is new and the popup outlived the previous one.
        if (source !== this.popup && !openedByThisTab(source)) return;
        if (source !== this.popup) {
          this.popup = source;
          this.watch();
        }
        this.reattaching = true;
        // A new page may not have its token or server yet: what it lacks, the popup keeps (updates follow).
        this.handOver(definedOnly(this.options.config()));
        return;
      default:
        if (source !== this.popup) return;
    }
    switch (message.type) {
      case 'attached': {
        const first = !this.attached;
        this.attached = true;
        this.snapshot = message.snapshot;
        clearTimeout(this.detachTimer);
        this.setState('open');
        markPopupRunning(true);
        if (first && this.reattaching) this.fire('dialog-attached', { state: message.snapshot.state, calls: message.snapshot.calls });
        this.reattaching = false;
        for (const queued of this.queue.splice(0)) this.send(queued);
        return;
      }
      case 'snapshot':
        this.snapshot = message.snapshot;
        this.host.requestUpdate();
        return;
      case 'contact-request': {
        // The hook runs here, within the timeout; whatever it does, the popup gets a checked answer or none.
        const hook = this.options.resolveContact();
        const asked = hook ? askHook(hook, message.number, message.direction) : Promise.resolve(null);
        void asked.then((contact) => this.send({ type: 'contact', id: message.id, contact: contact ?? null }));
        return;
      }
      case 'event':
        this.snapshot = message.snapshot;
        this.host.requestUpdate();
        // The popup's events, as if this element had fired them (`error` never bubbles); lifecycle
        // events name this element's session, which outlives the popup's reloads.
        this.fire(message.name, ownSession(message.detail, this.options.sessionId()));
        return;
      case 'bye':
        this.detach();
        return;
    }
  };

  private handOver(config: DialogConfig): void {
    this.attached = false;
    this.send({ type: 'config', config });
  }

  /** Watches for the user closing the popup. */
  private watch(): void {
    this.stopWatching();
    this.stopWatching = watchClosed(
      () => this.popup,
      () => {
        const byHost = this.closingByHost;
        this.closingByHost = false;
        // Closed before it ever asked for its configuration: it never had an opener to ask.
        if (!this.attached && this.state === 'opening' && !byHost) {
          clearTimeout(this.detachTimer);
          this.setState('detached');
          this.options.fail('popup-detached', DETACHED_MESSAGE);
          this.closed('error');
          return;
        }
        this.closed(byHost ? 'host' : 'user');
      },
    );
  }

  private closed(reason: 'user' | 'host' | 'error'): void {
    this.stopWatching();
    this.popup = null;
    markPopupRunning(false);
    this.detach();
    if (this.state !== 'detached') this.setState('closed');
    this.fire('dialog-close', { reason });
    this.options.panel(false);
  }

  private detach(): void {
    this.attached = false;
    this.snapshot = null;
    this.queue = [];
    this.host.requestUpdate();
  }

  /** This page is going away: the popup keeps its call and waits for the next page. */
  private onPageHide = (): void => {
    if (this.attached) this.send({ type: 'detach' });
  };

  private setState(state: DialogState): void {
    this.state = state;
    this.host.requestUpdate();
  }

  private fire(name: string, detail: unknown): void {
    const bubbles = name !== 'error';
    this.host.dispatchEvent(new CustomEvent(name, { detail, bubbles, composed: bubbles }));
  }
}

/** The configuration without the values this page has not set. */
function definedOnly(config: DialogConfig): DialogConfig {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== null && value !== undefined && value !== '')) as DialogConfig;
}

/** A relayed detail with `sessionId` (the lifecycle events) re-stamped with this element's session. */
function ownSession(detail: unknown, sessionId: string): unknown {
  if (detail === null || typeof detail !== 'object' || !('sessionId' in detail)) return detail;
  return { ...detail, sessionId };
}
