import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { fill, type Strings } from './strings.js';
import type { TransferNote } from './views/in-call-view.js';

/** The last blind transfer's progress or outcome, shown on that call's screen (the in-call view). */
export class TransferNotes implements ReactiveController {
  note: TransferNote | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly strings: () => Strings,
  ) {
    host.addController(this);
  }

  private readonly onTransfer = (e: Event): void => {
    const { id, target, result } = (e as CustomEvent<{ id: string; target: string; result: string }>).detail;
    const t = this.strings();
    this.show(id, fill(result === 'accepted' ? t.transferred : t.transferFailed, { number: target }));
  };

  hostConnected(): void {
    this.host.addEventListener('transfer', this.onTransfer);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('transfer', this.onTransfer);
  }

  /** The transfer of call `id` to `number` went out. */
  sent(id: string, number: string): void {
    this.show(id, fill(this.strings().transferring, { number }));
  }

  private show(id: string, text: string): void {
    this.note = { id, text };
    this.host.requestUpdate();
  }
}
