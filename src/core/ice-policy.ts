/**
 * Decides when enough ICE candidates have been gathered to send the offer or
 * answer. JsSIP otherwise waits for gathering to complete, which one
 * unreachable STUN/TURN server stretches to about 40 s.
 *
 * Ready at the first of: gathering completes (JsSIP's own path); every
 * configured ICE server has produced a candidate; a grace period after the
 * first candidate (longer with ICE servers, which answer over the network).
 */
export const GRACE_WITH_SERVERS_MS = 300;
export const GRACE_WITHOUT_SERVERS_MS = 20;

export interface CandidateLike {
  type?: string | null;
  /** The ICE server URL that produced a srflx/relay candidate (newer browsers). */
  url?: string | null;
}

export class IceGatheringPolicy {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private done = false;
  private readonly pending: Array<Set<string>>;
  private serverCandidates = 0;

  constructor(
    private readonly iceServers: readonly RTCIceServer[],
    private readonly ready: () => void,
  ) {
    this.pending = iceServers.map((s) => new Set(Array.isArray(s.urls) ? s.urls : [s.urls]));
  }

  /** Feed each gathered candidate. */
  candidate(candidate: CandidateLike): void {
    if (this.done) return;
    if (candidate.type === 'srflx' || candidate.type === 'relay') this.serverAnswered(candidate.url ?? undefined);
    if (this.done) return;
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.finish(), this.iceServers.length > 0 ? GRACE_WITH_SERVERS_MS : GRACE_WITHOUT_SERVERS_MS);
    }
  }

  /** Stop without calling ready (the session ended). */
  dispose(): void {
    this.done = true;
    clearTimeout(this.timer);
  }

  private serverAnswered(url: string | undefined): void {
    if (this.pending.length === 0) return;
    if (url) {
      const i = this.pending.findIndex((urls) => urls.has(url));
      if (i >= 0) this.pending.splice(i, 1);
    } else {
      // Without the URL, count answers: one candidate per server is the best we know.
      this.serverCandidates += 1;
      if (this.serverCandidates >= this.iceServers.length) this.pending.length = 0;
    }
    if (this.pending.length === 0) this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.ready();
  }
}
