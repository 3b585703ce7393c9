/**
 * One call's recording (the `recording` lazy chunk): the microphone as sent
 * and the far end as received, mixed (src/core/audio/mix.ts) into a
 * MediaRecorder, Opus in WebM or else in Ogg (what the browser records).
 * Paused while the call is held; stopped by `stop()` or the call's end, when
 * the blob goes to `available`. Nothing leaves the page. The blob is capped
 * (RECORDING_MAX_BYTES): at the cap the recording stops and says so.
 */
import { AudioMix, audioSender, remoteTrack } from '../audio/mix.js';
import { RECORDING_MAX_BYTES } from './limits.js';

/** Speech at 32 kbit/s: about 14 MB an hour, so the cap holds about two hours. */
const BITS_PER_SECOND = 32_000;
const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/ogg'];

export interface RecorderHooks {
  available(blob: Blob, mimeType: string, duration: number): void;
  failed(message: string): void;
}

export class CallRecorder {
  private readonly mix = new AudioMix();
  private readonly recorder: MediaRecorder;
  private readonly parts: Blob[] = [];
  private bytes = 0;
  /** Seconds recorded before the current stretch, and when that stretch began (null: paused). */
  private recorded = 0;
  private since: number | null = null;
  private done = false;
  private finished = false;

  /** Throws when the call has no audio yet or the browser cannot record it. */
  constructor(
    peer: RTCPeerConnection | null,
    announce: boolean,
    private readonly hooks: RecorderHooks,
  ) {
    const sent = audioSender(peer)?.track;
    const received = remoteTrack(peer);
    if (!sent || !received) throw new Error('the call has no audio to record yet');
    const out = this.mix.context.createMediaStreamDestination();
    for (const track of [sent, received]) this.mix.source(track).connect(out);
    const mimeType = TYPES.find((t) => MediaRecorder.isTypeSupported(t)) ?? '';
    this.recorder = new MediaRecorder(out.stream, { mimeType, audioBitsPerSecond: BITS_PER_SECOND });
    this.recorder.ondataavailable = (e) => this.take(e.data);
    this.recorder.onstop = () => this.finish();
    this.recorder.start(1000);
    this.since = performance.now();
    if (announce) void this.announce(peer!, sent, out);
  }

  pause(): void {
    if (this.done || this.since === null || this.recorder.state !== 'recording') return;
    this.recorded += (performance.now() - this.since) / 1000;
    this.since = null;
    this.recorder.pause();
  }

  resume(): void {
    if (this.done || this.since !== null || this.recorder.state !== 'paused') return;
    this.since = performance.now();
    this.recorder.resume();
  }

  stop(): void {
    if (this.done) return;
    this.pause();
    this.done = true;
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    else this.finish();
  }

  /** The announcement: two beeps in the recording, to the far end (a mix sent for their length) and to the agent. */
  private async announce(peer: RTCPeerConnection, sent: MediaStreamTrack, out: MediaStreamAudioDestinationNode): Promise<void> {
    const sender = audioSender(peer);
    const beeps = this.mix.context.createGain();
    beeps.connect(out);
    beeps.connect(this.mix.context.destination);
    const withBeeps = this.mix.mix([sent], beeps);
    try {
      await sender?.replaceTrack(withBeeps);
      await this.mix.beeps(beeps);
    } finally {
      // Only if nothing else (a merge, a new microphone) replaced it meanwhile.
      if (sender?.track === withBeeps) await sender.replaceTrack(sent).catch(() => undefined);
    }
  }

  private take(part: Blob): void {
    if (part.size === 0) return;
    if (this.bytes + part.size > RECORDING_MAX_BYTES) {
      if (!this.done) this.hooks.failed(`the recording reached its cap of ${RECORDING_MAX_BYTES} bytes and stopped`);
      this.stop();
      return;
    }
    this.bytes += part.size;
    this.parts.push(part);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.done = true;
    const mimeType = this.recorder.mimeType || this.parts[0]?.type || 'audio/webm';
    this.mix.close();
    this.hooks.available(new Blob(this.parts, { type: mimeType }), mimeType, Math.round(this.recorded * 1000) / 1000);
  }
}
