import type { RTCSession, EndEvent, IceCandidateEvent, IncomingDTMFEvent, OutgoingDTMFEvent, PeerConnectionEvent } from 'jssip/lib/RTCSession';
import { CallStateMachine, type CallState } from './call-state.js';
import { endCauseFor, terminalStateFor } from './causes.js';
import { IceGatheringPolicy } from './ice-policy.js';
import type { CallDirection, DtmfMode, EndCause, ErrorCode, Party } from './types.js';

/** What a call tells its phone. */
export interface CallHooks {
  stateChanged(call: Call, state: CallState, previous: CallState): void;
  started(call: Call): void;
  ended(call: Call, cause: EndCause): void;
  dtmf(call: Call, digit: string, direction: 'inbound' | 'outbound'): void;
  error(code: ErrorCode, message: string): void;
}

export interface CallInit {
  id: string;
  direction: CallDirection;
  number: string;
  remote: Party;
  local: Party;
  iceServers: readonly RTCIceServer[];
  dtmfMode: DtmfMode;
}

/**
 * One call: wraps a JsSIP session, owns the call's state machine, and turns
 * JsSIP's events into ours. Exactly one `ended` per call, whatever JsSIP does.
 */
export class Call {
  readonly id: string;
  readonly direction: CallDirection;
  readonly number: string;
  readonly remote: Party;
  readonly local: Party;
  /** performance.now() when the call connected, or null. */
  connectedAt: number | null = null;
  /** Connected seconds once ended. */
  duration = 0;
  cause: EndCause | null = null;
  /** Whether `call-started` has been reported. */
  startedReported = false;

  private readonly machine: CallStateMachine;
  private readonly ice: IceGatheringPolicy;
  private readonly dtmfMode: DtmfMode;
  private session: RTCSession | null = null;
  private peer: RTCPeerConnection | null = null;
  private audio: HTMLAudioElement | null = null;
  /** A cause we decided ourselves (e.g. the peer connection failed), which JsSIP cannot know. */
  private forcedCause: EndCause | null = null;

  constructor(
    init: CallInit,
    private readonly hooks: CallHooks,
  ) {
    this.id = init.id;
    this.direction = init.direction;
    this.number = init.number;
    this.remote = init.remote;
    this.local = init.local;
    this.dtmfMode = init.dtmfMode;
    this.machine = new CallStateMachine(init.direction === 'outbound' ? 'dialing' : 'incoming', (s, p) =>
      this.hooks.stateChanged(this, s, p),
    );
    this.ice = new IceGatheringPolicy(init.iceServers, () => this.iceReady?.());
  }

  get state(): CallState {
    return this.machine.state;
  }

  get ended(): boolean {
    return this.machine.terminal;
  }

  /** The peer connection, once JsSIP made one (for stats). */
  get peerConnection(): RTCPeerConnection | null {
    return this.peer;
  }

  /** Event handlers to hand JsSIP's `ua.call()` so none are missed. */
  eventHandlers(): Record<string, (e: never) => void> {
    return {
      peerconnection: (e: PeerConnectionEvent) => this.onPeerConnection(e.peerconnection as unknown as RTCPeerConnection),
      icecandidate: (e: IceCandidateEvent) => this.onIceCandidate(e),
      // 'sending' fires just before the INVITE goes out; a microtask later it has.
      sending: () => queueMicrotask(() => this.reportStarted()),
      progress: (e: { originator: string }) => {
        if (e.originator === 'remote' && this.state === 'dialing') this.machine.transition('ringing');
      },
      accepted: () => this.onConnected(),
      confirmed: () => this.onConnected(),
      ended: (e: EndEvent) => this.finish(endCauseFor(e.cause, e.originator, this.connectedAt !== null)),
      failed: (e: EndEvent) => {
        if (e.cause === 'User Denied Media Access') this.hooks.error('media-denied', 'the microphone could not be opened');
        this.finish(endCauseFor(e.cause, e.originator, this.connectedAt !== null));
      },
      newDTMF: (e: IncomingDTMFEvent | OutgoingDTMFEvent) => {
        const tone = (e.dtmf as unknown as { tone: string }).tone;
        // RFC 2833 tones are reported by sendDtmf itself (JsSIP reports only INFO ones).
        if (e.originator === 'remote' || this.dtmfMode === 'info') this.hooks.dtmf(this, tone, e.originator === 'remote' ? 'inbound' : 'outbound');
      },
    };
  }

  /** Binds a JsSIP session (outbound: the one ua.call() returned; inbound: the new one). */
  attach(session: RTCSession, wireHandlers: boolean): void {
    this.session = session;
    if (wireHandlers) {
      for (const [name, handler] of Object.entries(this.eventHandlers())) {
        (session.on as (n: string, h: (e: never) => void) => void)(name, handler);
      }
    }
    const pc = session.connection as unknown as RTCPeerConnection | undefined;
    if (pc) this.onPeerConnection(pc);
  }

  answer(options: Record<string, unknown>): void {
    this.requireSession().answer(options);
  }

  /** Hang up, cancel or decline, whichever fits the state. */
  terminate(): void {
    const session = this.session;
    if (!session || session.isEnded()) return;
    if (this.direction === 'inbound' && this.state === 'incoming') {
      session.terminate({ status_code: 603, reason_phrase: 'Decline' });
    } else {
      session.terminate();
    }
  }

  /** Sends DTMF digits; resolves nothing: digits are reported as `dtmf` events. */
  sendDtmf(digits: string): void {
    const session = this.requireSession();
    if (this.dtmfMode === 'rfc2833') {
      session.sendDTMF(digits, { transportType: 'RFC2833' } as never);
      for (const digit of digits) this.hooks.dtmf(this, digit, 'outbound');
    } else {
      session.sendDTMF(digits, { transportType: 'INFO', duration: 100, interToneGap: 70 } as never);
    }
  }

  /** Ends the call from our side for a reason JsSIP does not know about. */
  abort(cause: EndCause): void {
    if (this.ended) return;
    this.forcedCause = cause;
    const session = this.session;
    if (session && !session.isEnded()) {
      try {
        session.terminate();
        return; // JsSIP's ended/failed arrives synchronously or soon and calls finish().
      } catch {
        // The session could not signal; end it locally.
      }
    }
    this.finish(cause);
  }

  /** Called when the call failed before JsSIP had a session. */
  failBeforeStart(cause: EndCause): void {
    this.finish(cause);
  }

  /** The ready() callback of the current ICE wait, if any. */
  private iceReady: (() => void) | undefined;

  private onIceCandidate(e: IceCandidateEvent): void {
    this.iceReady = e.ready;
    this.ice.candidate(e.candidate as unknown as { type?: string; url?: string });
  }

  private onPeerConnection(pc: RTCPeerConnection): void {
    if (this.peer === pc) return;
    this.peer = pc;
    pc.addEventListener('track', (event) => {
      if (event.track.kind !== 'audio') return;
      this.playRemote(event.streams[0] ?? new MediaStream([event.track]));
    });
    // JsSIP watches only iceConnectionState; a failed DTLS or ICE shows here.
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'failed' && !this.ended) this.abort('connection-lost');
    });
  }

  private playRemote(stream: MediaStream): void {
    if (!this.audio) {
      this.audio = new Audio();
      this.audio.autoplay = true;
    }
    this.audio.srcObject = stream;
    this.audio.play().catch(() => {
      if (!this.ended) this.hooks.error('audio-blocked', 'the browser blocked remote audio until the user interacts with the page');
    });
  }

  private onConnected(): void {
    if (this.connectedAt !== null || this.ended) return;
    this.connectedAt = performance.now();
    this.machine.transition('in-progress');
    if (this.direction === 'inbound') this.reportStarted();
  }

  /** Reports `call-started` once. */
  reportStarted(): void {
    if (this.startedReported) return;
    this.startedReported = true;
    this.hooks.started(this);
  }

  private finish(cause: EndCause): void {
    if (this.ended) return;
    const final = this.forcedCause ?? cause;
    this.ice.dispose();
    this.duration = this.connectedAt === null ? 0 : Math.round(performance.now() - this.connectedAt) / 1000;
    this.cause = final;
    this.releaseMedia();
    this.machine.transition(terminalStateFor(final));
    this.hooks.ended(this, final);
  }

  /** Stops the microphone and the remote audio, whoever created them. */
  private releaseMedia(): void {
    if (this.peer) {
      for (const sender of this.peer.getSenders()) sender.track?.stop();
    }
    if (this.audio) {
      this.audio.pause();
      this.audio.srcObject = null;
      this.audio = null;
    }
  }

  private requireSession(): RTCSession {
    if (!this.session) throw new Error('call has no session yet');
    return this.session;
  }
}
