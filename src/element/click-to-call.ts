import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What turns into a call: `tel:` links, and any element that names a number in `data-phone`. */
const TARGET = 'a[href^="tel:" i], [data-phone]';
/** Controls with a job of their own: a click on one inside a `[data-phone]` row or card is theirs, not a call. */
const CONTROL =
  'a[href], button, input, select, textarea, label, summary, [contenteditable], [role="button"], [role="link"], [role="checkbox"], [role="menuitem"]';
/** Marks a part of the page where click-to-call stays out. */
const OPT_OUT = '[data-no-click-to-call]';

/**
 * Click-to-call: while enabled, clicks on `tel:` links and `[data-phone]`
 * elements anywhere in the page (in open shadow roots too, and on elements
 * added later: one listener on the document sees them all) become calls
 * through the widget instead of whatever the browser would do with them.
 */
export class ClickToCall implements ReactiveController {
  private enabled = false;
  private connected = false;
  private listening = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** Places the call; runs inside the click, so dialog mode may open its popup. */
    private readonly dial: (number: string) => void,
  ) {
    host.addController(this);
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.sync();
  }

  hostConnected(): void {
    this.connected = true;
    this.sync();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.sync();
  }

  private sync(): void {
    const want = this.enabled && this.connected;
    if (want === this.listening) return;
    this.listening = want;
    // Capture: a tel: link's default must be stopped before the page's own bubbling handlers see a call that is ours.
    if (want) document.addEventListener('click', this.onClick, true);
    else document.removeEventListener('click', this.onClick, true);
  }

  private onClick = (e: MouseEvent): void => {
    // The page handled it already, or the user asked for something else (new tab, a menu).
    if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    const path = e.composedPath();
    // Clicks inside the widget itself are its own business.
    if (path.includes(this.host)) return;
    const elements = path.filter((n): n is Element => n instanceof Element);
    const target = elements.find((n) => n.matches(TARGET));
    if (!target || elements.some((n) => n.matches(OPT_OUT))) return;
    // The nearest control must be the phone element itself (a Call button or a tel: link), or none at all.
    const control = elements.find((n) => n.matches(CONTROL));
    if (control && control !== target && elements.indexOf(control) < elements.indexOf(target)) return;
    const number = numberOf(target);
    if (number === null) return;
    e.preventDefault();
    this.dial(number);
  };
}

/** The number an element names: `data-phone` first, else the `tel:` link's number without its parameters. */
export function numberOf(el: Element): string | null {
  const data = el.getAttribute('data-phone');
  if (data !== null) return data.trim() || null;
  const href = el.getAttribute('href') ?? '';
  const match = /^tel:([^;?#]*)/i.exec(href.trim());
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]).trim() || null;
  } catch {
    return null; // A malformed escape: not a number we can read.
  }
}
