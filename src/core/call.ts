import type { RTCSession, EndEvent, IceCandidateEvent, IncomingDTMFEvent, OutgoingDTMFEvent, PeerConnectionEvent } from 'jssip/lib/RTCSession';
import { CallStateMachine, type CallState } from './call-state.js';
import { endCauseFor, terminalStateFor } from './causes.js';
import { IceGatheringPolicy } from './ice-policy.js';
import type { ReferUri } from './transfer-request.js';
import type { CallDirection, DtmfMode, EndCause, ErrorCode, Party } from './types.js';

/** What a call tells its phone. */
export interface CallHooks {
  stateChanged(call: Call, state: CallState, previous: CallState): void;
  started(call: Call): void;
  ended(call: Call, cause: EndCause): void;
  dtmf(call: Call, digit: string, direction: 'inbound' | 'outbound'): void;
  muteChanged(call: Call, muted: boolean): void;
  holdChanged(call: Call, held: boolean, by: 'local' | 'remote'): void;
  transferred(call: Call, target: string, result: 'accepted' | 'failed'): void;
  /** Audio stopped arriving on a call nobody holds (true), or came back (false). */
  audioSilence(call: Call, silent: boolean): void;
  /**
   * The far end asks this phone to call `target` (REFER). JsSIP has already
   * answered 202: `accept` places that call, `reject` NOTIFYs `603 Decline`.
   */
  referred(call: Call, target: ReferUri, accept: ReferAccept, reject: () => void): void;
  error(code: ErrorCode, message: string): void;
  /** The server refused the call because the credential expired. */
  credentialExpired(): void;
  /** The browser would not play the call's audio before a user gesture. */
  audioBlocked(call: Call): void;
  /** The far end started sending audio before answering (its own ringback or announcement). */
  earlyMedia(call: Call): void;
}

/** JsSIP's accept() of a REFER: starts the new session, handing it to `init` at once. */
export type ReferAccept = (init: (session: RTCSession) => void, options: Record<string, unknown>) => void;

/** The parts of JsSIP's URI class a Refer-To is read from (its headers hold arrays of encoded values). */
interface JsSipUri {
  scheme: string;
  user?: string | null;
  host: string;
  port?: number | null;
  _parameters?: Record<string, unknown>;
  _headers?: Record<string, string[]>;
}

function referUriOf(uri: JsSipUri): ReferUri {
  const headers: Array<[string, string]> = [];
  for (const [name, values] of Object.entries(uri._headers ?? {})) {
    for (const value of values) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(value);
      } catch {
        decoded = '\u0000'; // not valid percent-encoding: refused by the rule
      }
      headers.push([name, decoded]);
    }
  }
  return {
    scheme: uri.scheme,
    user: uri.user ?? null,
    host: uri.host,
    port: uri.port ?? null,
    params: Object.keys(uri._parameters ?? {}),
    headers,
  };
}

/** No RTP or RTCP from the far end for this long, on a call nobody holds, is worth a warning. */
const NO_AUDIO_MS = 3_000;
/** Nothing at all for this long, on a call nobody holds: the far end is gone (a ghost call), end it. */
const DEAD_AFTER_MS = 15_000;
const LIVENESS_POLL_MS = 1_000;

/** How long a transfer may take to report its outcome (the far end's NOTIFY). */
const TRANSFER_TIMEOUT_MS = 30_000;

/** The microphone (a chosen one, or the default), asked for by the call itself so it can always be released. */
const microphoneConstraints = (deviceId: string | null): MediaStreamConstraints => ({
  audio: deviceId ? { deviceId: { exact: deviceId } } : true,
  video: false,
});

type SinkAudio = HTMLAudioElement & { setSinkId?(id: string): Promise<void> };

export interface CallInit {
  id: string;
  direction: CallDirection;
  number: string;
  remote: Party;
  local: Party;
  iceServers: readonly RTCIceServer[];
  dtmfMode: DtmfMode;
  /** Device ids; null is the system default. */
  microphone: string | null;
  speaker: string | null;
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
  /** When the call began, epoch ms, for display (history). */
  readonly startedAt = Date.now();
  /** performance.now() when the call connected, or null. */
  connectedAt: number | null = null;
  /** Connected seconds once ended. */
  duration = 0;
  cause: EndCause | null = null;
  /** The caller's CANCEL said another phone of this user answered (Reason: SIP;cause=200). */
  answeredElsewhere = false;
  /** Whether `call-started` has been reported. */
  startedReported = false;

  private readonly machine: CallStateMachine;
  private readonly ice: IceGatheringPolicy;
  private readonly dtmfMode: DtmfMode;
  private session: RTCSession | null = null;
  private peer: RTCPeerConnection | null = null;
  private audio: SinkAudio | null = null;
  private microphone: MediaStream | null = null;
  private microphoneId: string | null;
  private speakerId: string | null;
  /** The far end's provisional response carried media (183 with SDP): it plays its own ringback. */
  earlyMedia = false;
  /** An answer (or dial) is under way: waiting for the microphone or for JsSIP. */
  private pending = false;
  /** The far end sent a provisional response: a later timeout means nobody answered. */
  private alerted = false;
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
    this.microphoneId = init.microphone;
    this.speakerId = init.speaker;
    this.machine = new CallStateMachine(init.direction === 'outbound' ? 'dialing' : 'incoming', (s, p) => this.hooks.stateChanged(this, s, p));
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
      progress: (e: { originator: string; response?: { body?: string } }) => {
        if (e.originator !== 'remote') return;
        this.alerted = true;
        const early = !!e.response?.body && !this.earlyMedia;
        if (early) this.earlyMedia = true;
        if (this.state === 'dialing') this.machine.transition('ringing');
        else if (early) this.hooks.earlyMedia(this);
      },
      accepted: () => this.onConnected(),
      confirmed: () => this.onConnected(),
      ended: (e: EndEvent) => this.finish(this.causeOf(e)),
      failed: (e: EndEvent) => {
        const response = e.message as unknown as { status_code?: number; reason_phrase?: string } | undefined;
        if (e.originator === 'remote' && response?.status_code === 403 && /expired/i.test(response.reason_phrase ?? '')) {
          this.hooks.credentialExpired();
        }
        const reason = (e.message as unknown as { getHeader?(n: string): string | undefined } | undefined)?.getHeader?.('Reason');
        if (e.originator === 'remote' && reason && /cause=200\b/.test(reason)) this.answeredElsewhere = true;
        this.finish(this.causeOf(e));
      },
      refer: (e: { request: { refer_to?: { uri: JsSipUri } }; accept: ReferAccept; reject: () => void }) => {
        const uri = e.request.refer_to?.uri;
        if (!uri || this.ended) return e.reject();
        this.hooks.referred(this, referUriOf(uri), e.accept, e.reject);
      },
      // A hold by the far end (its offer says sendonly or inactive).
      hold: (e: { originator: string }) => this.onRemoteHold(e.originator, true),
      unhold: (e: { originator: string }) => this.onRemoteHold(e.originator, false),
      newDTMF: (e: IncomingDTMFEvent | OutgoingDTMFEvent) => {
        const tone = (e.dtmf as unknown as { tone: string }).tone;
        // RFC 2833 tones are reported by sendDtmf itself (JsSIP reports only INFO ones).
        if (e.originator === 'remote' || this.dtmfMode === 'info') this.hooks.dtmf(this, tone, e.originator === 'remote' ? 'inbound' : 'outbound');
      },
    };
  }

  /**
   * Opens the microphone, then places the call with `connect` (which hands the
   * stream to JsSIP). A hang-up while the browser asks for the microphone ends
   * the call as canceled, and the stream, when it comes, is stopped at once.
   */
  dial(connect: (microphone: MediaStream) => RTCSession): void {
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
  attach(session: RTCSession, wireHandlers = true): void {
    this.session = session;
    if (wireHandlers) {
      for (const [name, handler] of Object.entries(this.eventHandlers())) {
        (session.on as (n: string, h: (e: never) => void) => void)(name, handler);
      }
    }
    const pc = session.connection as unknown as RTCPeerConnection | undefined;
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
    const session = this.requireSession();
    if (this.dtmfMode === 'rfc2833') {
      // 200 ms tones: with telephone-event/8000 beside Opus (most SIP phones offer only 8 kHz events),
      // Chromium sends tones of 120 ms or less as end packets only, which baresip and others drop.
      session.sendDTMF(digits, { transportType: 'RFC2833', duration: 200, interToneGap: 100 } as never);
      for (const digit of digits) this.hooks.dtmf(this, digit, 'outbound');
    } else {
      session.sendDTMF(digits, { transportType: 'INFO', duration: 100, interToneGap: 70 } as never);
    }
  }

  get muted(): boolean {
    return this.isMuted;
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
    this.hooks.muteChanged(this, muted);
    return true;
  }

  private isMuted = false;

  get held(): { local: boolean; remote: boolean } {
    return { local: this.localHold, remote: this.remoteHold };
  }

  /** Answer was pressed; the microphone or the media negotiation is still on its way. */
  get answering(): boolean {
    return this.pending && this.state === 'incoming';
  }

  /** A hold or resume was asked for and the far end has not answered yet. */
  get holdPending(): boolean {
    return this.wantHold !== this.localHold;
  }

  /** A transfer was asked for and its outcome is not known yet. */
  get transferPending(): boolean {
    return this.transferring;
  }

  /**
   * Holds or resumes with a re-INVITE whose media is `inactive` (no audio
   * either way). Requests are serialised; a 491 (glare) is retried after the
   * random wait of RFC 3261 §14.1; `hold-change` fires only once the far end
   * has accepted. Returns false when there is nothing to do.
   */
  setHeld(held: boolean): boolean {
    if (this.ended || this.state !== 'in-progress' || !this.session || this.wantHold === held) return false;
    this.wantHold = held;
    this.renegotiation = this.renegotiation.then(() => this.reinviteHold(held));
    return true;
  }

  /**
   * Blind transfer: asks the far end (REFER) to call `uri`. When the far end
   * reports the new call answered, this leg hangs up; on failure it stays.
   */
  transfer(target: string, uri: string): boolean {
    const session = this.session;
    if (this.ended || this.state !== 'in-progress' || !session || this.transferring) return false;
    this.transferring = true;
    let done = false;
    const finish = (result: 'accepted' | 'failed') => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.transferring = false;
      this.hooks.transferred(this, target, result);
      if (result === 'accepted') this.terminate();
    };
    const timer = setTimeout(() => finish('failed'), TRANSFER_TIMEOUT_MS);
    try {
      session.refer(uri, {
        eventHandlers: {
          requestFailed: () => finish('failed'),
          accepted: () => finish('accepted'),
          failed: () => finish('failed'),
        },
      } as never);
    } catch {
      finish('failed');
      return false;
    }
    return true;
  }

  private transferring = false;

  /** Whether audio has stopped arriving (see NO_AUDIO_MS). */
  get silent(): boolean {
    return this.isSilent;
  }

  private isSilent = false;
  private livenessTimer: ReturnType<typeof setInterval> | undefined;
  private lastSign = -1;
  private lastSignAt = 0;

  /** Watches the far end's RTP packets and RTCP sender reports (silence-suppressing peers still send RTCP). */
  private watchLiveness(): void {
    this.lastSignAt = performance.now();
    this.livenessTimer = setInterval(() => void this.checkLiveness(), LIVENESS_POLL_MS);
  }

  private async checkLiveness(): Promise<void> {
    const pc = this.peer;
    if (!pc || this.ended) return;
    let sign = 0;
    (await pc.getStats()).forEach((s: { type: string; kind?: string; packetsReceived?: number; reportsSent?: number }) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') sign += s.packetsReceived ?? 0;
      if (s.type === 'remote-outbound-rtp' && s.kind === 'audio') sign += s.reportsSent ?? 0;
    });
    if (this.ended) return;
    const now = performance.now();
    // Held either way, silence is expected: start counting afresh.
    if (sign !== this.lastSign || this.localHold || this.remoteHold) {
      this.lastSign = sign;
      this.lastSignAt = now;
      if (this.isSilent) {
        this.isSilent = false;
        this.hooks.audioSilence(this, false);
      }
      return;
    }
    if (now - this.lastSignAt >= DEAD_AFTER_MS) {
      this.abort('connection-lost');
      return;
    }
    if (!this.isSilent && now - this.lastSignAt >= NO_AUDIO_MS) {
      this.isSilent = true;
      this.hooks.audioSilence(this, true);
    }
  }

  private localHold = false;
  private remoteHold = false;
  /** The hold state asked for last; requests queue behind each other. */
  private wantHold = false;
  private renegotiation: Promise<void> = Promise.resolve();

  private async reinviteHold(held: boolean): Promise<void> {
    const pc = this.peer;
    if (this.ended || !pc || this.localHold === held) return;
    const direction = (on: boolean) => {
      for (const t of pc.getTransceivers()) if (t.currentDirection !== 'stopped') t.direction = on ? 'inactive' : 'sendrecv';
    };
    for (let attempt = 0; attempt < 4 && !this.ended; attempt++) {
      direction(held);
      const result = await this.reinvite();
      if (this.ended) return;
      if (result.ok) {
        this.localHold = held;
        this.hooks.holdChanged(this, held, 'local');
        return;
      }
      // 491: the far end was renegotiating too. No status: our own description lost the
      // same race (the far end's offer arrived first). Both are glare; anything else is final.
      if (result.status !== 491 && result.status !== undefined) break;
      // Glare: the owner of the Call-ID (the caller) waits 2.1–4 s, the other side 0–2 s.
      const wait = this.direction === 'outbound' ? 2100 + Math.random() * 1900 : Math.random() * 2000;
      await new Promise((r) => setTimeout(r, wait));
    }
    if (this.ended) return;
    direction(this.localHold);
    try {
      await pc.setLocalDescription({ type: 'rollback' });
    } catch {
      // Already stable.
    }
    this.wantHold = this.localHold;
    this.hooks.error('call-failed', held ? 'the call could not be put on hold' : 'the call could not be resumed');
  }

  /** One re-INVITE with the current local description; resolves with the outcome. */
  private reinvite(): Promise<{ ok: boolean; status?: number }> {
    // JsSIP's public hold()/renegotiate() end the whole call on any failure,
    // 491 included; its re-INVITE sender takes handlers that let us decide.
    const session = this.session as unknown as {
      isReadyToReOffer(): boolean;
      _sendReinvite(options: {
        rtcOfferConstraints: RTCOfferOptions;
        eventHandlers: { succeeded(): void; failed(response?: { status_code?: number }): void };
      }): void;
    };
    return new Promise((resolve) => {
      if (!session.isReadyToReOffer()) return resolve({ ok: false, status: 491 });
      session._sendReinvite({
        // No legacy offerToReceiveAudio here: it would turn an `inactive` transceiver back into `recvonly`.
        rtcOfferConstraints: {},
        eventHandlers: {
          succeeded: () => resolve({ ok: true }),
          failed: (response) => resolve({ ok: false, status: response?.status_code }),
        },
      });
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

  private onRemoteHold(originator: string, held: boolean): void {
    if (originator !== 'remote' || this.remoteHold === held || this.ended) return;
    this.remoteHold = held;
    this.hooks.holdChanged(this, held, 'remote');
  }

  /** The chosen microphone; if it is gone, the default one (with an `error` saying so). */
  private async openMicrophone(): Promise<MediaStream> {
    const chosen = this.microphoneId;
    if (!chosen) return navigator.mediaDevices.getUserMedia(microphoneConstraints(null));
    try {
      return await navigator.mediaDevices.getUserMedia(microphoneConstraints(chosen));
    } catch (e) {
      const name = (e as DOMException)?.name;
      if (name !== 'OverconstrainedError' && name !== 'NotFoundError') throw e;
      this.hooks.error('device-unavailable', 'the chosen microphone is not available; using the default one');
      return navigator.mediaDevices.getUserMedia(microphoneConstraints(null));
    }
  }

  /**
   * Switches the microphone, live on a call: the new track replaces the old
   * one in the sender (no renegotiation) and keeps the mute.
   */
  async setMicrophone(deviceId: string | null): Promise<void> {
    this.microphoneId = deviceId;
    const sender = this.peer?.getSenders().find((s) => s.track?.kind === 'audio');
    if (!this.microphone || !sender || this.ended) return;
    const next = await this.openMicrophone();
    if (this.ended) {
      for (const track of next.getTracks()) track.stop();
      return;
    }
    const [track] = next.getAudioTracks();
    track.enabled = !this.isMuted;
    await sender.replaceTrack(track);
    for (const old of this.microphone.getTracks()) old.stop();
    this.microphone = next;
  }

  /** Sends the call's audio to a speaker (null: the default). */
  async setSpeaker(deviceId: string | null): Promise<void> {
    this.speakerId = deviceId;
    await this.applySpeaker();
  }

  private async applySpeaker(): Promise<void> {
    const audio = this.audio;
    if (!audio?.setSinkId) return;
    try {
      await audio.setSinkId(this.speakerId ?? '');
    } catch {
      this.hooks.error('device-unavailable', 'the chosen speaker is not available; using the default one');
      await audio.setSinkId('').catch(() => {});
    }
  }

  /** Plays the call's audio again after the browser blocked it (call from a user gesture). */
  resumeAudio(): Promise<void> {
    return this.audio?.paused ? this.audio.play() : Promise.resolve();
  }

  private withMicrophone(then: (microphone: MediaStream) => void): void {
    this.openMicrophone().then(
      (microphone) => {
        if (this.ended) {
          for (const track of microphone.getTracks()) track.stop();
          return;
        }
        this.microphone = microphone;
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
  private causeOf(e: EndEvent): EndCause {
    const status = (e.message as unknown as { status_code?: number } | undefined)?.status_code;
    return endCauseFor(e.cause, e.originator, this.connectedAt !== null, e.originator === 'remote' ? status : undefined, this.alerted);
  }

  private playRemote(stream: MediaStream): void {
    if (!this.audio) {
      this.audio = new Audio();
      this.audio.autoplay = true;
    }
    this.audio.srcObject = stream;
    if (this.speakerId) void this.applySpeaker();
    this.audio.play().catch((e: unknown) => {
      if (!this.ended && (e as DOMException)?.name === 'NotAllowedError') this.hooks.audioBlocked(this);
    });
  }

  private onConnected(): void {
    if (this.connectedAt !== null || this.ended) return;
    this.connectedAt = performance.now();
    this.machine.transition('in-progress');
    this.watchLiveness();
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
    clearInterval(this.livenessTimer);
    this.duration = this.connectedAt === null ? 0 : Math.round(performance.now() - this.connectedAt) / 1000;
    this.cause = final;
    this.releaseMedia();
    this.machine.transition(terminalStateFor(final));
    this.hooks.ended(this, final);
  }

  /** Stops the microphone and the remote audio. */
  private releaseMedia(): void {
    for (const track of this.microphone?.getTracks() ?? []) track.stop();
    this.microphone = null;
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

/** Why getUserMedia failed, in our words: the user (or the site's settings) said no, or there is no microphone. */
export function microphoneErrorCode(e: unknown): 'microphone-denied' | 'microphone-missing' {
  const name = (e as DOMException | undefined)?.name;
  return name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError' ? 'microphone-missing' : 'microphone-denied';
}
