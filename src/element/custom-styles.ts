import { html, nothing } from 'lit';

/** How long custom styles may take to load before the widget says so and keeps its own look. */
const STYLES_TIMEOUT_MS = 10_000;

/**
 * The `custom-styles` sheet, loaded by a `<link>` into the shadow root beside
 * the widget's own styles. A failure or a hang gives it up: the widget keeps
 * its own look and `giveUp` says why (the root fires `warning`).
 */
export class CustomStyles {
  private url: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly giveUp: (message: string) => void) {}

  /** Starts loading `url` (null: none); returns it, the URL in use. */
  watch(url: string | null): string | null {
    clearTimeout(this.timer);
    this.url = url;
    if (url) this.timer = setTimeout(() => this.failed(url, `custom-styles did not load within ${STYLES_TIMEOUT_MS / 1000} s`), STYLES_TIMEOUT_MS);
    return url;
  }

  /** The `<link>` of the sheet in use, or nothing. */
  link(url: string | null) {
    if (!url) return nothing;
    return html`<link
      rel="stylesheet"
      href=${url}
      @load=${() => this.loaded(url)}
      @error=${() => this.failed(url, `custom-styles could not be loaded from ${url}`)}
    />`;
  }

  private loaded(url: string): void {
    if (url === this.url) clearTimeout(this.timer);
  }

  private failed(url: string, message: string): void {
    if (url !== this.url) return;
    clearTimeout(this.timer);
    this.url = null;
    this.giveUp(message);
  }
}
