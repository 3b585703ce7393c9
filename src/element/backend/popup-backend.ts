import type { ReactiveControllerHost } from 'lit';
import { DialogHost, type DialogHostElement, type DialogHostOptions, type DialogState } from '../../dialog/dialog-host.js';
import type { Command, DialogConfig } from '../../dialog/protocol.js';
import type { TokenedPopup } from '../../dialog/popup-window.js';
import { normalizeDialString } from '../../core/dial-string.js';
import type { RegistrationState, WidgetState } from '../../core/types.js';
import type { PhoneBackend } from './backend.js';
import { ForwardingBackend } from './forwarding.js';

export interface PopupBackendOptions extends DialogHostOptions {
  /** The SIP domain numbers are checked against before the popup opens. */
  domain(): string;
  fail(code: 'popup-blocked' | 'popup-detached' | 'invalid-number' | 'chunk-failed', message: string): void;
}

/**
 * Dialog mode: the phone runs in a popup window; commands go there and come
 * back as events. The one module that loads the dialog host.
 */
export class PopupBackend extends ForwardingBackend implements PhoneBackend {
  private readonly dialog: DialogHost;

  constructor(
    host: DialogHostElement & ReactiveControllerHost,
    private readonly options: PopupBackendOptions,
  ) {
    super();
    this.dialog = new DialogHost(host, options);
  }

  /** The popup window's state, for the launcher. */
  get state(): DialogState {
    return this.dialog.state;
  }

  get registrationState(): RegistrationState {
    return (this.dialog.snapshot?.registrationState as RegistrationState | undefined) ?? 'unregistered';
  }

  get calls() {
    return this.dialog.snapshot?.calls ?? [];
  }

  get volumes() {
    return this.dialog.snapshot?.volumes ?? null;
  }

  /** A popup the main file opened in a click before this chunk arrived (null: blocked). */
  adopt(opened: TokenedPopup | null, extra: DialogConfig): boolean {
    return this.dialog.adopt(opened, extra);
  }

  /** Messages that came before this chunk, in order. */
  receive(e: MessageEvent): void {
    this.dialog.onMessage(e);
  }

  /** Forwards configuration changes to the popup. */
  update(config: Parameters<DialogHost['update']>[0]): void {
    this.dialog.update(config);
  }

  protected run(name: Command, ...args: unknown[]): boolean {
    return this.dialog.command(name, args);
  }

  /** True when the popup was opened (from a user gesture) or reused and dials there. */
  call(number: string): boolean {
    if (normalizeDialString(String(number), this.options.domain()) === null) {
      this.options.fail('invalid-number', `cannot dial ${JSON.stringify(String(number).slice(0, 100))}`);
      return false;
    }
    if (!this.dialog.isAttached && !this.dialog.open()) return false;
    return this.run('call', number);
  }

  runPreflight = (): boolean => this.run('runPreflight');
  isMuted = (): boolean => this.dialog.snapshot?.muted ?? false;
  isOnHold = (): boolean => this.dialog.snapshot?.onHold ?? false;
  isReady = (): boolean => this.dialog.snapshot?.ready ?? false;
  getCallStats = (id: string) => this.dialog.snapshot?.callStats?.[id] ?? null;
  /** `loading` while no popup is attached. */
  getState = (): WidgetState => (this.dialog.snapshot?.state as WidgetState | undefined) ?? 'loading';

  show(number?: string): boolean {
    return this.dialog.open(number ? { number } : {});
  }

  /** Closes the popup window; it hangs up its call first. */
  hide(): void {
    this.dialog.close();
  }

  /** `open` set by the host opens or closes the popup; the browser blocks an opening outside a user gesture. */
  setOpen(open: boolean): boolean {
    if (open === this.dialog.isOpen) return open;
    if (open) return this.dialog.open();
    this.dialog.close();
    return false;
  }

  callFromPage(number: string): void {
    this.call(number);
  }
}
