/**
 * Voice processing: the browser's noise suppression, echo cancellation and
 * automatic gain control (each `on`, the default, or `off`), and a host's own
 * processor. A change during a call opens the microphone anew with the new
 * constraints and swaps the sender's track (`replaceTrack`: no renegotiation,
 * the call goes on).
 */

/** The `noise-suppression`, `echo-cancellation` and `auto-gain-control` values. */
export type OnOff = 'on' | 'off';

/**
 * A host's own processing (in-page mode only: an object with code cannot be
 * sent to a popup or a frame). It receives the microphone's stream and
 * returns the stream to send: the same one, or a new one (WebAudio, a WASM
 * noise remover…). When it throws, the call sends the microphone as it is.
 */
export interface AudioProcessor {
  process(microphone: MediaStream): MediaStream | Promise<MediaStream>;
}

export interface VoiceProcessingConfig {
  noiseSuppression?: OnOff | null;
  echoCancellation?: OnOff | null;
  autoGainControl?: OnOff | null;
  audioProcessor?: AudioProcessor | null;
}

const SWITCHES = ['noiseSuppression', 'echoCancellation', 'autoGainControl'] as const;
type Switch = (typeof SWITCHES)[number];

/** A processed stream's microphone, stopped with it. */
const sources = new WeakMap<MediaStream, MediaStream>();

/** Stops a microphone stream, and the raw microphone behind a processed one. */
export function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
  const raw = sources.get(stream);
  if (raw) for (const track of raw.getTracks()) track.stop();
}

/** One phone's voice processing settings; each call opens its microphone through them. */
export class VoiceProcessing {
  private readonly on: Record<Switch, boolean> = { noiseSuppression: true, echoCancellation: true, autoGainControl: true };
  private processor: AudioProcessor | null = null;

  /** Takes the fields given; true when something changed (calls must open their microphone anew). */
  take(config: VoiceProcessingConfig): boolean {
    let changed = false;
    for (const key of SWITCHES) {
      const value = config[key];
      if (value === undefined) continue;
      const on = value !== 'off';
      changed ||= on !== this.on[key];
      this.on[key] = on;
    }
    if (config.audioProcessor !== undefined) {
      const next = typeof config.audioProcessor?.process === 'function' ? config.audioProcessor : null;
      changed ||= next !== this.processor;
      this.processor = next;
    }
    return changed;
  }

  /** getUserMedia's constraints for a microphone (null: the default one). */
  constraints(deviceId: string | null): MediaStreamConstraints {
    return { audio: { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), ...this.on }, video: false };
  }

  /** Opens the microphone with these settings, through the host's processor if there is one. */
  async open(deviceId: string | null): Promise<MediaStream> {
    const raw = await navigator.mediaDevices.getUserMedia(this.constraints(deviceId));
    const processor = this.processor;
    if (!processor) return raw;
    try {
      const processed = await processor.process(raw);
      if (!(processed instanceof MediaStream) || processed.getAudioTracks().length === 0) return raw;
      if (processed !== raw) sources.set(processed, raw);
      return processed;
    } catch {
      return raw;
    }
  }
}
