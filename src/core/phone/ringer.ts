/** How loud the ringtone and the calls' audio play, 0..1 each; remembered per user. */
export interface Volumes {
  ring: number;
  call: number;
}
export const VOLUME_KINDS = ['ring', 'call'] as const;
export type VolumeKind = (typeof VOLUME_KINDS)[number];

const FULL: Volumes = { ring: 1, call: 1 };
const level = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : null);

/** A volume as given (0..1, clamped), or null when it is not a number. */
export const volumeLevel = level;

/** The user's saved volumes (full volume when none are saved, or storage is unusable). */
export function loadVolumes(key: string): Volumes {
  try {
    const saved = JSON.parse(localStorage.getItem(key) ?? 'null') as Partial<Volumes> | null;
    return { ring: level(saved?.ring) ?? FULL.ring, call: level(saved?.call) ?? FULL.call };
  } catch {
    return { ...FULL };
  }
}

export function saveVolumes(key: string, volumes: Volumes): void {
  try {
    localStorage.setItem(key, JSON.stringify(volumes));
  } catch {
    // Private mode or a full quota: the choice lasts for this page.
  }
}

type SinkAudio = HTMLAudioElement & { setSinkId?(id: string): Promise<void> };

/**
 * The host's ringtone file (`ringtone`), looped on the ringer at the ring
 * volume. A file that does not load falls back to the generated tone.
 */
export class RingtoneFile {
  private audio: SinkAudio | null = null;
  private url: string | null = null;
  private failed = false;

  constructor(private readonly events: { blocked(): void; failed(): void }) {}

  /** Whether a file is set and has not failed to load. */
  get usable(): boolean {
    return this.url !== null && !this.failed;
  }

  setUrl(url: string | null): void {
    if (url === this.url) return;
    this.stop();
    this.audio = null;
    this.url = url;
    this.failed = false;
  }

  play(volume: number, sinkId: string | null): void {
    if (!this.url) return;
    if (!this.audio) {
      const audio: SinkAudio = new Audio(this.url);
      audio.loop = true;
      audio.addEventListener('error', () => {
        if (this.audio !== audio) return;
        this.failed = true;
        this.events.failed();
      });
      this.audio = audio;
    }
    const audio = this.audio;
    audio.volume = volume;
    if (audio.setSinkId) void audio.setSinkId(sinkId ?? '').catch(() => {});
    if (audio.paused)
      audio.play().catch((e: unknown) => {
        if ((e as DOMException)?.name === 'NotAllowedError') this.events.blocked();
      });
  }

  stop(): void {
    if (!this.audio || this.audio.paused) return;
    this.audio.pause();
    this.audio.currentTime = 0;
  }
}
