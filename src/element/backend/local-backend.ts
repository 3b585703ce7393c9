import type { PhoneController } from '../phone-controller.js';
import type { PhoneBackend } from './backend.js';

/** What the local backend changes in the element's UI. */
export interface LocalUi {
  /** Opens or closes the panel and says so (`panel-open`/`panel-close`). */
  setPanelOpen(open: boolean): void;
  /** Puts `number` in the dial field ('' empties it), on the dial pad's screen if `showDialer`. */
  dial(number: string, showDialer: boolean): void;
  /** A transfer of the call on screen was sent. */
  transferSent(number: string): void;
}

/** Spa mode: the phone in this page. */
export class LocalBackend implements PhoneBackend {
  constructor(
    private readonly controller: PhoneController,
    private readonly ui: LocalUi,
  ) {}

  get registrationState() {
    return this.phone.registrationState;
  }

  get calls() {
    return [this.phone.currentCall, this.phone.waitingCall]
      .filter((c): c is NonNullable<typeof c> => !!c && !c.ended)
      .map((c) => ({ id: c.id, state: c.state, direction: c.direction, number: c.number, name: c.remote.name }));
  }

  get volumes() {
    return this.phone.volumes;
  }

  private get phone() {
    return this.controller.phone;
  }

  /** Re-reads the phone after a command (one the far end must confirm too). */
  private refreshed<T>(result: T, always = false): T {
    if (result || always) this.controller.refresh();
    return result;
  }

  call(number: string): boolean {
    const placed = this.phone.call(number);
    if (placed) this.ui.dial('', false);
    return placed;
  }

  answer = (): boolean => this.refreshed(this.phone.answer());
  reject = (): boolean => this.phone.reject();
  hangup = (): boolean => this.phone.hangup();
  sendDtmf = (digits: string): boolean => this.phone.sendDtmf(digits);
  setMuted = (muted: boolean): boolean => this.phone.setMuted(muted);
  setHeld = (held: boolean): boolean => this.refreshed(this.phone.setHeld(held));
  acceptTransfer = (): boolean => this.refreshed(this.phone.acceptTransfer());
  declineTransfer = (): boolean => this.refreshed(this.phone.declineTransfer());
  selectOutboundNumber = (number: string | null): boolean => this.refreshed(this.phone.selectOutboundNumber(number), true);
  setDnd = (on: boolean): boolean => this.refreshed(this.phone.setDnd(on), true);
  setVolume = (kind: 'ring' | 'call', level: number): boolean => this.refreshed(this.phone.setVolume(kind, level), true);
  merge = (): boolean => this.refreshed(this.phone.merge());
  split = (): boolean => this.refreshed(this.phone.split());
  startRecording = (): boolean => this.refreshed(this.phone.startRecording());
  stopRecording = (): boolean => this.refreshed(this.phone.stopRecording());
  isMuted = (): boolean => this.phone.muted;
  isOnHold = (): boolean => this.phone.onHold;
  isReady = (): boolean => this.phone.ready;
  getCallStats = (id: string) => this.phone.getCallStats(id);
  getState = () => this.phone.state;

  transfer(number: string): boolean {
    const sent = this.refreshed(this.phone.transfer(number));
    if (sent) this.ui.transferSent(number);
    return sent;
  }

  clearHistory(): void {
    this.phone.history?.clear();
    this.controller.refresh();
  }

  reset(): void {
    this.phone.reset();
    this.controller.refresh();
  }

  show(number?: string): boolean {
    this.ui.setPanelOpen(true);
    if (number !== undefined) this.ui.dial(String(number), true);
    return true;
  }

  hide(): void {
    this.ui.setPanelOpen(false);
  }

  setOpen(open: boolean): boolean {
    return open;
  }

  /** What cannot be dialled now waits in the dial field. */
  callFromPage(number: string): void {
    if (this.call(number)) this.ui.setPanelOpen(true);
    else this.show(number);
  }
}
