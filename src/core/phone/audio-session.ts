import { AUDIO_DEVICE_KINDS, isDeviceId, loadDeviceChoice, saveDeviceChoice, type AudioDeviceChoice, type AudioDeviceKind } from '../audio-devices.js';
import type { Call } from '../call.js';
import { microphoneErrorCode } from '../call/media.js';
import { TonePlayer, type ToneKind } from '../tones.js';
import type { PhoneEventMap } from '../types.js';
import { loadVolumes, RingtoneFile, saveVolumes, volumeLevel, type VolumeKind, type Volumes } from './ringer.js';

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
  /** The host's ringtone file, when `ringtone` names one. */
  readonly ringtone = new RingtoneFile({ blocked: () => this.blockedBy('tones', null), failed: () => this.updateTones() });
  volumes: Volumes = { ring: 1, call: 1 };
  private volumesKey: string | null = null;

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
    const ring = tone === 'ringtone';
    // Ring volume 0 mutes the ringer only: the call still rings on screen, and its audio plays.
    const silent = !tone || (ring && this.volumes.ring === 0);
    if (ring && this.ringtone.usable && !silent) {
      this.tones.stop();
      return this.ringtone.play(this.volumes.ring, this.devices.ringer);
    }
    this.ringtone.stop();
    if (silent) this.tones.stop();
    else this.tones.play(tone, ring ? this.volumes.ring : 1);
  }

  /** The user's remembered volumes (`key` names the user). */
  useVolumesOf(key: string): void {
    if (key === this.volumesKey) return;
    this.volumesKey = key;
    this.volumes = loadVolumes(key);
    this.updateTones();
  }

  /** Sets the ring or call volume (0..1), remembered for the user; applied at once to the calls under way. */
  setVolume(kind: VolumeKind, value: number, calls: Iterable<Call>): boolean {
    const level = volumeLevel(value);
    if ((kind !== 'ring' && kind !== 'call') || level === null) {
      this.emit('error', {
        code: 'invalid-attribute',
        message: `setVolume: ${JSON.stringify(String(kind).slice(0, 20))} must be ring or call, at a level in 0..1`,
      });
      return false;
    }
    this.volumes = { ...this.volumes, [kind]: level };
    if (this.volumesKey) saveVolumes(this.volumesKey, this.volumes);
    this.applyCallVolume(calls);
    this.updateTones();
    return true;
  }

  applyCallVolume(calls: Iterable<Call>): void {
    for (const call of calls) call.setVolume(this.volumes.call);
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
    this.ringtone.stop();
    this.tones.dispose();
  }

  private unblocked(source: 'tones' | 'call-audio'): void {
    if (!this.blocked.delete(source) || this.blocked.size > 0) return;
    this.emit('audio-unblocked', {});
  }
}
