import { glareWait } from './hold.js';

/** How long a call may take to recover; at its end the call ends as `connection-lost`. */
export const RECOVERY_WINDOW_MS = 30_000;

export interface RecoveryTiming {
  window: number;
  /** ICE `disconnected` with signaling fine: wait this long for it to come back alone before restarting it. */
  iceGrace: number;
  /** After a restart the far end accepted, wait this long for media before restarting again. */
  restartAgain: number;
  /** A re-INVITE refused for a passing reason (480, 503, a timeout, a lost socket) is tried again after this. */
  retry: number;
  /** The wait after glare (491), by whether this end owns the Call-ID. */
  glare: (owner: boolean) => number;
}

const TIMING: RecoveryTiming = { window: RECOVERY_WINDOW_MS, iceGrace: 2_000, restartAgain: 3_000, retry: 2_000, glare: glareWait };

/** What started a recovery: the browser's network changed, or ICE lost the media path. */
export type RecoveryReason = 'network-change' | 'media-lost';

/** A quiet target refresh (media flowing) refused by glare or for a passing reason is tried this many times, then left. */
const QUIET_TRIES = 6;

/** How a recovery re-INVITE went. */
export interface ReinviteResult {
  ok: boolean;
  status?: number;
}

export interface RecoveryHooks {
  reconnecting(reason: RecoveryReason): void;
  reconnected(afterMs: number): void;
  /** The call cannot recover: the window ended, or the dialog is gone (481). It ends as `connection-lost`. */
  end(): void;
  /** A re-INVITE from our current socket; `iceRestart`: with new ICE credentials and fresh candidates. */
  reinvite(iceRestart: boolean): Promise<ReinviteResult>;
  /** Whether an ICE restart can gather now (the TURN server answers, ice-probe.ts); false after a while if not. */
  iceServersAnswer(): Promise<boolean>;
  /** Connected and registered: an in-dialog request can leave now. */
  signalingUp(): boolean;
  /** ICE is connected: media flows. */
  mediaUp(): boolean;
}

/**
 * A connected call's network recovery. Media trouble (ICE `disconnected` or
 * `failed`) or a network change opens a window; inside it, once signaling is
 * up, a re-INVITE restarts ICE. The call is back when ICE is connected again
 * (after a network change: through a restart that succeeded); the window's
 * end ends it. A dropped SIP
 * socket alone does not: media flows on, and once the socket is back a quiet
 * re-INVITE tells the far end our new route (a target refresh, the same
 * media: no ICE restart). Glare (491)
 * waits as RFC 3261 §14.1 says, like a hold.
 */
export class CallRecovery {
  private startedAt: number | null = null;
  /** Our socket changed since the last successful re-INVITE: the far end must learn the new route (quietly). */
  private needsRefresh = false;
  /** The network changed: the old media path is suspect until a restart succeeds. */
  private restartDue = false;
  private quietTries = 0;
  private inFlight = false;
  private disposed = false;
  private windowTimer: ReturnType<typeof setTimeout> | undefined;
  private nextTry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** The caller owns the Call-ID: it waits longer after glare. */
    private readonly owner: boolean,
    private readonly hooks: RecoveryHooks,
    private readonly timing: RecoveryTiming = TIMING,
  ) {}

  /** Recovering: between `reconnecting` and `reconnected` (or the end). */
  get active(): boolean {
    return this.startedAt !== null;
  }

  /** Media trouble or a network change: opens the window if none is open, and goes on recovering. */
  begin(reason: RecoveryReason): void {
    if (this.disposed) return;
    if (reason === 'network-change') this.needsRefresh = this.restartDue = true;
    if (this.startedAt === null) {
      this.startedAt = performance.now();
      this.windowTimer = setTimeout(() => this.giveUp(), this.timing.window);
      // ICE merely `disconnected` often comes back alone: give it a moment before restarting it.
      if (reason === 'media-lost' && this.hooks.signalingUp() && this.nextTry === undefined) this.later(this.timing.iceGrace);
      this.hooks.reconnecting(reason);
    }
    this.step();
  }

  /** The SIP socket dropped: the far end needs our new route once it is back. */
  signalingLost(): void {
    this.needsRefresh = true;
    this.quietTries = 0;
  }

  /** Signaling or ICE changed: see whether the call is back, or a re-INVITE can go now. */
  update(): void {
    if (!this.disposed) this.step();
  }

  /** A restart is due at once (ICE `failed`): no more waiting for it to come back alone. */
  now(): void {
    clearTimeout(this.nextTry);
    this.nextTry = undefined;
    this.update();
  }

  /** The call ended: no more timers, no more re-INVITEs. */
  dispose(): void {
    this.disposed = true;
    this.close();
  }

  private step(): void {
    const recovering = this.startedAt !== null;
    // Back once media is and the far end has our route (the far end's BYE must reach us).
    if (recovering && this.hooks.mediaUp() && !this.restartDue && !this.needsRefresh) return this.recovered();
    if (!recovering && !this.needsRefresh) return;
    if (this.inFlight || this.nextTry !== undefined || !this.hooks.signalingUp()) return;
    this.inFlight = true;
    // Only the route changed and media flows: the same media, no gathering (which waits on the ICE servers).
    void this.send(this.restartDue || !this.hooks.mediaUp());
  }

  private async send(iceRestart: boolean): Promise<void> {
    if (iceRestart) {
      const answered = await this.hooks.iceServersAnswer();
      // Not yet, or media came back by itself meanwhile (and the network did not change): look again.
      if (!answered || (!this.restartDue && this.hooks.mediaUp())) {
        this.inFlight = false;
        return this.update();
      }
      if (this.disposed) return;
    }
    this.settled(await this.hooks.reinvite(iceRestart));
  }

  private settled(result: ReinviteResult): void {
    this.inFlight = false;
    if (this.disposed) return;
    // 491, or no status (our offer lost the same race): glare. A timeout, 480, 5xx may pass; 481 and the rest are final.
    const glare = result.status === 491 || result.status === undefined;
    const passing = result.status === 408 || result.status === 480 || (result.status ?? 0) >= 500;
    if (result.ok) {
      this.needsRefresh = this.restartDue = false;
      this.quietTries = 0;
      if (this.startedAt !== null) this.later(this.timing.restartAgain);
    } else if (this.startedAt === null) {
      // A quiet refresh (media flows): a server that lost the dialog (restarted) refuses it; the call goes on.
      if ((glare || passing) && ++this.quietTries < QUIET_TRIES) this.later(glare ? this.timing.glare(this.owner) : this.timing.retry);
      else this.needsRefresh = false;
      return;
    } else if (result.status === 481) {
      return this.giveUp();
    } else {
      this.later(glare ? this.timing.glare(this.owner) : this.timing.retry);
    }
    this.step();
  }

  private later(ms: number): void {
    clearTimeout(this.nextTry);
    this.nextTry = setTimeout(() => {
      this.nextTry = undefined;
      this.update();
    }, ms);
  }

  private close(): void {
    this.startedAt = null;
    clearTimeout(this.windowTimer);
    clearTimeout(this.nextTry);
    this.nextTry = undefined;
  }

  private recovered(): void {
    const after = Math.round(performance.now() - this.startedAt!);
    this.close();
    this.hooks.reconnected(after);
    // A route refresh still due goes on, quietly.
    if (this.needsRefresh) this.step();
  }

  private giveUp(): void {
    this.dispose();
    this.hooks.end();
  }
}
