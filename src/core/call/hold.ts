import { reinvite, type SipSession } from '../jssip-adapter.js';

/** After glare (491), RFC 3261 §14.1: the owner of the Call-ID (the caller) waits 2.1–4 s, the other side 0–2 s. */
export function glareWait(owner: boolean): number {
  return owner ? 2100 + Math.random() * 1900 : Math.random() * 2000;
}

export interface HoldHooks {
  /** The far end accepted our hold (true) or resume (false). */
  changed(held: boolean): void;
  failed(message: string): void;
}

/**
 * A call's hold, ours and the far end's. Ours is a re-INVITE whose media is
 * `inactive` (no audio either way); requests are serialised and a 491 (glare)
 * is retried after the random wait of RFC 3261 §14.1.
 */
export class HoldControl {
  local = false;
  remote = false;
  /** The hold state asked for last; requests queue behind each other. */
  private want = false;
  private renegotiation: Promise<void> = Promise.resolve();

  constructor(
    /** The caller owns the Call-ID: it waits longer after glare. */
    private readonly owner: boolean,
    private readonly ended: () => boolean,
    private readonly hooks: HoldHooks,
  ) {}

  get pending(): boolean {
    return this.want !== this.local;
  }

  /** Resolves, once the requests queued so far are settled, with whether the call is held. */
  settled(): Promise<boolean> {
    return this.renegotiation.then(() => this.local);
  }

  /** Queues a hold or resume; false when it is already what was asked for last. */
  request(held: boolean, session: SipSession, peer: () => RTCPeerConnection | null): boolean {
    if (this.want === held) return false;
    this.want = held;
    this.renegotiation = this.renegotiation.then(() => this.reinviteHold(held, session, peer()));
    return true;
  }

  /** The far end's offer said sendonly or inactive (true), or sendrecv again; false when nothing changed. */
  remoteChanged(held: boolean): boolean {
    if (this.remote === held) return false;
    this.remote = held;
    return true;
  }

  private async reinviteHold(held: boolean, session: SipSession, pc: RTCPeerConnection | null): Promise<void> {
    if (this.ended() || !pc || this.local === held) return;
    const direction = (on: boolean) => {
      for (const t of pc.getTransceivers()) if (t.currentDirection !== 'stopped') t.direction = on ? 'inactive' : 'sendrecv';
    };
    for (let attempt = 0; attempt < 4 && !this.ended(); attempt++) {
      direction(held);
      const result = await reinvite(session);
      if (this.ended()) return;
      if (result.ok) {
        this.local = held;
        this.hooks.changed(held);
        return;
      }
      // 491: the far end was renegotiating too. No status: our own description lost the
      // same race (the far end's offer arrived first). Both are glare; anything else is final.
      if (result.status !== 491 && result.status !== undefined) break;
      await new Promise((r) => setTimeout(r, glareWait(this.owner)));
    }
    if (this.ended()) return;
    direction(this.local);
    try {
      await pc.setLocalDescription({ type: 'rollback' });
    } catch {
      // Already stable.
    }
    this.want = this.local;
    this.hooks.failed(held ? 'the call could not be put on hold' : 'the call could not be resumed');
  }
}
