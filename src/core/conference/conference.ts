/**
 * The three-way call's mixing (the `conference` lazy chunk): two calls, each
 * sending its far end the agent's microphone mixed with the other call's
 * received audio. The mix replaces each call's sent track (`replaceTrack`: no
 * renegotiation); ending it puts each microphone back.
 *
 * Mute: JsSIP mutes by disabling the sent track, which here is the mix (the
 * far end would lose the other party too); after it, the mix is enabled again
 * and the microphone disabled instead, so JsSIP's own mute flag stays true
 * to what the restored microphone track is.
 */
import type { Call } from '../call.js';
import { AudioMix, audioSender, remoteTrack } from '../audio/mix.js';

interface Leg {
  call: Call;
  sender: RTCRtpSender;
  microphone: MediaStreamTrack;
  mixed: MediaStreamTrack | null;
}

export class Conference {
  private readonly mix = new AudioMix();
  private readonly legs: Leg[];
  private ended = false;

  /** Throws when a call has no sent or received audio yet. */
  constructor(calls: readonly [Call, Call]) {
    this.legs = calls.map((call) => {
      const sender = audioSender(call.peerConnection);
      if (!sender?.track) throw new Error(`call ${call.id} sends no audio`);
      return { call, sender, microphone: sender.track, mixed: null };
    });
  }

  /** Mixes: resolves once both calls send their mix. */
  async start(): Promise<void> {
    const [a, b] = this.legs;
    for (const [leg, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const far = remoteTrack(other.call.peerConnection);
      if (!far) throw new Error(`call ${other.call.id} receives no audio`);
      leg.mixed = this.mix.mix([leg.microphone, far]);
      leg.call.afterMute = (muted) => {
        if (leg.mixed) leg.mixed.enabled = true;
        leg.microphone.enabled = !muted;
      };
    }
    await Promise.all(this.legs.map((leg) => leg.sender.replaceTrack(leg.mixed)));
  }

  /** Puts each live call's microphone back and releases the mix. */
  async stop(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    for (const leg of this.legs) leg.call.afterMute = null;
    await Promise.all(this.legs.filter((leg) => !leg.call.ended).map((leg) => leg.sender.replaceTrack(leg.microphone).catch(() => undefined)));
    this.mix.close();
  }
}
