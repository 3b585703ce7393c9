import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallReceivedDetail, StateChangeDetail } from '../core/types.js';
import { readStorage, writeStorage } from '../shared/storage.js';

const STORAGE_KEY = 'voice-widget:notifications';

export type NotificationSupport = 'unsupported' | 'default' | 'granted' | 'denied';

/**
 * Desktop notifications of incoming calls, opt-in. Permission is asked only
 * from the user's own click on the setting; a notification shows while the
 * page is hidden or unfocused, carries the caller's name as plain text (the
 * Notifications API renders no markup) and closes when the call stops ringing.
 */
export class IncomingNotifier implements ReactiveController {
  private shown = new Map<string, Notification>();
  private wanted = readPreference();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & { toggle(force?: boolean): void },
    private readonly title: () => string,
  ) {
    host.addController(this);
  }

  /** Whether the user turned notifications on, and the browser allows them. */
  get enabled(): boolean {
    return this.wanted && this.support === 'granted';
  }

  get support(): NotificationSupport {
    return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
  }

  /** Turns notifications on or off; turning them on asks for permission, so call it from a click. */
  async setEnabled(on: boolean): Promise<boolean> {
    if (on && this.support === 'default') await Notification.requestPermission();
    this.wanted = on && this.support === 'granted';
    writePreference(this.wanted);
    this.host.requestUpdate();
    return this.wanted;
  }

  hostConnected(): void {
    this.host.addEventListener('call-received', this.onReceived);
    this.host.addEventListener('state-change', this.onStateChange);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('call-received', this.onReceived);
    this.host.removeEventListener('state-change', this.onStateChange);
    for (const id of [...this.shown.keys()]) this.close(id);
  }

  private onReceived = (e: Event): void => {
    const { id, from, replaces } = (e as CustomEvent<CallReceivedDetail>).detail;
    // A page in front of the user already shows the call; a replacing call (attended transfer) never rings.
    if (replaces || !this.enabled || (document.visibilityState === 'visible' && document.hasFocus())) return;
    const body = from.name === from.address ? from.address : `${from.name}\n${from.address.replace(/^sips?:/, '')}`;
    let notification: Notification;
    try {
      // The phone rings already: a silent notification, kept until the call is answered or gone.
      notification = new Notification(this.title(), { body, tag: `voice-widget-${id}`, requireInteraction: true, silent: true });
    } catch {
      return; // Some browsers allow notifications only from a service worker.
    }
    notification.onclick = () => {
      window.focus();
      this.host.toggle(true);
      this.close(id);
    };
    this.shown.set(id, notification);
  };

  private onStateChange = (e: Event): void => {
    const { id, state } = (e as CustomEvent<StateChangeDetail>).detail;
    if (id && state !== 'incoming') this.close(id);
  };

  private close(id: string): void {
    this.shown.get(id)?.close();
    this.shown.delete(id);
  }
}

function readPreference(): boolean {
  return readStorage('local', STORAGE_KEY) === 'on';
}

function writePreference(on: boolean): void {
  // No storage: the choice lasts for this page.
  writeStorage('local', STORAGE_KEY, on ? 'on' : null);
}
