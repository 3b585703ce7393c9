/**
 * Merge and split from the main file (the mixing itself is the `conference`
 * lazy chunk, fetched at the first `merge()`: a page that never merges never
 * downloads it). `merge()` needs one held call and one active call: it
 * resumes the held one and mixes the two; either far end hanging up ends the
 * merge and the other call goes on; `split()` holds the call that was held
 * again; while merged, hang-up ends both and mute covers both.
 */
import { loadChunk } from '../../shared/lazy-chunks.js';
import { loadFailure } from '../../shared/lazy-part.js';
import type { Call } from '../call.js';
import type { ErrorCode } from '../types.js';
import type { Conference } from './conference.js';

export interface MergingHooks {
  /** The phone's calls. */
  calls(): Iterable<Call>;
  /** `conference-change`. */
  changed(ids: string[]): void;
  error(code: ErrorCode, message: string): void;
}

export class Merging {
  /** The merged calls, the one that was held second; null when not merged. */
  private legs: readonly [Call, Call] | null = null;
  private mixing: Conference | null = null;
  /** `conference-change` told the merge: its end is told too. */
  private announced = false;

  constructor(private readonly hooks: MergingHooks) {}

  /** The merged calls' ids (empty: not merged). */
  get ids(): string[] {
    return this.legs ? this.legs.map((c) => c.id) : [];
  }

  /** The two calls `merge()` would mix (one held here, one active), or null. */
  candidates(): [Call, Call] | null {
    const live = [...this.hooks.calls()].filter((c) => !c.ended && c.state === 'in-progress');
    if (live.length !== 2) return null;
    const held = live.find((c) => c.held.local);
    const active = live.find((c) => !c.held.local);
    return held && active ? [active, held] : null;
  }

  merge(): boolean {
    if (this.legs) return this.refuse('no-call', 'the calls are already merged');
    const legs = this.candidates();
    if (!legs) return this.refuse('no-call', 'merge needs one call on hold and another one active');
    this.legs = legs;
    legs[1].setHeld(false);
    loadChunk('conference')
      .then(async ({ Conference }) => {
        if (this.legs !== legs) return;
        const mixing = new Conference(legs);
        this.mixing = mixing;
        await mixing.start();
        if (this.legs !== legs) return void mixing.stop();
        // One mute for both: the active call's.
        if (legs[1].muted !== legs[0].muted) legs[1].setMuted(legs[0].muted);
        this.announced = true;
        this.hooks.changed(this.ids);
      })
      .catch((err: unknown) => {
        if (this.legs !== legs) return;
        this.unmerge();
        this.hooks.error(
          err instanceof Error && /chunk/.test(err.message) ? 'chunk-failed' : 'call-failed',
          `the calls could not be merged: ${loadFailure(err)}`,
        );
      });
    return true;
  }

  /** Ends the merge and holds again the call that was held before it. */
  split(): boolean {
    const legs = this.legs;
    if (!legs) return this.refuse('no-call', 'no merged calls to split');
    this.end();
    legs[1].setHeld(true);
    return true;
  }

  /** A call ended: a merge it was in ends, and the other call goes on alone. */
  callEnded(id: string): void {
    if (this.legs?.some((c) => c.id === id)) this.end();
  }

  /** While merged: mutes (or unmutes) the microphone in both calls; null when not merged. */
  setMuted(muted: boolean): boolean | null {
    if (!this.legs) return null;
    return this.legs.map((c) => c.setMuted(muted)).some(Boolean);
  }

  /** While merged: hangs up both calls; null when not merged. */
  hangup(): boolean | null {
    const legs = this.legs;
    if (!legs) return null;
    for (const call of legs) call.terminate();
    return true;
  }

  private end(): void {
    const announced = this.announced;
    this.unmerge();
    if (announced) this.hooks.changed([]);
  }

  private unmerge(): void {
    this.legs = null;
    this.announced = false;
    void this.mixing?.stop();
    this.mixing = null;
  }

  private refuse(code: ErrorCode, message: string): false {
    this.hooks.error(code, message);
    return false;
  }
}
