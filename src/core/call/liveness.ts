/** No RTP or RTCP from the far end for this long, on a call nobody holds, is worth a warning. */
const NO_AUDIO_MS = 3_000;
/** Nothing at all for this long, on a call nobody holds: the far end is gone (a ghost call), end it. */
const DEAD_AFTER_MS = 15_000;
const POLL_MS = 1_000;

export interface LivenessHooks {
  /** Audio stopped arriving (true), or came back (false). */
  silence(silent: boolean): void;
  /** Nothing arrived for DEAD_AFTER_MS: the far end is gone. */
  dead(): void;
}

/**
 * Watches the far end's RTP packets and RTCP sender reports (silence-suppressing
 * peers still send RTCP) on a connected call; a held call is expected to be quiet.
 */
export class LivenessWatchdog {
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastSign = -1;
  private lastSignAt = 0;
  private isSilent = false;

  constructor(
    private readonly peer: () => RTCPeerConnection | null,
    private readonly held: () => boolean,
    private readonly hooks: LivenessHooks,
    /** A recovering call: its window, not this watchdog, decides when it is dead. */
    private readonly suspended: () => boolean = () => false,
  ) {}

  get silent(): boolean {
    return this.isSilent;
  }

  start(): void {
    this.lastSignAt = performance.now();
    this.timer = setInterval(() => void this.check(), POLL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    const pc = this.peer();
    if (!pc || this.timer === undefined) return;
    let sign = 0;
    (await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number; reportsSent?: number }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') sign += s.packetsReceived ?? 0;
      if (s.type === 'remote-outbound-rtp' && s.kind === 'audio') sign += s.reportsSent ?? 0;
    });
    if (this.timer === undefined) return;
    const now = performance.now();
    if (this.suspended()) {
      this.lastSignAt = now;
      return;
    }
    // Held either way, silence is expected: start counting afresh.
    if (sign !== this.lastSign || this.held()) {
      this.lastSign = sign;
      this.lastSignAt = now;
      if (this.isSilent) {
        this.isSilent = false;
        this.hooks.silence(false);
      }
      return;
    }
    if (now - this.lastSignAt >= DEAD_AFTER_MS) {
      this.stop();
      this.hooks.dead();
      return;
    }
    if (!this.isSilent && now - this.lastSignAt >= NO_AUDIO_MS) {
      this.isSilent = true;
      this.hooks.silence(true);
    }
  }
}
