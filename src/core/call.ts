// One call's facade: its public API and the wiring of JsSIP's session events to its parts in call/ (media, hold,
// liveness, recovery, transfer). New behaviour goes into a part there, not here.
import { CallStateMachine, type CallState } from './call-state.js';
import { endCauseFor, terminalStateFor } from './causes.js';
import { HoldControl } from './call/hold.js';
import type { CallHooks, CallInit } from './call/hooks.js';
import { LivenessWatchdog } from './call/liveness.js';
import { LazyQualitySampler } from './quality/lazy-sampler.js';
import { CallRecovery, type RecoveryReason } from './call/recovery.js';
import { turnAnswers } from './call/ice-probe.js';
import { blindTransfer } from './call/transfer.js';
import type { QualitySample } from './quality/stats-sample.js';
import type { CallQuality } from './quality/summary.js';
import { IceGatheringPolicy } from './ice-policy.js';
import { keepOnIceFailure, listen, peerOf, recoveryReinvite, sendDtmf, type SessionEnd, type SessionHandlers, type SipSession } from './jssip-adapter.js';
import type { CallDirection, DtmfMode, EndCause, Party } from './types.js';

import { CallMedia, microphoneErrorCode } from './call/media.js';
import { stopStream } from './voice-processing.js';

export { microphoneErrorCode };
export type { ReferAccept } from './jssip-adapter.js';
export type { CallHooks, CallInit };

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
  /** When the call began, epoch ms, for display (history). */
  readonly startedAt = Date.now();
  /** performance.now() when the call connected, or null. */
  connectedAt: number | null = null;
  /** Connected seconds once ended. */
  duration = 0;
  cause: EndCause | null = null;
  /** The caller's CANCEL said another phone of this user answered (Reason: SIP;cause=200). */
  answeredElsewhere = false;
  /** Runs after a mute or unmute went through JsSIP (a merged call moves it from the sent mix to the microphone). */
  afterMute: ((muted: boolean) => void) | null = null;
  /** Whether `call-started` has been reported. */
  startedReported = false;
  /** The far end's provisional response carried media (183 with SDP): it plays its own ringback. */
  earlyMedia = false;

  private readonly machine: CallStateMachine;
  private ice: IceGatheringPolicy;
  private readonly iceServers: readonly RTCIceServer[];
  private readonly recovery: CallRecovery;
  private readonly dtmfMode: DtmfMode;
  private readonly media: CallMedia;
  private readonly hold: HoldControl;
  private readonly liveness: LivenessWatchdog;
  private readonly quality: LazyQualitySampler;
  private session: SipSession | null = null;
  private peer: RTCPeerConnection | null = null;
  /** An answer (or dial) is under way: waiting for the microphone or for JsSIP. */
  private pending = false;
  /** The far end sent a provisional response: a later timeout means nobody answered. */
  private alerted = false;
  /** A cause we decided ourselves (e.g. the peer connection failed), which JsSIP cannot know. */
  private forcedCause: EndCause | null = null;
  private isMuted = false;
  private transferring = false;
  /** The ready() callback of the current ICE wait, if any. */
  private iceReady: (() => void) | undefined;

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
    this.machine = new CallStateMachine(init.direction === 'outbound' ? 'dialing' : 'incoming', (s, p) => this.hooks.stateChanged(this, s, p));
    this.iceServers = init.iceServers;
    this.ice = new IceGatheringPolicy(init.iceServers, () => this.iceReady?.());
    this.media = new CallMedia(
      init.microphone,
      init.speaker,
      {
        error: (code, message) => this.hooks.error(code, message),
        audioBlocked: () => this.hooks.audioBlocked(this),
      },
      init.voice,
    );
    this.hold = new HoldControl(init.direction === 'outbound', () => this.ended, {
      changed: (held) => this.hooks.holdChanged(this, held, 'local'),
      failed: (message) => this.hooks.error('call-failed', message),
    });
    this.liveness = new LivenessWatchdog(
      () => this.peer,
      () => this.hold.local || this.hold.remote,
      { silence: (silent) => this.hooks.audioSilence(this, silent), dead: () => this.abort('connection-lost') },
      () => this.recovery.active,
    );
    this.recovery = new CallRecovery(init.direction === 'outbound', {
      reconnecting: (reason) => this.hooks.reconnecting(this, reason),
      reconnected: (after) => this.hooks.reconnected(this, after),
      end: () => this.abort('connection-lost'),
      reinvite: async (iceRestart) => {
        if (!this.session || this.ended) return { ok: false, status: 481 };
        if (iceRestart) this.renewIce();
        return recoveryReinvite(this.session, iceRestart);
      },
      iceServersAnswer: () => (this.peer ? turnAnswers(this.peer) : Promise.resolve(true)),
      signalingUp: () => this.hooks.signalingUp(),
      mediaUp: () => ['connected', 'completed'].includes(this.peer?.iceConnectionState ?? ''),
    });
    // Its own getStats() poll beside the watchdog's: the two read different fields and stop at different times.
    this.quality = new LazyQualitySampler(
      { peerConnection: () => this.peer, held: () => this.hold.local || this.hold.remote, muted: () => this.isMuted },
      { raise: (w) => this.hooks.qualityWarning(this, w, true), clear: (w) => this.hooks.qualityWarning(this, w, false) },
      { thresholds: init.qualityThresholds },
    );
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

  get muted(): boolean {
    return this.isMuted;
  }

  get held(): { local: boolean; remote: boolean } {
    return { local: this.hold.local, remote: this.hold.remote };
  }

  /** Answer was pressed; the microphone or the media negotiation is still on its way. */
  get answering(): boolean {
    return this.pending && this.state === 'incoming';
  }

  /** A hold or resume was asked for and the far end has not answered yet. */
  get holdPending(): boolean {
    return this.hold.pending;
  }

  /** A transfer was asked for and its outcome is not known yet. */
  get transferPending(): boolean {
    return this.transferring;
  }

  /** The latest quality sample (`getCallStats`), or null before the first. */
  get stats(): QualitySample | null {
    return this.quality.latest;
  }

  /** The call's quality summary for `call-ended`; null when it was never sampled. */
  get qualitySummary(): CallQuality | null {
    return this.quality.summaryResult();
  }

  /** The call lost its network and is recovering (call/recovery.ts). */
  get reconnecting(): boolean {
    return this.recovery.active;
  }

  /** Whether audio has stopped arriving (see the liveness watchdog). */
  get silent(): boolean {
    return this.liveness.silent;
  }

  /** Handlers for the session's events (handed to JsSIP's `ua.call()` so none are missed). */
  eventHandlers(): SessionHandlers {
    return {
      peerConnection: (pc) => this.onPeerConnection(pc),
      iceCandidate: (candidate, ready) => {
        this.iceReady = ready;
        this.ice.candidate(candidate);
      },
      // 'sending' fires just before the INVITE goes out; a microtask later it has.
      sending: () => queueMicrotask(() => this.reportStarted()),
      progress: (remote, withBody) => {
        if (!remote) return;
        this.alerted = true;
        const early = withBody && !this.earlyMedia;
        if (early) this.earlyMedia = true;
        if (this.state === 'dialing') this.machine.transition('ringing');
        else if (early) this.hooks.earlyMedia(this);
      },
      accepted: () => this.onConnected(),
      confirmed: () => this.onConnected(),
      ended: (e) => this.finish(this.causeOf(e)),
      failed: (e) => {
        if (e.originator === 'remote' && e.status === 403 && /expired/i.test(e.reasonPhrase ?? '')) this.hooks.credentialExpired();
        if (e.originator === 'remote' && e.reason && /cause=200\b/.test(e.reason)) this.answeredElsewhere = true;
        this.finish(this.causeOf(e));
      },
      refer: (uri, accept, reject) => {
        if (!uri || this.ended) return reject();
        this.hooks.referred(this, uri, accept, reject);
      },
      // A hold by the far end (its offer says sendonly or inactive).
      hold: (remote) => this.onRemoteHold(remote, true),
      unhold: (remote) => this.onRemoteHold(remote, false),
      iceRestart: () => this.renewIce(),
      dtmf: (tone, remote) => {
        // RFC 2833 tones are reported by sendDtmf itself (JsSIP reports only INFO ones).
        if (remote || this.dtmfMode === 'info') this.hooks.dtmf(this, tone, remote ? 'inbound' : 'outbound');
      },
    };
  }

  /**
   * Opens the microphone, then places the call with `connect` (which hands the
   * stream to JsSIP). A hang-up while the browser asks for the microphone ends
   * the call as canceled, and the stream, when it comes, is stopped at once.
   */
  dial(connect: (microphone: MediaStream) => SipSession): void {
    this.pending = true;
    this.withMicrophone((microphone) => {
      try {
        this.attach(connect(microphone), false);
      } catch (e) {
        this.hooks.error('call-failed', (e as Error).message);
        this.finish('failed');
      }
    });
  }

  /** Binds a JsSIP session (outbound: the one ua.call() returned; inbound: the new one). */
  attach(session: SipSession, wireHandlers = true): void {
    this.session = session;
    keepOnIceFailure(session, () => this.connectedAt !== null);
    if (wireHandlers) listen(session, this.eventHandlers());
    const pc = peerOf(session);
    if (pc) this.onPeerConnection(pc);
  }

  /** Answers; false when an answer is already under way. */
  answer(options: Record<string, unknown>): boolean {
    const session = this.session;
    if (!session || this.pending || this.ended) return false;
    this.pending = true;
    this.withMicrophone((microphone) => {
      try {
        session.answer({ ...options, mediaStream: microphone });
      } catch (e) {
        this.hooks.error('call-failed', `the call could not be answered: ${(e as Error).message}`);
        this.abort('failed');
      }
    });
    return true;
  }

  /** Hang up, cancel or decline, whichever fits the state. */
  terminate(): void {
    const session = this.session;
    if (!session) {
      // Still waiting for the microphone: nothing is on the wire yet.
      if (this.direction === 'outbound') this.finish('canceled');
      return;
    }
    if (session.isEnded()) return;
    if (this.direction === 'inbound' && this.state === 'incoming') {
      try {
        session.terminate({ status_code: 603, reason_phrase: 'Decline' });
      } catch {
        this.finish('rejected');
      }
    } else {
      try {
        session.terminate();
      } catch {
        this.finish(this.connectedAt === null ? 'canceled' : 'local-hangup');
      }
    }
  }

  /** Sends DTMF digits; resolves nothing: digits are reported as `dtmf` events. */
  sendDtmf(digits: string): void {
    sendDtmf(this.requireSession(), digits, this.dtmfMode === 'rfc2833');
    if (this.dtmfMode === 'rfc2833') for (const digit of digits) this.hooks.dtmf(this, digit, 'outbound');
  }

  /**
   * Mutes or unmutes the microphone: the track is disabled, not removed, so
   * RTP keeps flowing (silence) and unmuting needs no renegotiation. Through
   * JsSIP, which also disables the track during a hold and must not undo a mute.
   */
  setMuted(muted: boolean): boolean {
    const session = this.session;
    if (this.ended || this.state !== 'in-progress' || !session || muted === this.isMuted) return false;
    this.isMuted = muted;
    if (muted) session.mute({ audio: true });
    else session.unmute({ audio: true });
    this.afterMute?.(muted);
    this.hooks.muteChanged(this, muted);
    return true;
  }

  /**
   * Holds or resumes (see HoldControl); `hold-change` fires only once the far
   * end has accepted. Returns false when there is nothing to do.
   */
  setHeld(held: boolean): boolean {
    if (this.ended || this.state !== 'in-progress' || !this.session) return false;
    return this.hold.request(held, this.session, () => this.peer);
  }

  /**
   * Blind transfer: asks the far end (REFER) to call `uri`. When the far end
   * reports the new call answered, this leg hangs up; on failure it stays.
   */
  transfer(target: string, uri: string): boolean {
    const session = this.session;
    if (this.ended || this.state !== 'in-progress' || !session || this.transferring) return false;
    this.transferring = true;
    return blindTransfer(session, uri, (result) => {
      this.transferring = false;
      this.hooks.transferred(this, target, result);
      if (result === 'accepted') this.terminate();
    });
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

  /** Switches the microphone, live on a call (see CallMedia). */
  setMicrophone(deviceId: string | null): Promise<void> {
    return this.media.setMicrophone(deviceId, this.peer, this.isMuted, () => this.ended);
  }

  /** The call's audio volume (0..1). */
  setVolume(volume: number): void {
    this.media.setVolume(volume);
  }

  /** Sends the call's audio to a speaker (null: the default). */
  setSpeaker(deviceId: string | null): Promise<void> {
    return this.media.setSpeaker(deviceId);
  }

  /** Plays the call's audio again after the browser blocked it (call from a user gesture). */
  resumeAudio(): Promise<void> {
    return this.media.resume();
  }

  /** Reports `call-started` once. */
  reportStarted(): void {
    if (this.startedReported) return;
    this.startedReported = true;
    this.hooks.started(this);
  }

  private onPeerConnection(pc: RTCPeerConnection): void {
    if (this.peer === pc) return;
    this.peer = pc;
    pc.addEventListener('track', (event) => {
      if (event.track.kind !== 'audio') return;
      this.media.playRemote(event.streams[0] ?? new MediaStream([event.track]), () => this.ended);
    });
    // A failed DTLS or ICE shows here: before the call connected it ends it, after it the call recovers.
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState !== 'failed' || this.ended) return;
      if (this.connectedAt === null) this.abort('connection-lost');
      else this.network('media-lost');
    });
    pc.addEventListener('iceconnectionstatechange', () => {
      if (this.ended || this.connectedAt === null) return;
      const state = pc.iceConnectionState;
      if (state === 'disconnected' || state === 'failed') this.network('media-lost');
      if (state === 'failed') this.recovery.now();
      else this.recovery.update();
    });
  }

  /**
   * The network changed under a connected call (`network-change`), its SIP
   * socket dropped (`signaling-lost`) or came back (null): see call/recovery.ts.
   */
  network(change: RecoveryReason | 'signaling-lost' | null): void {
    if (this.ended || this.connectedAt === null) return;
    if (change === 'signaling-lost') this.recovery.signalingLost();
    else if (change) this.recovery.begin(change);
    else this.recovery.update();
  }

  /** A new ICE generation gathers candidates: a fresh policy decides when enough have come. */
  private renewIce(): void {
    this.ice.dispose();
    this.ice = new IceGatheringPolicy(this.iceServers, () => this.iceReady?.());
  }

  private onRemoteHold(remote: boolean, held: boolean): void {
    if (!remote || this.ended || !this.hold.remoteChanged(held)) return;
    this.hooks.holdChanged(this, held, 'remote');
  }

  private withMicrophone(then: (microphone: MediaStream) => void): void {
    this.media.open().then(
      (microphone) => {
        if (this.ended) {
          stopStream(microphone);
          return;
        }
        this.media.use(microphone);
        then(microphone);
      },
      (e: unknown) => {
        if (this.ended) return;
        this.hooks.error(microphoneErrorCode(e), `the microphone could not be opened: ${(e as Error)?.message ?? e}`);
        this.pending = false;
        if (this.session) this.abort('failed');
        else this.finish('failed');
      },
    );
  }

  /** Our cause for a JsSIP end, from the SIP status where there is one. */
  private causeOf(e: SessionEnd): EndCause {
    return endCauseFor(e.cause, e.originator, this.connectedAt !== null, e.originator === 'remote' ? e.status : undefined, this.alerted);
  }

  private onConnected(): void {
    if (this.connectedAt !== null || this.ended) return;
    this.connectedAt = performance.now();
    this.machine.transition('in-progress');
    this.liveness.start();
    this.quality.start();
    if (this.direction === 'inbound') this.reportStarted();
  }

  private finish(cause: EndCause): void {
    if (this.ended) return;
    const final = this.forcedCause ?? cause;
    this.ice.dispose();
    this.recovery.dispose();
    this.liveness.stop();
    this.quality.stop();
    this.duration = this.connectedAt === null ? 0 : Math.round(performance.now() - this.connectedAt) / 1000;
    this.cause = final;
    this.media.release(this.peer);
    this.machine.transition(terminalStateFor(final));
    this.hooks.ended(this, final);
  }

  private requireSession(): SipSession {
    if (!this.session) throw new Error('call has no session yet');
    return this.session;
  }
}
