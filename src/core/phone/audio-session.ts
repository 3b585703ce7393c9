import { AUDIO_DEVICE_KINDS, isDeviceId, loadDeviceChoice, saveDeviceChoice, type AudioDeviceChoice, type AudioDeviceKind } from '../audio-devices.js';
import type { Call } from '../call.js';
import { microphoneErrorCode } from '../call/media.js';
import { TonePlayer, type ToneKind } from '../tones.js';
import type { PhoneEventMap } from '../types.js';

type AudioEvents = Pick<PhoneEventMap, 'audio-blocked' | 'audio-unblocked' | 'audio-device-change' | 'error'>;
type Emit = <K extends keyof AudioEvents>(type: K, detail: AudioEvents[K]) => void;

/**
 * The phone's sound: the chosen devices, the tones the calls call for, and
 * what the browser holds back until a user gesture.
 */
export class AudioSession {
  readonly devices: AudioDeviceChoice = loadDeviceChoice();
  private readonly tones: TonePlayer;
  /** What the browser would not play until a user gesture. */
  private readonly blocked = new Set<'tones' | 'call-audio'>();
  private previewTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly emit: Emit,
    /** The tone the calls call for now, or null. */
    private readonly wanted: () => ToneKind | null,
  ) {
    this.tones = new TonePlayer({ blocked: () => this.blockedBy('tones', null), unblocked: () => this.unblocked('tones') });
    this.tones.setOutputs(this.devices.ringer, this.devices.speaker);
  }

  get isBlocked(): boolean {
    return this.blocked.size > 0;
  }

  /** Plays what the calls call for (a ringtone, a ringback, a call-waiting beep), or nothing. */
  updateTones(): void {
    const tone = this.wanted();
    if (tone) this.tones.play(tone);
    else this.tones.stop();
  }

  /** One cycle of the ringtone on the ringer; the calls decide what plays after it (usually nothing). */
  preview(): void {
    this.tones.play('ringtone');
    clearTimeout(this.previewTimer);
    this.previewTimer = setTimeout(() => this.updateTones(), 2_000);
  }

  /** Chooses a device (null: the system default), applied at once to the calls under way. */
  setDevice(kind: AudioDeviceKind, deviceId: string | null, calls: Iterable<Call>): boolean {
    if (!AUDIO_DEVICE_KINDS.includes(kind) || !isDeviceId(deviceId)) {
      this.emit('error', { code: 'invalid-device', message: `not an audio device choice: ${JSON.stringify(String(kind).slice(0, 20))}` });
      return false;
    }
    if (this.devices[kind] === deviceId) return true;
    this.devices[kind] = deviceId;
    saveDeviceChoice(this.devices);
    for (const call of calls) {
      if (kind === 'microphone')
        void call
          .setMicrophone(deviceId)
          .catch((e: Error) => this.emit('error', { code: microphoneErrorCode(e), message: `the microphone could not be switched: ${e.message}` }));
      if (kind === 'speaker') void call.setSpeaker(deviceId);
    }
    this.tones.setOutputs(this.devices.ringer, this.devices.speaker);
    this.emit('audio-device-change', { kind, deviceId });
    return true;
  }

  /** From a user gesture: lets the tones and the calls' audio play. Resolves whether everything now plays. */
  async enable(calls: Iterable<Call>): Promise<boolean> {
    const tones = await this.tones.unlock();
    if (tones) this.unblocked('tones');
    let played = true;
    for (const call of calls) {
      try {
        await call.resumeAudio();
      } catch {
        played = false;
      }
    }
    if (played) this.unblocked('call-audio');
    return tones && played;
  }

  blockedBy(source: 'tones' | 'call-audio', id: string | null): void {
    if (this.blocked.has(source)) return;
    this.blocked.add(source);
    this.emit('audio-blocked', { id, source });
  }

  /** Blocked call audio went with the last call; a later call asks again. */
  callsGone(): void {
    this.blocked.delete('call-audio');
  }

  dispose(): void {
    clearTimeout(this.previewTimer);
    this.tones.dispose();
  }

  private unblocked(source: 'tones' | 'call-audio'): void {
    if (!this.blocked.delete(source) || this.blocked.size > 0) return;
    this.emit('audio-unblocked', {});
  }
}
