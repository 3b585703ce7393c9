import type { TokenClaims } from '../../shared/token-claims.js';
import { cleanDisplayName } from '../../shared/display-name.js';
import { Call } from '../call.js';
import type { CallHistory } from '../call-history.js';
import { DTMF_DIGITS, normalizeDialString } from '../dial-string.js';
import { referOptions, type AgentEvents, type ReferAccept, type SipAgent, type SipSession } from '../jssip-adapter.js';
import type { ToneKind } from '../tones.js';
import { referTarget, TransferRequests, type PendingTransfer, type ReferPolicy, type ReferUri } from '../transfer-request.js';
import type { CallReceivedDetail, EndCause, Party, PhoneEventMap, PhoneState, WidgetState } from '../types.js';
import type { QualitySample } from '../quality/stats-sample.js';
import type { RecoveryReason } from '../call/recovery.js';
import type { AudioSession } from './audio-session.js';
import { callerOf, type Caller } from './caller-identity.js';
import { IncomingPolicy } from './incoming-policy.js';
import { loadChunk } from '../../shared/lazy-chunks.js';
import type { Consults } from './consult.js';
import { Supersedes } from './replaces.js';
import { ContactLookup } from './contact-lookup.js';
import type { PhoneSettings } from './settings.js';

type CallEvents = PhoneEventMap & { 'transfer-request-change': Record<string, never>; 'contact-change': Record<string, never> };

/** What the registry reads from, and tells, its phone. */
export interface RegistryContext {
  audio: AudioSession;
  emit<K extends keyof CallEvents>(type: K, detail: CallEvents[K]): void;
  claims(): TokenClaims | null;
  /** The user agent, when the phone is ready to call. */
  agent(): SipAgent | null;
  phoneState(): PhoneState;
  /** The caller ID chosen for outgoing calls, or null. */
  outboundNumber(): string | null;
  media(): ReturnType<PhoneSettings['media']>;
  history(): CallHistory | null;
  credentialExpired(): void;
  /** The last live call ended (a deferred reconnection may go ahead). */
  idle(): void;
  /** Connected and registered: in-dialog requests can leave. */
  signalingUp(): boolean;
}

/**
 * The phone's calls: which one is in the foreground (getState() reports it,
 * and the last ended one until the next call or reset()), which one waits,
 * the busy policy for another, the far end's transfer requests, and the
 * commands on them. Every command returns whether it was accepted and says
 * why not with an `error` event.
 * Past 450 lines because every command that picks a call lives here, the
 * consult, replacing and merging ones included; their mechanics are in
 * consult.ts, replaces.ts and the conference chunk.
 */
export class CallRegistry {
  readonly calls = new Map<string, Call>();
  foreground: Call | null = null;
  busyPolicy: 'wait' | 'reject' = 'wait';
  referPolicy: ReferPolicy = 'ask';
  /** Do-not-disturb and auto-answer. */
  readonly policy = new IncomingPolicy();
  /** A transfer the far end asked for, waiting for the user (`refer-policy="ask"`). */
  readonly transferRequests: TransferRequests;
  /** Attended transfer: the held call and the consult call (the `consult` chunk, loaded by the first consult). */
  consults: Consults | null = null;
  /** A consult waits for its chunk. */
  private consultLoading = false;
  private readonly supersedes = new Supersedes();
  /** The call an INVITE with Replaces is replacing, while JsSIP raises the new session (synchronously). */
  private replacing: Call | null = null;
  /** Caller lookup (`resolveContact`): each call's contact. */
  readonly contacts = new ContactLookup();
  /** Calls whose lookup has not answered yet. */
  private readonly looking = new Set<string>();
  /**
   * Inbound calls whose `call-received` waits for their lookup (at most its timeout, and never past the call's
   * next event). The ringing does not wait: the call rings, and shows its number, at once.
   */
  private readonly unannounced = new Map<string, Omit<CallReceivedDetail, 'id' | 'contact'>>();

  constructor(private readonly ctx: RegistryContext) {
    this.transferRequests = new TransferRequests(() => ctx.emit('transfer-request-change', {}));
  }

  get pendingTransfer(): PendingTransfer | null {
    return this.transferRequests.pending;
  }

  /** The foreground call's state, or the phone's own. */
  get state(): WidgetState {
    return this.foreground?.state ?? this.ctx.phoneState();
  }

  /** A second call ringing while the foreground call goes on. */
  get waiting(): Call | null {
    for (const call of this.calls.values()) if (call !== this.foreground && call.state === 'incoming' && !call.replaces) return call;
    return null;
  }

  /** A live call's latest quality sample; null for an unknown or ended call, or before the first sample. */
  stats(id: string): QualitySample | null {
    return this.calls.get(id)?.stats ?? null;
  }

  /** The network changed under the calls (see Call.network): each connected call recovers, or goes on recovering. */
  network(change: RecoveryReason | 'signaling-lost' | null): void {
    for (const call of this.calls.values()) call.network(change);
  }

  /** The foreground call while it lives (during a transfer two calls overlap), else any live one. */
  live(): Call | null {
    if (this.foreground && !this.foreground.ended) return this.foreground;
    for (const call of this.calls.values()) if (!call.ended) return call;
    return null;
  }

  /** The tone the calls call for: a ringtone, a ringback (unless the far end sends its own), a call-waiting beep. */
  tone(): ToneKind | null {
    const fg = this.foreground;
    if (fg?.state === 'incoming') return 'ringtone';
    if (fg?.state === 'ringing' && !fg.earlyMedia) return 'ringback';
    if (fg?.state === 'in-progress' && this.waiting) return 'waiting';
    return null;
  }

  // ── commands ───────────────────────────────────────────────────────────────

  call(target: string): boolean {
    const domain = this.ctx.claims()?.sip_domain ?? '';
    const number = normalizeDialString(target, domain);
    if (number === null) return this.refuse('invalid-number', `cannot dial ${JSON.stringify(String(target).slice(0, 100))}`);
    if (this.live()) return this.refuse('call-in-progress', 'a call is already in progress');
    const agent = this.ctx.agent();
    if (this.ctx.phoneState() !== 'ready' || !agent || !this.ctx.claims()) return this.refuse('not-ready', `the phone is not ready (${this.ctx.phoneState()})`);
    this.dial(agent, number, domain);
    return true;
  }

  /** Attended transfer, step one: holds the connected call and calls `target` (same dial rule as `call()`). */
  consult(target: string): boolean {
    const domain = this.ctx.claims()?.sip_domain ?? '';
    const number = normalizeDialString(target, domain);
    if (number === null) return this.refuse('invalid-number', `cannot consult ${JSON.stringify(String(target).slice(0, 100))}`);
    const held = this.live();
    if (!held || held.state !== 'in-progress' || this.calls.size > 1 || this.consults?.pair || this.consultLoading)
      return this.noCall('consult needs exactly one connected call');
    const agent = this.ctx.agent();
    if (this.ctx.phoneState() !== 'ready' || !agent) return this.refuse('not-ready', `the phone is not ready (${this.ctx.phoneState()})`);
    this.consultLoading = true;
    loadChunk('consult').then(
      ({ Consults }) => {
        this.consultLoading = false;
        if (held.ended || held.state !== 'in-progress' || this.calls.size > 1) return;
        (this.consults ??= new Consults()).begin(held, () => this.dial(agent, number, domain));
      },
      () => {
        this.consultLoading = false;
        this.refuse('chunk-failed', 'the consult code could not be loaded');
      },
    );
    return true;
  }

  completeTransfer(): boolean {
    return !!this.consults?.complete(this.ctx.claims()?.sip_domain ?? '') || this.noCall('no connected consult call to transfer to');
  }

  cancelConsult(): boolean {
    return !!this.consults?.cancel() || this.noCall('no consult call to cancel');
  }

  private dial(agent: SipAgent, number: string, domain: string): Call {
    const uri = `sip:${number}@${domain}`;
    const outbound = this.ctx.outboundNumber();
    const call = this.create('outbound', number, { name: number, address: uri });
    call.dial((mediaStream) =>
      agent.call(uri, {
        mediaStream,
        // The server asserts it only if the token's signed list has it (RFC 3325).
        extraHeaders: outbound ? [`P-Preferred-Identity: <sip:${outbound}@${domain}>`] : [],
        pcConfig: this.ctx.media().pcConfig,
        eventHandlers: call.eventHandlers(),
      }),
    );
    return call;
  }

  answer(): boolean {
    const call = this.ringing();
    if (!call) return this.noCall('no incoming call to answer');
    const current = this.foreground;
    if (current !== call && current && !current.ended) {
      if (current.state === 'in-progress' && !current.held.local) current.setHeld(true);
      const previous = this.state;
      this.foreground = call;
      this.ctx.emit('state-change', { id: call.id, state: call.state, previous });
    }
    return call.answer({ pcConfig: this.ctx.media().pcConfig });
  }

  reject(): boolean {
    const call = this.ringing();
    if (!call) return this.noCall('no incoming call to decline');
    call.terminate();
    return true;
  }

  hangup(): boolean {
    const call = this.live();
    if (!call) return this.noCall('no call to hang up');
    call.terminate();
    return true;
  }

  sendDtmf(digits: string): boolean {
    if (typeof digits !== 'string' || !DTMF_DIGITS.test(digits)) return this.refuse('invalid-dtmf', 'DTMF digits are 0-9, A-D, * and #');
    const call = this.live();
    if (!call || call.state !== 'in-progress') return this.noCall('no connected call to send DTMF on');
    try {
      call.sendDtmf(digits.toUpperCase());
      return true;
    } catch (e) {
      return this.refuse('call-failed', `DTMF could not be sent: ${(e as Error).message}`);
    }
  }

  setMuted(muted: boolean): boolean {
    const call = this.live();
    if (!call) return this.noCall(`no call to ${muted ? 'mute' : 'unmute'}`);
    return call.setMuted(muted);
  }

  setHeld(held: boolean): boolean {
    const call = this.live();
    if (!call || call.state !== 'in-progress') return this.noCall(`no connected call to ${held ? 'hold' : 'resume'}`);
    return call.setHeld(held);
  }

  transfer(target: string): boolean {
    const call = this.live();
    const domain = this.ctx.claims()?.sip_domain ?? '';
    const number = normalizeDialString(target, domain);
    if (number === null) return this.refuse('invalid-number', `cannot transfer to ${JSON.stringify(String(target).slice(0, 100))}`);
    if (!call || call.state !== 'in-progress') return this.noCall('no connected call to transfer');
    return call.transfer(number, `sip:${number}@${domain}`);
  }

  settleTransfer(accept: boolean): boolean {
    return this.transferRequests.settle(accept) || this.noCall(`no transfer request to ${accept ? 'accept' : 'decline'}`);
  }

  reset(): void {
    this.live()?.terminate();
    const fg = this.foreground;
    if (fg && fg.ended) {
      this.foreground = null;
      this.ctx.emit('state-change', { id: null, state: this.ctx.phoneState(), previous: fg.state });
    }
  }

  // ── arrivals and ends ──────────────────────────────────────────────────────

  /** A call arrives: one may wait beside the current one; beyond that, or by policy, the line is busy. */
  incoming({ session, remote, request }: AgentEvents['incoming']): void {
    if (this.replacing) return this.replacement(this.replacing, session, remote, request);
    const refusal = this.policy.refusal();
    if (refusal) {
      session.terminate({ status_code: refusal.status_code, reason_phrase: refusal.reason_phrase });
      return this.refusedByDnd(callerOf(remote, request), refusal.cause);
    }
    if (this.live() && (this.busyPolicy === 'reject' || this.calls.size > 1)) {
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    const caller = callerOf(remote, request);
    const alone = !this.live();
    const call = this.create('inbound', caller.number, caller.from, session, alone);
    this.unannounced.set(call.id, { from: caller.from, to: caller.to, paths: caller.paths });
    if (!this.looking.has(call.id)) this.announce(call.id);
    // Only a call that rings alone answers by itself; a second call waits for the user.
    const after = alone ? this.policy.answerAfter(request) : null;
    if (after !== null) this.policy.schedule(call.id, after, () => this.foreground === call && call.state === 'incoming' && this.answer());
  }

  /**
   * An INVITE with `Replaces` named connected call `old` (attended transfer, we are the target): JsSIP raises
   * the new session inside `accept`. It is answered at once, whatever busy-policy, do-not-disturb or auto-answer
   * say; it never rings or waits. JsSIP ends `old` once the new call is confirmed (as `transferred`).
   */
  private replaced(old: Call, accept: () => void): void {
    this.replacing = old;
    try {
      accept();
    } finally {
      this.replacing = null;
    }
  }

  private replacement(old: Call, session: SipSession, remote: AgentEvents['incoming']['remote'], request: AgentEvents['incoming']['request']): void {
    this.replacing = null;
    const caller = callerOf(remote, request);
    // Not in the foreground: the old call stays there until it ends, and this one takes its place then.
    const call = this.create('inbound', caller.number, caller.from, session, false);
    call.replaces = old.id;
    this.supersedes.link(call, old);
    this.unannounced.set(call.id, { from: caller.from, to: caller.to, paths: caller.paths, replaces: old.id });
    if (!this.looking.has(call.id)) this.announce(call.id);
    call.answer({ pcConfig: this.ctx.media().pcConfig });
  }

  /** `call-received` for call `id`, with its contact, if it has not been fired yet. */
  private announce(id: string): void {
    const received = this.unannounced.get(id);
    if (!received) return;
    this.unannounced.delete(id);
    this.ctx.emit('call-received', { id, ...received, contact: this.contacts.of(id) });
  }

  /** Do-not-disturb refused a call: it never rang, and is listed as missed (one `call-ended`, no `call-received`). */
  private refusedByDnd(caller: Caller, cause: 'busy' | 'unavailable'): void {
    const contact = this.contacts.cached(caller.number);
    const ended = { id: newId(), direction: 'inbound' as const, number: caller.number, duration: 0, cause, quality: null, contact };
    this.ctx.history()?.record(ended, caller.from.name, Date.now(), true);
    this.ctx.emit('call-ended', ended);
  }

  private create(direction: 'outbound' | 'inbound', number: string, remote: Party, session?: SipSession, foreground = true): Call {
    const claims = this.ctx.claims()!;
    const { iceServers, dtmfMode, qualityThresholds, voice } = this.ctx.media();
    const { emit, audio } = this.ctx;
    const previous = this.state;
    const call = new Call(
      {
        id: newId(),
        direction,
        number,
        remote,
        local: { name: cleanDisplayName(claims.name), address: `sip:${claims.sub}@${claims.sip_domain}` },
        iceServers,
        dtmfMode,
        microphone: audio.devices.microphone,
        speaker: audio.devices.speaker,
        qualityThresholds,
        voice,
      },
      {
        stateChanged: (c, state, prev) => {
          if (state === 'in-progress') this.supersedes.connected(c);
          this.announce(c.id);
          emit('state-change', { id: c.id, state, previous: prev });
        },
        started: (c) => {
          this.announce(c.id);
          emit('call-started', { id: c.id, direction: c.direction, number: c.number, ...(c.replaces ? { replaces: c.replaces } : {}) });
        },
        ended: (c, cause) => this.ended(c, cause),
        dtmf: (c, digit, dir) => emit('dtmf', { id: c.id, digit, direction: dir }),
        muteChanged: (c, muted) => emit('mute-change', { id: c.id, muted }),
        holdChanged: (c, held, by) => emit('hold-change', { id: c.id, held, by }),
        transferred: (c, target, result, kind) => emit('transfer', { id: c.id, target, result, kind }),
        replaced: (c, accept) => this.replaced(c, accept),
        audioSilence: (c, silent) => emit(silent ? 'no-audio' : 'audio-restored', { id: c.id }),
        referred: (c, target, accept, reject) => this.referred(c, target, accept, reject),
        error: (code, message) => emit('error', { code, message }),
        credentialExpired: () => this.ctx.credentialExpired(),
        audioBlocked: (c) => audio.blockedBy('call-audio', c.id),
        earlyMedia: () => audio.updateTones(),
        qualityWarning: (c, { name, value, threshold }, raised) =>
          raised ? emit('quality-warning', { id: c.id, name, value, threshold }) : emit('quality-warning-cleared', { id: c.id, name }),
        reconnecting: (c, reason) => emit('call-reconnecting', { id: c.id, reason }),
        reconnected: (c, after) => emit('call-reconnected', { id: c.id, after }),
        signalingUp: () => this.ctx.signalingUp(),
      },
    );
    // Wired before anyone hears of the call, so a listener may act on it at once.
    if (session) call.attach(session);
    this.calls.set(call.id, call);
    // Known numbers show their contact at once; others show the number until the hook answers.
    const lookup = this.contacts.look(call.id, number, direction);
    if (lookup) {
      this.looking.add(call.id);
      void lookup.then(() => {
        this.looking.delete(call.id);
        emit('contact-change', {});
        this.announce(call.id);
      });
    }
    // A second call rings beside the current one, which stays in the foreground.
    if (foreground) {
      this.foreground = call;
      emit('state-change', { id: call.id, state: call.state, previous });
    }
    return call;
  }

  private ended(call: Call, cause: EndCause): void {
    this.announce(call.id);
    this.calls.delete(call.id);
    this.transferRequests.drop(call.id);
    this.policy.drop(call.id);
    this.supersedes.drop(call.id);
    this.consults?.ended(call);
    if (this.calls.size === 0) this.ctx.audio.callsGone();
    // Every outbound call reports call-started before call-ended, even one that never left (no microphone).
    if (call.direction === 'outbound') call.reportStarted();
    const contact = this.contacts.of(call.id);
    this.contacts.drop(call.id);
    const ended = { id: call.id, direction: call.direction, number: call.number, duration: call.duration, cause, quality: call.qualitySummary, contact };
    // Missed: rang here, nobody answered, and no other phone of this user did either.
    const missed = call.direction === 'inbound' && call.connectedAt === null && !call.answeredElsewhere && (cause === 'canceled' || cause === 'no-answer');
    this.ctx.history()?.record(ended, call.remote.name, call.startedAt, missed);
    this.ctx.emit('call-ended', ended);
    // Another call still lives (a transfer that failed): it is in the foreground again.
    const other = [...this.calls.values()].find((c) => !c.ended);
    if (this.foreground === call && other) {
      this.foreground = other;
      this.ctx.emit('state-change', { id: other.id, state: other.state, previous: call.state });
    }
    if (!this.live()) this.ctx.idle();
  }

  /**
   * The far end transfers us (REFER). The target must pass `call()`'s dial
   * rule; then `refer-policy` decides: ask the user, obey, or refuse. JsSIP
   * has already answered 202, so refusing is a NOTIFY `603 Decline`.
   */
  private referred(call: Call, uri: ReferUri, accept: ReferAccept, reject: () => void): void {
    const target = referTarget(uri, this.ctx.claims()?.sip_domain ?? '');
    if (!target || this.referPolicy === 'reject' || this.calls.size > 1) return reject();
    const obey = () => this.placeTransfer(call, target.number, accept, reject);
    if (this.referPolicy === 'accept') return obey();
    const request = { id: call.id, target: target.number, kind: target.kind, from: call.remote };
    // One request at a time: a second one while the user decides is refused.
    if (!this.transferRequests.ask(request, obey, reject)) return reject();
    this.ctx.emit('transfer-requested', { id: request.id, target: request.target, kind: request.kind });
  }

  /** Calls a transfer's target; JsSIP adds the Refer-To's `Replaces` and reports the outcome to the transferor. */
  private placeTransfer(referring: Call, number: string, accept: ReferAccept, reject: () => void): void {
    // Another call arrived while the user decided: the line is taken.
    if (this.calls.size > 1) return reject();
    const domain = this.ctx.claims()?.sip_domain ?? '';
    const call = this.create('outbound', number, { name: number, address: `sip:${number}@${domain}` });
    // Once the target answers, the transferor hangs up on us: that call ends as transferred.
    this.supersedes.link(call, referring);
    call.dial((mediaStream) => {
      let session: SipSession | undefined;
      accept((s) => (session = s), referOptions({ mediaStream, pcConfig: this.ctx.media().pcConfig, eventHandlers: call.eventHandlers() }));
      if (!session) throw new Error('the transfer could not be placed');
      return session;
    });
  }

  /** The call that rings here: the foreground one, or a second call waiting. */
  private ringing(): Call | null {
    return this.foreground?.state === 'incoming' ? this.foreground : this.waiting;
  }

  private noCall(message: string): false {
    return this.refuse('no-call', message);
  }

  private refuse(code: CallEvents['error']['code'], message: string): false {
    this.ctx.emit('error', { code, message });
    return false;
  }
}

export function newId(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
