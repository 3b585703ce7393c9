import type { ReactiveControllerHost } from 'lit';
import { decodeToken } from '../shared/token-claims.js';
import type { PhoneController } from '../element/phone-controller.js';
import type { PhoneSnapshot } from '../element/phone-context.js';
import { FollowerBackend } from '../element/backend/follower-backend.js';
import type { TabLinkHooks } from './lazy-tabs.js';
import { TabElection } from './election.js';
import { envelope, parseTabMessage, type TabCommand, type TabMessage } from './protocol.js';
import { withHandled } from './tab-support.js';

/** The leader says it is alive this often… */
const BEAT_MS = 1_000;
/** …and a follower that has not heard it for this long asks (a ping any live leader answers at once)… */
const SILENT_MS = 4_000;
/** …and takes the phone over when that goes unanswered this long (a frozen leader; a busy one answers within it). */
const PING_WAIT_MS = 3_000;

/** Messages that failed validation or trust: counted, for tests and diagnostics. */
export interface TabLinkStats {
  dropped: number;
}

const newTabId = (): string => crypto.randomUUID();

/** A token's expiry, 0 when it cannot be read. */
function expiryOf(token: string | null): number {
  try {
    return token ? decodeToken(token).exp : 0;
  } catch {
    return 0;
  }
}

/**
 * Many tabs, one phone (`multi-tab="shared"`, spa mode): the tabs of one user
 * and server elect a leader (election.ts); the leader's phone registers and
 * publishes its snapshot and events on a BroadcastChannel; the followers'
 * phones stay off the network, mirror that snapshot, re-fire those events and
 * send their commands to the leader.
 */
export class TabLink {
  readonly id = newTabId();
  readonly stats: TabLinkStats = { dropped: 0 };
  private election: TabElection | null = null;
  private channel: BroadcastChannel | null = null;
  private name = '';
  /** The leader's tab id, once the held locks confirmed it. */
  private leaderId: string | null = null;
  /** Tab ids the held locks confirmed. */
  private readonly knownTabs = new Set<string>();
  /** Leader: which tab placed, answered or declined each call (others: the leader's). */
  private readonly handlers = new Map<string, string>();
  /** The newest token seen in any tab (the one a new leader registers with). */
  private freshest: string | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private heardAt = 0;
  private pingedAt = 0;
  private guarding = false;
  /** A follower's commands go to the leader's tab. */
  readonly backend: FollowerBackend;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly controller: PhoneController,
    private readonly hooks: TabLinkHooks,
  ) {
    this.backend = new FollowerBackend(
      { snapshot: () => this.controller.snapshot, command: (name, args) => this.command(name, args), fail: hooks.fail },
      hooks.ui,
    );
  }

  /** This tab leads (its phone may register). */
  get leading(): boolean {
    return !!this.election?.leading;
  }

  /** Whether another tab holds the phone and this one mirrors it. */
  get following(): boolean {
    return !!this.election && !this.election.leading;
  }

  /** After each configuration: joins the election of this user and `server` (null: not shared now), or leaves it. */
  update(server: string | null, token: string | null): void {
    const identity = this.controller.phone.identity;
    const name = identity && server ? `voice-widget:${identity.user}@${identity.domain} ${server}` : '';
    if (name !== this.name) {
      this.leave();
      if (name) this.join(name);
    }
    if (token && expiryOf(token) > expiryOf(this.freshest)) this.tokenSeen(token, this.id);
  }

  /** Leader: a call command from tab `from` (the leader's own when none) makes that tab the call's handler. */
  private runFor(from: string, name: TabCommand, args: unknown[]): void {
    const phone = this.controller.phone;
    const ringing = [phone.waitingCall, phone.currentCall].find((c) => c?.state === 'incoming');
    this.hooks.run(name, args);
    if ((name === 'answer' || name === 'reject') && ringing) this.handlers.set(ringing.id, from);
    if (name === 'call' && phone.currentCall && !this.handlers.has(phone.currentCall.id)) this.handlers.set(phone.currentCall.id, from);
  }

  /** Follower: sends a command to the leader; false when no leader is known yet. */
  command(name: TabCommand, args: unknown[] = []): boolean {
    if (!this.leaderId) return false;
    this.post({ type: 'command', to: this.leaderId, name, args });
    return true;
  }

  /** Follower: make this tab the one that holds the phone (between calls). */
  claim(): boolean {
    if (!this.following || this.controller.snapshot.call) return false;
    this.election!.steal();
    return true;
  }

  /**
   * The leader's event, before it fires here: `call-started`/`call-ended` get
   * `handledHere`; every event but the token's goes to the other tabs.
   */
  readonly tap = (type: string, detail: unknown): unknown => {
    const id = (detail as { id?: unknown }).id;
    const handler = typeof id === 'string' ? (this.handlers.get(id) ?? this.id) : this.id;
    if (type === 'call-ended' && typeof id === 'string') this.handlers.delete(id);
    if (this.election?.leading && type !== 'token-expiring' && type !== 'token-expired') this.post({ type: 'event', name: type, detail, handler });
    return withHandled(type, detail, handler === this.id);
  };

  /** Leader: the snapshot changed. */
  readonly published = (snapshot: PhoneSnapshot): void => {
    const leading = !!this.election?.leading;
    this.guard(leading && live(snapshot.call));
    if (leading) this.post({ type: 'state', snapshot: toEpoch(snapshot) });
  };

  /** While the leader has a live call, closing its tab asks first (closing it ends the call for every tab). */
  private guard(on: boolean): void {
    if (on === this.guarding) return;
    this.guarding = on;
    if (on) {
      window.addEventListener('beforeunload', this.confirmLeave);
      window.addEventListener('pagehide', this.hangUpOnLeave);
    } else {
      window.removeEventListener('beforeunload', this.confirmLeave);
      window.removeEventListener('pagehide', this.hangUpOnLeave);
    }
  }

  private readonly confirmLeave = (e: BeforeUnloadEvent): void => {
    e.preventDefault();
    e.returnValue = '';
  };

  /** The leader's tab goes with a live call: hang up (a BYE, not a ghost call), so every tab sees it end. */
  private readonly hangUpOnLeave = (): void => this.hooks.run('hangup', []);

  // ── the election ─────────────────────────────────────────────────────────────

  private join(name: string): void {
    this.name = name;
    this.channel = new BroadcastChannel(name);
    this.channel.onmessage = (e) => this.receive(e.data);
    this.election = new TabElection(name, this.id, { lead: () => this.lead(), follow: () => this.follow() });
    this.election.start();
    this.heardAt = performance.now();
    this.timer = setInterval(this.tick, BEAT_MS);
    this.host.requestUpdate();
  }

  leave(): void {
    if (!this.election) return;
    if (!this.election.leading) this.post({ type: 'bye' });
    this.election.stop();
    this.election = null;
    this.channel?.close();
    this.channel = null;
    this.name = '';
    this.leaderId = null;
    clearInterval(this.timer);
    this.guard(false);
    this.controller.follow(null);
    this.host.requestUpdate();
  }

  private lead(): void {
    this.leaderId = this.id;
    // The newest token any tab has seen: a follower's host may have refreshed it.
    if (this.freshest && expiryOf(this.freshest) > expiryOf(this.ownToken())) this.controller.configure({ token: this.freshest });
    this.controller.follow(null);
    this.host.requestUpdate();
    this.post({ type: 'beat' });
    this.published(this.controller.snapshot);
  }

  /** Stolen while frozen, or handed to a tab that asked: mirror the new leader. */
  private follow(): void {
    this.leaderId = null;
    this.guard(false);
    this.heardAt = performance.now();
    this.host.requestUpdate();
    this.post({ type: 'hello' });
  }

  private readonly tick = (): void => {
    if (!this.election) return;
    if (this.election.leading) return this.post({ type: 'beat' });
    const now = performance.now();
    if (now - this.heardAt < SILENT_MS) return;
    if (!this.pingedAt) {
      this.pingedAt = now;
      return this.post({ type: 'ping' });
    }
    if (now - this.pingedAt < PING_WAIT_MS) return;
    this.pingedAt = 0;
    this.heardAt = now;
    this.takeOver();
  };

  /** The leader is silent (frozen): one follower (whoever gets the takeover lock) steals the phone. */
  private takeOver(): void {
    const election = this.election;
    if (!election) return;
    void navigator.locks.request(`${this.name}:takeover`, { ifAvailable: true }, async (lock) => {
      if (!lock || election !== this.election) return;
      election.steal();
      await new Promise((resolve) => setTimeout(resolve, SILENT_MS));
    });
  }

  // ── messages ─────────────────────────────────────────────────────────────────

  private post(body: Parameters<typeof envelope>[1]): void {
    try {
      this.channel?.postMessage(envelope(this.id, body));
    } catch {
      // A detail the browser cannot clone: the other tabs miss this one event.
    }
  }

  private receive(data: unknown): void {
    const message = parseTabMessage(data);
    if (!message || message.from === this.id) {
      if (!message) this.stats.dropped++;
      return;
    }
    if (this.election?.leading) this.asLeader(message);
    else this.asFollower(message);
  }

  private asLeader(m: TabMessage): void {
    switch (m.type) {
      case 'ping':
        // From a timer: a frozen tab still runs message tasks, not timers (nor its socket's), and must not answer.
        return void setTimeout(() => this.post({ type: 'beat' }), 0);
      case 'hello':
        this.post({ type: 'state', snapshot: toEpoch(this.controller.snapshot) });
        if (this.freshest) this.post({ type: 'token', token: this.freshest });
        return;
      case 'command':
        if (m.to !== this.id) return void this.stats.dropped++;
        return this.fromTab(m.from, () => this.runFor(m.from, m.name, m.args));
      case 'token':
        return this.fromTab(m.from, () => this.tokenSeen(m.token, m.from));
      case 'bye':
        this.knownTabs.delete(m.from);
        return;
      default:
        // Another tab claims to lead: only the lock says who does (a stolen lock tells this tab itself).
        this.stats.dropped++;
    }
  }

  private asFollower(m: TabMessage): void {
    if (m.type === 'hello' || m.type === 'bye' || m.type === 'ping' || m.type === 'command') return;
    if (m.from !== this.leaderId) return void this.verifyLeader(m.from);
    this.heardAt = performance.now();
    this.pingedAt = 0;
    switch (m.type) {
      case 'state':
        return this.controller.follow(fromEpoch(m.snapshot));
      case 'event':
        return void this.host.dispatchEvent(
          new CustomEvent(m.name, { detail: withHandled(m.name, m.detail, m.handler === this.id), bubbles: m.name !== 'error', composed: m.name !== 'error' }),
        );
      case 'token':
        if (expiryOf(m.token) > expiryOf(this.freshest)) this.freshest = m.token;
        return;
    }
  }

  /** A message from a tab that says it leads: believed when the held locks show that tab holding the leader lock. */
  private verifyLeader(from: string): void {
    const name = this.name;
    void navigator.locks.query().then(({ held = [] }) => {
      const leader = held.find((l) => l.name === name)?.clientId;
      const claimed = held.find((l) => l.name === TabElection.tabLock(name, from))?.clientId;
      if (name !== this.name || this.election?.leading) return;
      if (!leader || leader !== claimed) return void this.stats.dropped++;
      this.leaderId = from;
      this.heardAt = performance.now();
      this.post({ type: 'hello' });
    });
  }

  /** Runs what tab `from` asked once the held locks show such a tab (a page that only posts is not one). */
  private fromTab(from: string, run: () => void): void {
    if (this.knownTabs.has(from)) return run();
    const name = this.name;
    void navigator.locks.query().then(({ held = [] }) => {
      if (name !== this.name) return;
      if (!held.some((l) => l.name === TabElection.tabLock(name, from))) return void this.stats.dropped++;
      this.knownTabs.add(from);
      run();
    });
  }

  /** A token set in tab `from`: the newest goes to the leader's phone, one at a time (an exclusive lock). */
  private tokenSeen(token: string, from: string): void {
    if (expiryOf(token) <= expiryOf(this.freshest)) return;
    this.freshest = token;
    if (!this.election) return;
    if (!this.election.leading) {
      if (from === this.id) this.post({ type: 'token', token });
      return;
    }
    if (from === this.id) return void this.post({ type: 'token', token });
    void navigator.locks.request(`${this.name}:token`, () => {
      if (this.freshest === token) this.controller.configure({ token });
      this.post({ type: 'token', token });
    });
  }

  private ownToken(): string | null {
    return this.hooks.token();
  }
}

/** A snapshot's call times on the epoch clock, for another tab… */
function toEpoch(s: PhoneSnapshot): PhoneSnapshot {
  const shift = (c: PhoneSnapshot['call']) => c && { ...c, connectedAt: c.connectedAt === null ? null : c.connectedAt + performance.timeOrigin };
  return { ...s, call: shift(s.call), waiting: shift(s.waiting) };
}

/** …and back on this tab's clock, marked as held in another tab. */
const live = (call: PhoneSnapshot['call']): boolean => !!call && call.state !== 'completed' && call.state !== 'failed';

function fromEpoch(s: PhoneSnapshot): PhoneSnapshot {
  const shift = (c: PhoneSnapshot['call']) => c && { ...c, connectedAt: c.connectedAt === null ? null : c.connectedAt - performance.timeOrigin };
  return Object.freeze({ ...s, call: shift(s.call), waiting: shift(s.waiting), heldElsewhere: true });
}
