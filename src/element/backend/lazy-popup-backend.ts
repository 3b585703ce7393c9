import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DialogHostElement, DialogState } from '../../dialog/dialog-host.js';
import { openPopupWithToken, type TokenedPopup } from '../../dialog/popup-window.js';
import type { DialogConfig } from '../../dialog/protocol.js';
import { normalizeDialString } from '../../core/dial-string.js';
import type { QualitySample } from '../../core/quality/stats-sample.js';
import type { RegistrationState, WidgetState } from '../../core/types.js';
import { EarlyMessages } from '../../shared/early-messages.js';
import { LazyPart, loadFailure } from '../../shared/lazy-part.js';
import { loadChunk } from '../../shared/lazy-chunks.js';
import type { PhoneBackend } from './backend.js';
import type { PopupBackend, PopupBackendOptions } from './popup-backend.js';

/** Popup messages kept while the dialog chunk loads (a redeem and a hello are all a new popup sends). */
const EARLY_MESSAGES = 16;

/**
 * Dialog mode from the main file: the popup backend (and the dialog host it
 * loads) is the `dialog` lazy chunk, fetched as soon as `mode="dialog"` is
 * set. A click that comes before it arrives still opens the popup in that
 * click (window.open must run inside the user gesture): the window is opened
 * here, what is asked of it is kept, and the chunk takes both over (with the
 * popup's first messages) when it arrives.
 */
export class LazyPopupBackend implements PhoneBackend, ReactiveController {
  private readonly part = new LazyPart(
    () => loadChunk('dialog').then(({ PopupBackend }) => new PopupBackend(this.host, this.options)),
    (real) => this.takeOver(real),
  );
  /** The popup opened before the chunk arrived. */
  private early: { opened: TokenedPopup; extra: DialogConfig } | null = null;
  /** What was asked before the chunk arrived, run on it in order. */
  private pending: ((real: PopupBackend) => void)[] = [];
  /** Whether the prefetch was tried: after a failed load only the user's next opening tries again. */
  private prefetched = false;
  private readonly messages = new EarlyMessages((e) => this.fromPopupOrigin(e), EARLY_MESSAGES);

  constructor(
    private readonly host: DialogHostElement & ReactiveControllerHost,
    private readonly options: PopupBackendOptions,
  ) {
    host.addController(this);
  }

  get registrationState(): RegistrationState {
    return this.part.value?.registrationState ?? 'unregistered';
  }

  get calls() {
    return this.part.value?.calls ?? [];
  }

  get volumes() {
    return this.part.value?.volumes ?? null;
  }

  /** The popup window's state, for the launcher. */
  get state(): DialogState {
    return this.part.value?.state ?? (this.early ? 'opening' : 'closed');
  }

  /** Prefetch: the chunk loads as soon as the element is in dialog mode. */
  hostUpdate(): void {
    if (this.host.mode !== 'dialog' || this.prefetched) return;
    this.prefetched = true;
    this.load();
  }

  /**
   * Loads the chunk (once at a time). A failure (a 404, a CSP block) is the element's `error`
   * `chunk-failed`; the early popup, the kept commands and messages stay for the next try.
   */
  private load(): void {
    if (this.part.loading) return;
    this.part.load().catch((err: unknown) => this.options.fail('chunk-failed', loadFailure(err)));
  }

  private takeOver(real: PopupBackend): void {
    if (this.early) real.adopt(this.early.opened, this.early.extra);
    this.early = null;
    this.messages.drain((e) => real.receive(e));
    for (const run of this.pending.splice(0)) run(real);
    this.host.requestUpdate();
  }

  private fromPopupOrigin(e: MessageEvent): boolean {
    try {
      return e.origin === new URL(this.options.popupUrl()).origin;
    } catch {
      return false;
    }
  }

  /** Opens the popup now, in this click (the chunk is not here yet); false when the browser blocked it. */
  private openEarly(extra: DialogConfig): boolean {
    if (this.early) {
      this.load(); // after a failed load: this opening tries again
      return true;
    }
    const opened = openPopupWithToken(this.options.popupUrl(), this.options.features());
    // Blocked: the chunk reports it, as it reports its own blocked openings.
    if (!opened) this.pending.push((real) => real.adopt(null, extra));
    else {
      this.early = { opened, extra };
      this.messages.start();
      this.host.requestUpdate(); // the launcher shows `opening`; dialog-open fires when the chunk takes the popup over
    }
    this.load();
    return !!opened;
  }

  /** A command for the popup: run now, kept for the chunk while an early popup opens, or false (no popup). */
  private command(run: (real: PopupBackend) => boolean): boolean {
    const real = this.part.value;
    if (real) return run(real);
    if (!this.early) return false;
    this.pending.push(run);
    return true;
  }

  call(number: string): boolean {
    if (this.part.value) return this.part.value.call(number);
    if (normalizeDialString(String(number), this.options.domain()) === null) {
      this.options.fail('invalid-number', `cannot dial ${JSON.stringify(String(number).slice(0, 100))}`);
      return false;
    }
    return this.openEarly({}) && this.command((real) => real.call(number));
  }

  show(number?: string): boolean {
    return this.part.value ? this.part.value.show(number) : this.openEarly(number ? { number } : {});
  }

  setOpen(open: boolean): boolean {
    if (this.part.value) return this.part.value.setOpen(open);
    if (open) return this.openEarly({});
    this.command((real) => real.setOpen(false));
    return false;
  }

  hide(): void {
    this.command((real) => (real.hide(), true));
  }

  callFromPage(number: string): void {
    this.call(number);
  }

  answer = (): boolean => this.command((real) => real.answer());
  reject = (): boolean => this.command((real) => real.reject());
  hangup = (): boolean => this.command((real) => real.hangup());
  sendDtmf = (digits: string): boolean => this.command((real) => real.sendDtmf(digits));
  setMuted = (muted: boolean): boolean => this.command((real) => real.setMuted(muted));
  setHeld = (held: boolean): boolean => this.command((real) => real.setHeld(held));
  transfer = (number: string): boolean => this.command((real) => real.transfer(number));
  acceptTransfer = (): boolean => this.command((real) => real.acceptTransfer());
  declineTransfer = (): boolean => this.command((real) => real.declineTransfer());
  selectOutboundNumber = (number: string | null): boolean => this.command((real) => real.selectOutboundNumber(number));
  clearHistory = (): void => void this.command((real) => (real.clearHistory(), true));
  reset = (): void => void this.command((real) => (real.reset(), true));
  setDnd = (on: boolean): boolean => this.command((real) => real.setDnd(on));
  setVolume = (kind: 'ring' | 'call', level: number): boolean => this.command((real) => real.setVolume(kind, level));
  runPreflight = (): boolean => this.command((real) => real.runPreflight());
  merge = (): boolean => this.command((real) => real.merge());
  split = (): boolean => this.command((real) => real.split());
  startRecording = (): boolean => this.command((real) => real.startRecording());
  stopRecording = (): boolean => this.command((real) => real.stopRecording());
  isMuted = (): boolean => this.part.value?.isMuted() ?? false;
  isOnHold = (): boolean => this.part.value?.isOnHold() ?? false;
  isReady = (): boolean => this.part.value?.isReady() ?? false;
  getState = (): WidgetState => this.part.value?.getState() ?? 'loading';
  getCallStats = (id: string): QualitySample | null => this.part.value?.getCallStats(id) ?? null;

  /** Forwards configuration changes to the popup (none is attached before the chunk arrives). */
  update(config: DialogConfig): void {
    this.part.value?.update(config);
  }
}
