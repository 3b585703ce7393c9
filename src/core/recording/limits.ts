/**
 * The largest recording blob: the recorder stops at it, and the dialog and
 * bridge message checks accept a `recording-available` blob up to it and no
 * larger (32 MiB: about two hours at the recorder's 32 kbit/s).
 */
export const RECORDING_MAX_BYTES = 32 * 1024 * 1024;

/** `recording`: `off` (default), `on` (the user or the host may record), `announced` (as `on`, with two beeps at the start). */
export const RECORDING_POLICIES = ['off', 'on', 'announced'] as const;
export type RecordingPolicy = (typeof RECORDING_POLICIES)[number];

const DETAIL_KEYS = ['blob', 'duration', 'id', 'mimeType'];

/**
 * A `recording-available` detail as the dialog and bridge message checks
 * accept it, the one detail that may carry something other than plain data:
 * exactly `{id, blob, mimeType, duration}`, the blob a Blob of at most
 * RECORDING_MAX_BYTES of an audio type.
 */
export function isRecordingDetail(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  const d = v as Record<string, unknown>;
  return (
    Object.keys(d).sort().join() === DETAIL_KEYS.join() &&
    typeof d.id === 'string' &&
    /^[A-Za-z0-9_-]{1,64}$/.test(d.id) &&
    d.blob instanceof Blob &&
    d.blob.size <= RECORDING_MAX_BYTES &&
    typeof d.mimeType === 'string' &&
    /^audio\/[\w.+-]+(;[\w=.,+ -]{0,60})?$/.test(d.mimeType) &&
    typeof d.duration === 'number' &&
    Number.isFinite(d.duration) &&
    d.duration >= 0
  );
}
