import type { ErrorCode } from '../types.js';
import { stopStream, VoiceProcessing } from '../voice-processing.js';

type SinkAudio = HTMLAudioElement & { setSinkId?(id: string): Promise<void> };

export interface MediaHooks {
  error(code: ErrorCode, message: string): void;
  /** The browser would not play the call's audio before a user gesture. */
  audioBlocked(): void;
}

/** One call's local microphone and remote audio: opened, switched and always released. */
export class CallMedia {
  private audio: SinkAudio | null = null;
  /** The call's audio volume (0..1). */
  private volume = 1;
  private microphone: MediaStream | null = null;

  constructor(
    private microphoneId: string | null,
    private speakerId: string | null,
    private readonly hooks: MediaHooks,
    /** The microphone's constraints and the host's processor (voice-processing.ts). */
    private readonly voice: VoiceProcessing = new VoiceProcessing(),
  ) {}

  get hasMicrophone(): boolean {
    return this.microphone !== null;
  }

  /** The chosen microphone; if it is gone, the default one (with an `error` saying so). */
  async open(): Promise<MediaStream> {
    const chosen = this.microphoneId;
    if (!chosen) return this.voice.open(null);
    try {
      return await this.voice.open(chosen);
    } catch (e) {
      const name = (e as DOMException)?.name;
      if (name !== 'OverconstrainedError' && name !== 'NotFoundError') throw e;
      this.hooks.error('device-unavailable', 'the chosen microphone is not available; using the default one');
      return this.voice.open(null);
    }
  }

  /** Keeps the opened microphone, to release it with the call. */
  use(microphone: MediaStream): void {
    this.microphone = microphone;
  }

  /**
   * Switches the microphone, live on a call: the new track replaces the old
   * one in the sender (no renegotiation) and keeps the mute.
   */
  async setMicrophone(deviceId: string | null, peer: RTCPeerConnection | null, muted: boolean, ended: () => boolean): Promise<void> {
    this.microphoneId = deviceId;
    const sender = peer?.getSenders().find((s) => s.track?.kind === 'audio');
    if (!this.microphone || !sender || ended()) return;
    const next = await this.open();
    if (ended()) {
      stopStream(next);
      return;
    }
    const [track] = next.getAudioTracks();
    track.enabled = !muted;
    await sender.replaceTrack(track);
    stopStream(this.microphone);
    this.microphone = next;
  }

  /** Sends the call's audio to a speaker (null: the default). */
  async setSpeaker(deviceId: string | null): Promise<void> {
    this.speakerId = deviceId;
    await this.applySpeaker();
  }

  /** The call's audio volume (0..1): the user's call volume. */
  setVolume(volume: number): void {
    this.volume = volume;
    if (this.audio) this.audio.volume = volume;
  }

  /** Plays the call's audio again after the browser blocked it (call from a user gesture). */
  resume(): Promise<void> {
    return this.audio?.paused ? this.audio.play() : Promise.resolve();
  }

  playRemote(stream: MediaStream, ended: () => boolean): void {
    if (!this.audio) {
      this.audio = new Audio();
      this.audio.autoplay = true;
    }
    this.audio.volume = this.volume;
    this.audio.srcObject = stream;
    if (this.speakerId) void this.applySpeaker();
    this.audio.play().catch((e: unknown) => {
      if (!ended() && (e as DOMException)?.name === 'NotAllowedError') this.hooks.audioBlocked();
    });
  }

  /** Stops the microphone and the remote audio. */
  release(peer: RTCPeerConnection | null): void {
    if (this.microphone) stopStream(this.microphone);
    this.microphone = null;
    if (peer) {
      for (const sender of peer.getSenders()) sender.track?.stop();
    }
    if (this.audio) {
      this.audio.pause();
      this.audio.srcObject = null;
      this.audio = null;
    }
  }

  private async applySpeaker(): Promise<void> {
    const audio = this.audio;
    if (!audio?.setSinkId) return;
    try {
      await audio.setSinkId(this.speakerId ?? '');
    } catch {
      this.hooks.error('device-unavailable', 'the chosen speaker is not available; using the default one');
      await audio.setSinkId('').catch(() => {});
    }
  }
}

/** Why getUserMedia failed, in our words: the user (or the site's settings) said no, or there is no microphone. */
export function microphoneErrorCode(e: unknown): 'microphone-denied' | 'microphone-missing' {
  const name = (e as DOMException | undefined)?.name;
  return name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError' ? 'microphone-missing' : 'microphone-denied';
}
