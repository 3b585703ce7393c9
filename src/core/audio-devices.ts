/**
 * Which microphone, speaker and ringer the phone uses. Device ids are
 * per-origin and stable, and a headset belongs to the machine, not to a SIP
 * user, so the choice is kept once per origin.
 */
import { readStorage, writeStorage } from '../shared/storage.js';

export type AudioDeviceKind = 'microphone' | 'speaker' | 'ringer';

export const AUDIO_DEVICE_KINDS: readonly AudioDeviceKind[] = ['microphone', 'speaker', 'ringer'];

/** A device id per kind; null is the system default. */
export type AudioDeviceChoice = Record<AudioDeviceKind, string | null>;

export interface AudioDevice {
  id: string;
  /** Empty until the page may use the microphone (browsers hide names before that). */
  label: string;
}

export interface AudioDeviceList {
  microphones: AudioDevice[];
  /** Outputs; empty where the browser cannot choose one. */
  speakers: AudioDevice[];
  /** Whether call audio can go to a chosen speaker (HTMLMediaElement.setSinkId). */
  outputSelection: boolean;
  /** Whether the ringer can go to a chosen speaker (AudioContext.setSinkId). */
  ringerSelection: boolean;
}

const STORAGE_KEY = 'voice-widget:audio-devices';
/** Ids are opaque hashes; anything longer is not one. */
const MAX_ID_LENGTH = 256;

export const canChooseOutput = (): boolean =>
  typeof HTMLMediaElement !== 'undefined' && typeof (HTMLMediaElement.prototype as { setSinkId?: unknown }).setSinkId === 'function';

export function isDeviceId(value: unknown): value is string | null {
  return value === null || (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH);
}

/** The remembered choice; anything unreadable counts as "defaults". */
export function loadDeviceChoice(): AudioDeviceChoice {
  const choice: AudioDeviceChoice = { microphone: null, speaker: null, ringer: null };
  try {
    const saved: unknown = JSON.parse(readStorage('local', STORAGE_KEY) ?? '{}');
    if (saved && typeof saved === 'object') {
      for (const kind of AUDIO_DEVICE_KINDS) {
        const id = (saved as Record<string, unknown>)[kind];
        if (typeof id === 'string' && isDeviceId(id)) choice[kind] = id;
      }
    }
  } catch {
    // Not ours: defaults (no storage reads as nothing saved).
  }
  return choice;
}

export function saveDeviceChoice(choice: AudioDeviceChoice): void {
  // No storage: the choice lasts for this page.
  writeStorage('local', STORAGE_KEY, JSON.stringify(choice));
}

/** Lists audio devices; the pseudo-devices "default" and "communications" are left out (null stands for the default). */
export async function listAudioDevices(): Promise<AudioDeviceList> {
  const outputSelection = canChooseOutput();
  const ringerSelection = typeof AudioContext !== 'undefined' && typeof (AudioContext.prototype as { setSinkId?: unknown }).setSinkId === 'function';
  const devices = navigator.mediaDevices?.enumerateDevices ? await navigator.mediaDevices.enumerateDevices() : [];
  const of = (kind: MediaDeviceKind): AudioDevice[] =>
    devices
      .filter((d) => d.kind === kind && d.deviceId !== '' && d.deviceId !== 'default' && d.deviceId !== 'communications')
      .map((d) => ({ id: d.deviceId, label: d.label }));
  return {
    microphones: of('audioinput'),
    speakers: outputSelection ? of('audiooutput') : [],
    outputSelection,
    ringerSelection,
  };
}
