/**
 * Ringtone, ringback and call-waiting tones made with Web Audio, so there are
 * no sound files to host. One AudioContext, suspended while silent so an idle
 * phone costs no audio thread; each cycle of a pattern is scheduled on the
 * audio clock once per cycle (one timer wake-up per cycle, not per beep).
 */

export type ToneKind = 'ringtone' | 'ringback' | 'waiting';

type SinkAudioContext = AudioContext & { setSinkId?(id: string): Promise<void> };

interface Pattern {
  /** Frequencies mixed for each burst, in Hz. */
  readonly frequencies: readonly number[];
  /** [start, length] of each burst within a cycle, in seconds. */
  readonly bursts: ReadonlyArray<readonly [number, number]>;
  readonly cycle: number;
  readonly gain: number;
}

const PATTERNS: Record<ToneKind, Pattern> = {
  // A double ring: two short bursts, then a pause.
  ringtone: {
    frequencies: [400, 450],
    bursts: [
      [0, 0.4],
      [0.6, 0.4],
    ],
    cycle: 3,
    gain: 0.18,
  },
  // The North American ringback: 2 s on, 4 s off.
  ringback: { frequencies: [440, 480], bursts: [[0, 2]], cycle: 6, gain: 0.1 },
  // Two quiet beeps every 8 s, under the conversation.
  waiting: {
    frequencies: [440],
    bursts: [
      [0, 0.2],
      [0.4, 0.2],
    ],
    cycle: 8,
    gain: 0.08,
  },
};

/** Attack and release of each burst: long enough to avoid clicks. */
const RAMP = 0.015;
/** How long a suspended context may take to start before we call audio blocked. */
const BLOCKED_AFTER_MS = 500;

export class TonePlayer {
  private context: SinkAudioContext | null = null;
  private playing: ToneKind | null = null;
  private output: GainNode | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Where each kind plays: the ringtone on the ringer, the others with the call's audio. */
  private outputs = { ringer: '', speaker: '' };
  private sinkId = '';
  private blocked = false;
  /** The current pattern's cycles are being scheduled (once running, only the cycle timer schedules more). */
  private cycling = false;

  /**
   * `blocked`: the browser will not start audio before a user gesture;
   * `unblocked`: it started after all (a gesture anywhere in the page, or unlock()).
   */
  constructor(private readonly events: { blocked(kind: ToneKind): void; unblocked(): void }) {}

  get current(): ToneKind | null {
    return this.playing;
  }

  /** Whether the last attempt to sound was refused by the browser's autoplay policy. */
  get isBlocked(): boolean {
    return this.blocked;
  }

  /** Plays a pattern until `stop()` (or another `play()`) at `volume` (0..1); playing the same pattern again only sets the volume. */
  play(kind: ToneKind, volume = 1): void {
    if (this.playing === kind) {
      if (this.output) this.output.gain.value = volume;
      return;
    }
    this.silence();
    const context = this.ensureContext();
    if (!context) return;
    this.playing = kind;
    this.route(kind);
    this.output = context.createGain();
    this.output.gain.value = volume;
    this.output.connect(context.destination);
    if (context.state === 'running') {
      // A suspend() from a stop() a moment ago may still be pending: a resume() queued after it wins.
      void context.resume().catch(() => {});
      this.cycle();
    } else this.start(context, kind);
  }

  stop(): void {
    this.silence();
    if (this.context?.state === 'running') void this.context.suspend().catch(() => {});
  }

  private silence(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.playing = null;
    this.cycling = false;
    // Disconnecting the gain silences every scheduled oscillator at once.
    this.output?.disconnect();
    this.output = null;
  }

  /**
   * Resumes audio from a user gesture (the "enable sound" click). Returns
   * whether audio now runs.
   */
  async unlock(): Promise<boolean> {
    const context = this.ensureContext();
    if (!context) return false;
    try {
      await context.resume();
    } catch {
      return false;
    }
    this.setBlocked(context.state !== 'running');
    if (!this.blocked && this.playing) this.cycle();
    else if (!this.playing) void context.suspend().catch(() => {});
    return !this.blocked;
  }

  /** Output devices (null: the system default). Ignored where Web Audio cannot choose one. */
  setOutputs(ringer: string | null, speaker: string | null): void {
    this.outputs = { ringer: ringer ?? '', speaker: speaker ?? '' };
    if (this.playing) this.route(this.playing);
  }

  private route(kind: ToneKind): void {
    const context = this.context;
    const sinkId = kind === 'ringtone' ? this.outputs.ringer : this.outputs.speaker;
    if (!context?.setSinkId || sinkId === this.sinkId) return;
    this.sinkId = sinkId;
    // A device that has gone away: the default one.
    context.setSinkId(sinkId).catch(() => context.setSinkId!('').catch(() => {}));
  }

  private setBlocked(blocked: boolean): void {
    const was = this.blocked;
    this.blocked = blocked;
    if (was && !blocked) this.events.unblocked();
  }

  /** Releases the audio context. */
  dispose(): void {
    this.stop();
    void this.context?.close().catch(() => {});
    this.context = null;
  }

  private ensureContext(): AudioContext | null {
    if (this.context) return this.context;
    if (typeof AudioContext === 'undefined') return null;
    try {
      this.context = new AudioContext({ latencyHint: 'playback' });
    } catch {
      return null;
    }
    this.sinkId = '';
    return this.context;
  }

  /**
   * A suspended context: resume it. Where the browser wants a gesture first,
   * resume() stays pending until one happens anywhere in the page (then the
   * tone starts by itself); if it has not started shortly, we say so.
   */
  private start(context: AudioContext, kind: ToneKind): void {
    context.resume().then(
      () => {
        if (context.state !== 'running') return;
        this.setBlocked(false);
        if (this.playing === kind) this.cycle();
      },
      () => {},
    );
    this.timer = setTimeout(() => {
      if (this.playing !== kind || context.state === 'running') return;
      // After a user gesture the autoplay policy lets audio start: a context still starting is only slow (a busy machine).
      if ((navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation?.hasBeenActive) return;
      this.setBlocked(true);
      this.events.blocked(kind);
    }, BLOCKED_AFTER_MS);
  }

  /** Schedules one cycle of the current pattern on the audio clock, and the next one. */
  private cycle(next = false): void {
    const context = this.context;
    const output = this.output;
    const kind = this.playing;
    if (!context || !output || !kind || (this.cycling && !next)) return;
    this.cycling = true;
    clearTimeout(this.timer);
    const pattern = PATTERNS[kind];
    const t0 = context.currentTime + 0.02;
    for (const [start, length] of pattern.bursts) {
      const envelope = context.createGain();
      envelope.gain.setValueAtTime(0, t0 + start);
      envelope.gain.linearRampToValueAtTime(pattern.gain, t0 + start + RAMP);
      envelope.gain.setValueAtTime(pattern.gain, t0 + start + length - RAMP);
      envelope.gain.linearRampToValueAtTime(0, t0 + start + length);
      envelope.connect(output);
      for (const frequency of pattern.frequencies) {
        const oscillator = context.createOscillator();
        oscillator.frequency.value = frequency;
        oscillator.connect(envelope);
        oscillator.start(t0 + start);
        oscillator.stop(t0 + start + length);
      }
    }
    this.timer = setTimeout(() => this.cycle(true), pattern.cycle * 1000);
  }
}
