/**
 * Call recording from the main file: the policy (`recording` attribute),
 * which calls are recorded, and the recorder itself as the `recording` lazy
 * chunk, fetched at the first `startRecording()` (a page that never records
 * never downloads it). A hold pauses the capture, not the call; the call's
 * end stops it, like `stopRecording()`, and `recording-available` follows.
 */
import { loadChunk } from '../../shared/lazy-chunks.js';
import { loadFailure } from '../../shared/lazy-part.js';
import type { Call } from '../call.js';
import type { ErrorCode, PhoneEventMap } from '../types.js';
import type { CallRecorder } from './recorder.js';
import { RECORDING_POLICIES, type RecordingPolicy } from './limits.js';

export interface RecordingHooks {
  /** The call on screen. */
  call(): Call | null;
  /** A live call by id. */
  byId(id: string): Call | null;
  emit<K extends 'recording-change' | 'recording-available'>(type: K, detail: PhoneEventMap[K]): void;
  error(code: ErrorCode, message: string): void;
}

export class Recordings {
  policy: RecordingPolicy = 'off';
  /** Calls being recorded: the recorder, null while its chunk loads. */
  private readonly active = new Map<string, CallRecorder | null>();

  constructor(private readonly hooks: RecordingHooks) {}

  static policyOf(value: unknown): RecordingPolicy {
    return RECORDING_POLICIES.includes(value as RecordingPolicy) ? (value as RecordingPolicy) : 'off';
  }

  /** Whether call `id` is being recorded. */
  has(id: string): boolean {
    return this.active.has(id);
  }

  start(): boolean {
    const call = this.hooks.call();
    if (this.policy === 'off') return this.refuse('recording-failed', 'recording is off (set the recording attribute to on or announced)');
    if (!call || call.ended || call.state !== 'in-progress') return this.refuse('no-call', 'no connected call to record');
    if (this.active.has(call.id)) return false;
    const id = call.id;
    this.active.set(id, null);
    loadChunk('recording')
      .then(({ CallRecorder }) => {
        if (!this.active.has(id) || call.ended) return void this.active.delete(id);
        const recorder = new CallRecorder(call.peerConnection, this.policy === 'announced', {
          available: (blob, mimeType, duration) => this.hooks.emit('recording-available', { id, blob, mimeType, duration }),
          failed: (message) => {
            this.hooks.error('recording-failed', message);
            if (this.active.delete(id)) this.hooks.emit('recording-change', { id, recording: false });
          },
        });
        this.active.set(id, recorder);
        if (call.held.local || call.held.remote) recorder.pause();
        this.hooks.emit('recording-change', { id, recording: true });
      })
      .catch((err: unknown) => {
        this.active.delete(id);
        this.hooks.error(
          err instanceof Error && /chunk/.test(err.message) ? 'chunk-failed' : 'recording-failed',
          `the call could not be recorded: ${loadFailure(err)}`,
        );
      });
    return true;
  }

  /** Stops the recording of the call on screen (or of `id`); `recording-available` follows. */
  stop(id = this.hooks.call()?.id): boolean {
    if (!id || !this.active.has(id)) return this.refuse('no-call', 'no call is being recorded');
    const recorder = this.active.get(id);
    this.active.delete(id);
    if (recorder) {
      recorder.stop();
      this.hooks.emit('recording-change', { id, recording: false });
    }
    return true;
  }

  /** A hold (either side) pauses the capture; the resume resumes it. */
  holdChanged(id: string): void {
    const recorder = this.active.get(id);
    const call = this.hooks.byId(id);
    if (!recorder || !call) return;
    if (call.held.local || call.held.remote) recorder.pause();
    else recorder.resume();
  }

  callEnded(id: string): void {
    if (this.active.has(id)) this.stop(id);
  }

  private refuse(code: ErrorCode, message: string): false {
    this.hooks.error(code, message);
    return false;
  }
}
