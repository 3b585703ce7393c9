/**
 * The Web Audio mixing that merge (src/core/conference/) and recording
 * (src/core/recording/) share: one AudioContext per use, each track a source
 * once, and mixes that come out as one live track. A disabled source track
 * (a muted microphone) is silence in every mix it feeds.
 */
export class AudioMix {
  readonly context = new AudioContext();
  private readonly sources = new Map<MediaStreamTrack, MediaStreamAudioSourceNode>();
  private readonly outputs: MediaStreamAudioDestinationNode[] = [];

  constructor() {
    // A context made outside a user gesture may start suspended; the call's own audio already plays.
    void this.context.resume().catch(() => undefined);
  }

  /** A source node for `track` (made once). */
  source(track: MediaStreamTrack): MediaStreamAudioSourceNode {
    let node = this.sources.get(track);
    if (!node) {
      node = this.context.createMediaStreamSource(new MediaStream([track]));
      this.sources.set(track, node);
    }
    return node;
  }

  /** One track carrying `tracks` mixed (and any `extra` nodes, e.g. a tone). */
  mix(tracks: readonly MediaStreamTrack[], ...extra: AudioNode[]): MediaStreamTrack {
    const out = this.context.createMediaStreamDestination();
    for (const track of tracks) this.source(track).connect(out);
    for (const node of extra) node.connect(out);
    this.outputs.push(out);
    return out.stream.getAudioTracks()[0];
  }

  /** Two short beeps (the recording announcement), starting now; resolves when they are over. */
  beeps(into: AudioNode, frequency = 1400, each = 0.18, gap = 0.12): Promise<void> {
    const ctx = this.context;
    const gain = ctx.createGain();
    gain.gain.value = 0;
    const osc = ctx.createOscillator();
    osc.frequency.value = frequency;
    osc.connect(gain).connect(into);
    const t = ctx.currentTime + 0.02;
    for (const start of [t, t + each + gap]) {
      gain.gain.setValueAtTime(0.3, start);
      gain.gain.setValueAtTime(0, start + each);
    }
    const end = t + 2 * each + gap;
    osc.start(t);
    osc.stop(end);
    return new Promise((resolve) => (osc.onended = () => resolve()));
  }

  /** Stops the mixes' tracks and closes the context. */
  close(): void {
    for (const out of this.outputs) for (const track of out.stream.getTracks()) track.stop();
    for (const node of this.sources.values()) node.disconnect();
    this.sources.clear();
    void this.context.close().catch(() => undefined);
  }
}

/** The call's sent audio: its sender and the track it sends now. */
export function audioSender(pc: RTCPeerConnection | null): RTCRtpSender | null {
  return pc?.getSenders().find((s) => s.track?.kind === 'audio') ?? pc?.getTransceivers().find((t) => t.receiver.track.kind === 'audio')?.sender ?? null;
}

/** The call's received audio track, or null. */
export function remoteTrack(pc: RTCPeerConnection | null): MediaStreamTrack | null {
  return pc?.getReceivers().find((r) => r.track?.kind === 'audio')?.track ?? null;
}
