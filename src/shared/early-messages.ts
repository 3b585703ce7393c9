/**
 * Messages to this window that arrive before the chunk that handles them:
 * kept (those `accept` takes, at most `max`), then handed to the chunk in the
 * order they came. Bounded, so a flood while the chunk loads costs no memory.
 */
export class EarlyMessages {
  private kept: MessageEvent[] = [];
  private listening = false;

  constructor(
    private readonly accept: (e: MessageEvent) => boolean,
    private readonly max: number,
  ) {}

  start(): void {
    if (this.listening) return;
    this.listening = true;
    window.addEventListener('message', this.keep);
  }

  /** Stops keeping; hands what was kept to `handler` (the chunk's own listener is on by now). */
  drain(handler: (e: MessageEvent) => void): void {
    window.removeEventListener('message', this.keep);
    this.listening = false;
    for (const e of this.kept.splice(0)) handler(e);
  }

  private keep = (e: MessageEvent): void => {
    if (this.kept.length < this.max && this.accept(e)) this.kept.push(e);
  };
}
