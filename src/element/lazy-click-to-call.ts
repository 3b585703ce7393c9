import type { ReactiveControllerHost } from 'lit';
import { LazyPart } from '../shared/lazy-part.js';
import { loadChunk } from '../shared/lazy-chunks.js';

/** Click-to-call from the main file: the `click-to-call` lazy chunk, loaded when the attribute is first set. */
export class LazyClickToCall {
  private enabled = false;
  private readonly part = new LazyPart(
    () => loadChunk('click-to-call').then(({ ClickToCall }) => new ClickToCall(this.host, this.dial)),
    (links) => links.setEnabled(this.enabled),
  );

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** Places the call; runs inside the click, so dialog mode may open its popup. */
    private readonly dial: (number: string) => void,
  ) {}

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (this.part.value) this.part.value.setEnabled(enabled);
    else if (enabled) void this.part.load();
  }
}
