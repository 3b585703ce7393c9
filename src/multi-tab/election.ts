/**
 * Which tab holds the phone: the one holding an exclusive Web Lock named for
 * the user and server. The others queue for it, so when the leader closes
 * (its document goes, the lock with it) the next in line leads at once. A
 * frozen leader keeps its lock: a follower then `steal`s it, and the stale
 * leader learns it when it wakes (its lock request rejects) and stands down.
 *
 * Each tab also holds a lock of its own for its life (`<name>:tab:<id>`): the
 * other tabs check a claimed tab id against the locks held in the browser.
 */

export interface ElectionHooks {
  /** This tab now holds the leader lock. */
  lead(): void;
  /** This tab lost it (stolen while frozen, or handed over): stand down, without unregistering. */
  follow(): void;
}

/** A lock request the browser refused (not aborted) is asked again after this long. */
const REFUSED_RETRY_MS = 1000;

export class TabElection {
  leading = false;
  private stopped = false;
  /** Aborts the queued request (not the held lock: that is released by `release`). */
  private queued: AbortController | null = null;
  private release: (() => void) | null = null;
  private releaseTabLock: (() => void) | null = null;

  constructor(
    readonly name: string,
    readonly id: string,
    private readonly hooks: ElectionHooks,
  ) {}

  /** The lock every tab of this user and server holds for its life. */
  static tabLock(name: string, id: string): string {
    return `${name}:tab:${id}`;
  }

  start(): void {
    void navigator.locks.request(TabElection.tabLock(this.name, this.id), () => new Promise<void>((resolve) => (this.releaseTabLock = resolve)));
    this.queue();
  }

  /** Leaves the election (the element left the page, or the identity changed). */
  stop(): void {
    this.stopped = true;
    this.queued?.abort();
    this.release?.();
    this.releaseTabLock?.();
    this.release = this.releaseTabLock = null;
    this.leading = false;
  }

  /** Takes the lock from its holder (a frozen leader, or this tab asked for the phone). */
  steal(): void {
    if (this.stopped || this.leading) return;
    this.queued?.abort();
    this.queued = null;
    this.hold({ steal: true }, null);
  }

  private queue(): void {
    if (this.stopped) return;
    const queued = (this.queued = new AbortController());
    this.hold({ signal: queued.signal }, queued);
  }

  private hold(options: LockOptions, queued: AbortController | null): void {
    navigator.locks
      .request(this.name, options, () => {
        if (this.stopped) return undefined;
        if (queued) this.queued = null;
        this.leading = true;
        this.hooks.lead();
        return new Promise<void>((resolve) => (this.release = resolve));
      })
      .catch(() => {
        // Aborted by `steal`/`stop`, or stolen from this tab: only a held lock taken away means standing down.
        if (this.stopped || (queued && queued.signal.aborted)) return;
        this.release = null;
        if (this.leading) {
          this.leading = false;
          this.hooks.follow();
          this.queue();
          return;
        }
        // Refused without ever holding it (e.g. a SecurityError): try again later, never in a
        // loop of rejected promises, which would starve the page.
        setTimeout(() => this.queue(), REFUSED_RETRY_MS);
      });
  }
}
