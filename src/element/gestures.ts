import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PhoneSnapshot } from './phone-context.js';

/** The element's commands that keys and clicks run. */
interface GestureCommands {
  answer(): boolean;
  reject(): boolean;
  hangup(): boolean;
  mute(): boolean;
  unmute(): boolean;
  hold(): boolean;
  unhold(): boolean;
  sendDtmf(digits: string): boolean;
  enableAudio(): Promise<boolean>;
}

/**
 * The user's keys and clicks anywhere in the widget: the Alt+Shift shortcuts,
 * digits as DTMF on a connected call, and any click as the gesture that lets
 * held-back sound play. The host adds it as its controller.
 */
export class UserGestures implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement & GestureCommands,
    private readonly snapshot: () => PhoneSnapshot,
  ) {}

  /** Any click in the widget is a user gesture: if the browser held sound back, it may play now. */
  private readonly onClick = (): void => {
    if (this.snapshot().audioBlocked) void this.host.enableAudio();
  };

  /** On a connected call, digits typed anywhere in the widget are sent as DTMF (not into a text field). */
  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.repeat) return;
    const host = this.host;
    const call = this.snapshot().call;
    // Shortcuts, while the focus is in the widget: Alt+Shift+A answer, +H hang up or decline, +M mute, +P hold.
    if (e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey) {
      const shortcut: Record<string, () => unknown> = {
        KeyA: () => host.answer(),
        KeyH: () => (call?.state === 'incoming' ? host.reject() : host.hangup()),
        KeyM: () => (call?.muted ? host.unmute() : host.mute()),
        KeyP: () => (call?.held.local ? host.unhold() : host.hold()),
      };
      const action = shortcut[e.code];
      if (action) {
        e.preventDefault();
        action();
      }
      return;
    }
    if (call?.state !== 'in-progress' || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.composedPath()[0] instanceof HTMLInputElement) return;
    if (/^[0-9*#]$/.test(e.key)) {
      e.preventDefault();
      host.sendDtmf(e.key);
    }
  };

  hostConnected(): void {
    this.host.addEventListener('keydown', this.onKeydown);
    this.host.addEventListener('click', this.onClick);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('keydown', this.onKeydown);
    this.host.removeEventListener('click', this.onClick);
  }
}
