import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LazyPart, loadFailure } from '../shared/lazy-part.js';
import { loadChunk } from '../shared/lazy-chunks.js';
import type { PhoneController } from '../element/phone-controller.js';
import type { PhoneSnapshot } from '../element/phone-context.js';
import type { PhoneBackend } from '../element/backend/backend.js';
import type { LocalUi } from '../element/backend/local-backend.js';
import type { TabLink } from './tab-link.js';
import { canShareTabs, withHandled } from './tab-support.js';

export type MultiTab = 'shared' | 'off';

export interface TabLinkHooks {
  /** The panel and dial field of this tab (a follower's UI is its own). */
  ui: LocalUi;
  /** Runs one of the element's commands (in the leader, for a follower). */
  run(name: string, args: unknown[]): void;
  /** The element's own token. */
  token(): string | null;
  fail(code: 'invalid-number', message: string): void;
  /** The `tabs` chunk could not load: this tab keeps a phone of its own. */
  warn(message: string): void;
}

/**
 * Multi-tab from the main file: the election and the follower are the `tabs`
 * lazy chunk (src/multi-tab/tab-link.ts), loaded once a shared phone has a
 * user and a server. Until it has decided, this tab's phone stays off the
 * network; if it cannot load, the tab keeps a phone of its own (`multi-tab="off"`).
 */
export class LazyTabs implements ReactiveController {
  private sharing = false;
  private failed = false;
  private connected = false;
  private leaveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly part = new LazyPart<TabLink>(
    () => loadChunk('tabs').then(({ TabLink }) => new TabLink(this.host, this.controller, this.hooks)),
    () => this.host.requestUpdate(),
  );

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly controller: PhoneController,
    private readonly hooks: TabLinkHooks,
  ) {
    host.addController(this);
    controller.tap = this.tap;
  }

  /** Whether this tab's phone may go on the network: not shared, or this tab leads. */
  get leading(): boolean {
    return !this.sharing || !!this.part.value?.leading;
  }

  /** A follower's backend (commands to the leader's tab), or null. */
  get follower(): PhoneBackend | null {
    return this.part.value?.following ? this.part.value.backend : null;
  }

  hostConnected(): void {
    // A move in the DOM disconnects and reconnects at once: the tab keeps its place.
    clearTimeout(this.leaveTimer);
    this.connected = true;
    this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.leaveTimer = setTimeout(() => this.part.value?.leave(), 0);
  }

  /** Before each configuration: shared (spa mode, `multi-tab="shared"`, a browser that can) or not. */
  want(shared: boolean): void {
    this.sharing = shared && !this.failed && canShareTabs();
    this.controller.shared = this.sharing;
    this.controller.phone.sharedInstance = this.sharing;
  }

  /** After each configuration: joins the election of this user and server, or leaves it. */
  update(server: string | null, token: string | null): void {
    const name = this.sharing && this.connected && server && this.controller.phone.identity ? server : '';
    if (this.part.value) return this.part.value.update(name && server, token);
    if (!name) return;
    this.part.load().catch((err: unknown) => {
      this.failed = true;
      this.hooks.warn(`multi-tab is off in this tab: ${loadFailure(err)}`);
      this.host.requestUpdate();
    });
  }

  /** The event detail this tab fires (and, leading, sends to the others). */
  readonly tap = (type: string, detail: unknown): unknown => (this.part.value ? this.part.value.tap(type, detail) : withHandled(type, detail, true));

  readonly published = (snapshot: PhoneSnapshot): void => this.part.value?.published(snapshot);

  /** A follower: make this tab the one that holds the phone (between calls). */
  claim(): boolean {
    return this.part.value?.claim() ?? false;
  }
}
