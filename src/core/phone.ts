// The phone's facade: its public API (about 40 getters and one-line methods, each with its JSDoc) over the parts in
// phone/ (connection, registration, token keeper, call registry, audio session, settings). Its length is that API;
// what the phone does lives in those parts, and new behaviour goes there, not here.
import { CLOSE_REVOKED } from '../shared/protocol.js';
import { cleanDisplayName } from '../shared/display-name.js';
import type { AudioDeviceChoice, AudioDeviceKind } from './audio-devices.js';
import { Call } from './call.js';
import { CallHistory } from './call-history.js';
import type { CallState } from './call-state.js';
import { Emitter } from './emitter.js';
import { createAgent, type AgentEvents, type AgentFactory } from './jssip-adapter.js';
import { AudioSession } from './phone/audio-session.js';
import { CallRegistry, newId } from './phone/call-registry.js';
import { CallerIdChoice } from './phone/caller-id.js';
import type { ConsultPair } from './phone/consult.js';
import { policies } from './phone/config-checks.js';
import type { VolumeKind, Volumes } from './phone/ringer.js';
import { AUTO_ANSWER_MODES, IncomingPolicy, type AutoAnswerMode, type DndResponse } from './phone/incoming-policy.js';
import { PhoneSettings } from './phone/settings.js';
import { Connection } from './phone/connection.js';
import { Registration } from './phone/registration.js';
import { TokenKeeper, type TokenDeath } from './phone/token-keeper.js';
import type { QualitySample } from './quality/stats-sample.js';
import type { QualityThresholds } from './quality/thresholds.js';
import type { PendingTransfer, ReferPolicy } from './transfer-request.js';
import type { PreflightSetup } from './quality/preflight-run.js';
import type { VoiceProcessingConfig } from './voice-processing.js';
import { microphoneErrorCode } from './call.js';
import { Merging } from './conference/merging.js';
import { Recordings } from './recording/recordings.js';
import type { RecordingPolicy } from './recording/limits.js';
import type { DtmfMode, PhoneEventMap, PhoneState, RegistrationState, WidgetState } from './types.js';
import type { Contact, ResolveContact } from '../shared/contact.js';

/** What the phone needs to know (voice processing: voice-processing.ts); every field may be missing while the host is still setting attributes. */
export interface PhoneConfig extends VoiceProcessingConfig {
  token?: string | null;
  /** One WebSocket URL, or several separated by spaces: tried in order (failover). */
  server?: string | null;
  /** ICE servers from the host; overrides the token's. */
  iceServers?: RTCIceServer[] | null;
  dtmfMode?: DtmfMode;
  /** A call arriving during a call: `wait` (shown, ringing) or `reject` (486 at once). */
  busyPolicy?: 'wait' | 'reject';
  /** `relay`: media only through TURN (hides the user's addresses); `all` (default): any path. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** A transfer asked by the far end (REFER): `ask` the user (default), `accept` or `reject` at once. */
  referPolicy?: ReferPolicy;
  /** Quality warning thresholds to change (a partial object; the rest keep their defaults). */
  qualityThresholds?: Partial<QualityThresholds> | null;
  /** Do-not-disturb: incoming calls are refused (`dndResponse`) and listed as missed. */
  dnd?: boolean;
  dndResponse?: DndResponse;
  /** `off`, `header` (the server-vouched INVITE asks) or `always` (after `autoAnswerDelay` seconds). */
  autoAnswer?: AutoAnswerMode;
  autoAnswerDelay?: number | null;
  /** Call recording: `off` (default), `on`, or `announced` (two beeps as it starts). */
  recording?: RecordingPolicy;
  /** Caller lookup: the host's hook, asked for each call's number (a function; anything else is none). */
  resolveContact?: ResolveContact | null;
}

/** Phone events that stay inside: the element re-reads the phone on them, but fires nothing. */
interface InternalEvents {
  /** The transfer request waiting for the user came, or went (answered, timed out, its call ended). */
  'transfer-request-change': Record<string, never>;
  /** A call's contact lookup answered (`resolveContact`). */
  'contact-change': Record<string, never>;
}

/**
 * The SIP/WebRTC core's facade. Commands return whether they were accepted;
 * outcomes arrive as events (`state-change`, `call-ended`, …), which the UI
 * follows. It composes small parts (phone/*): the configuration checks, the
 * token keeper, the connection, the registration, the call registry, the
 * audio session and the caller-ID choice; JsSIP itself is reached only
 * through jssip-adapter.ts.
 *
 * A phone does nothing on the network until `start()`; `configure()` only
 * stores (and validates) what it is given.
 */
export class Phone extends Emitter<PhoneEventMap & InternalEvents> {
  /** This phone's session, named on lifecycle events so a host can correlate them. */
  readonly sessionId = newId();
  private readonly settings = new PhoneSettings((code, message) => this.emit('error', { code, message }));
  private phoneState: PhoneState = 'loading';
  /** A connection rebuild (or teardown) that waits for the active call to end. */
  private restartPending = false;
  private started = false;
  private callHistory: CallHistory | null = null;
  private readonly tokens = new TokenKeeper({
    expired: () => this.tokenFailed('expired'),
    expiring: (detail) => this.emit('token-expiring', detail),
  });
  private readonly callerId = new CallerIdChoice();
  private readonly audio: AudioSession = new AudioSession(
    (type, detail) => this.emit(type, detail as never),
    () => this.registry.tone(),
  );
  private readonly registry: CallRegistry = new CallRegistry({
    emit: (type, detail) => this.emit(type, detail),
    claims: () => this.tokens.claims,
    agent: () => this.connection.agent,
    phoneState: () => this.phoneState,
    outboundNumber: () => this.callerId.current,
    media: () => this.settings.media(this.tokens.claims),
    audio: this.audio,
    history: () => this.callHistory,
    credentialExpired: () => this.tokenFailed('expired'),
    signalingUp: () => this.registration.state === 'registered' && !!this.connection.agent?.isConnected(),
    idle: () => {
      if (!this.restartPending) return;
      this.restartPending = false;
      this.apply();
    },
  });
  private readonly registration = new Registration(() => ({ agent: this.connection.agent, token: this.tokens.token, dead: this.tokens.dead }), {
    changed: (state, previous, cause) => this.emit('registration-change', { state, previous, cause }),
    tokenFailed: (reason) => this.tokenFailed(reason),
    originRefused: (why) => this.originRefused(why),
    error: (code, message) => this.emit('error', { code, message }),
  });
  private readonly connection: Connection;
  /** Three-way calls: merge and split (conference/merging.ts). */
  private readonly merging = new Merging({
    calls: () => this.registry.calls.values(),
    changed: (ids) => this.emit('conference-change', { ids }),
    error: (code, message) => this.emit('error', { code, message }),
  });
  /** Call recording (recording/recordings.ts). */
  private readonly recordings = new Recordings({
    call: () => this.registry.live(),
    byId: (id) => this.registry.calls.get(id) ?? null,
    emit: (type, detail) => this.emit(type, detail as never),
    error: (code, message) => this.emit('error', { code, message }),
  });

  /** `createAgent` is for tests (a fake user agent); the default is JsSIP's. */
  constructor(createSipAgent: AgentFactory = createAgent) {
    super();
    this.connection = new Connection(createSipAgent, {
      connecting: (url, attempt, again) => {
        // JsSIP opens the WebSocket right after this event, in the same task.
        this.emit('before-connect', { createdAt: Date.now(), sessionId: this.sessionId, url, attempt });
        this.setRegistration(again ? 'reconnecting' : 'connecting', null);
      },
      connected: () => this.registration.connected(),
      disconnected: (e) => this.onDisconnected(e),
      registered: () => {
        this.registration.registered();
        this.updatePhoneState();
        this.registry.network(null);
      },
      unregistered: (cause) => this.setRegistration('unregistered', cause),
      registrationFailed: (e) => {
        this.registration.failed(e);
        this.updatePhoneState();
      },
      incoming: (e) => this.registry.incoming(e),
    });
    // Tones follow the calls' states, whatever changed them.
    this.on('state-change', () => {
      this.audio.updateTones();
      this.audio.applyCallVolume(this.registry.calls.values());
    });
    this.on('call-ended', ({ id }) => {
      this.audio.updateTones();
      this.merging.callEnded(id);
      this.recordings.callEnded(id);
    });
    this.on('hold-change', ({ id }) => this.recordings.holdChanged(id));
  }

  /** `getState()`: the foreground call's state, or the phone's own. */
  get state(): WidgetState {
    return this.registry.state;
  }

  /** The phone's own state, whatever the foreground call is doing. */
  get ownState(): PhoneState {
    return this.phoneState;
  }

  get registrationState(): RegistrationState {
    return this.registration.state;
  }

  /** Whether do-not-disturb refuses incoming calls. */
  get dnd(): boolean {
    return this.registry.policy.dnd;
  }

  /** The ring and call volumes (0..1), remembered per user. */
  get volumes(): Readonly<Volumes> {
    return this.audio.volumes;
  }

  /** What `runPreflight` tests: the servers, the ICE servers, the chosen microphone with the voice processing. */
  get preflightSetup(): PreflightSetup {
    const { iceServers, qualityThresholds, voice } = this.settings.media(this.tokens.claims);
    const microphone = voice.constraints(this.audio.devices.microphone);
    return { servers: this.usableServers(), domain: this.tokens.claims?.sip_domain ?? null, iceServers, microphone, thresholds: qualityThresholds };
  }

  /** Can a new call be placed now? */
  get ready(): boolean {
    return this.phoneState === 'ready' && !this.registry.live();
  }

  /** The user this phone is, from the token. */
  get identity(): { user: string; domain: string; name: string } | null {
    const claims = this.tokens.claims;
    return claims ? { user: claims.sub, domain: claims.sip_domain, name: cleanDisplayName(claims.name) } : null;
  }

  get currentCall(): Call | null {
    return this.registry.foreground;
  }

  /** A second call ringing while the foreground call goes on. */
  get waitingCall(): Call | null {
    return this.registry.waiting;
  }

  /** Recent calls of the current user (null until a token says who that is). */
  get history(): CallHistory | null {
    return this.callHistory;
  }

  /** The caller IDs the token allows. */
  get callerIds(): readonly string[] {
    return this.tokens.claims?.caller_ids ?? [];
  }

  get outboundNumber(): string | null {
    return this.callerId.current;
  }

  /** The chosen microphone, speaker and ringer (null: the system default). */
  get audioDevices(): Readonly<AudioDeviceChoice> {
    return { ...this.audio.devices };
  }

  /** Whether the browser is holding back sound until a user gesture (see `enableAudio()`). */
  get audioBlocked(): boolean {
    return this.audio.isBlocked;
  }

  /** The live RTCPeerConnection of the current call, for stats. */
  get peerConnection(): RTCPeerConnection | null {
    return this.registry.foreground?.peerConnection ?? null;
  }

  get muted(): boolean {
    return this.registry.live()?.muted ?? false;
  }

  /** The transfer the far end asks for, waiting for `acceptTransfer()` or `declineTransfer()`, or null. */
  get transferRequest(): PendingTransfer | null {
    return this.registry.pendingTransfer;
  }

  /** Multi-tab: the SIP instance id is this user's in this browser (shared by its tabs), not this tab's. */
  set sharedInstance(on: boolean) {
    this.connection.sharedInstance = on;
  }

  /** During an attended transfer: the call on hold and the consult call, else null. */
  get consultation(): ConsultPair | null {
    return this.registry.consults?.pair ?? null;
  }

  /** Whether this phone holds the current call (confirmed by the far end). */
  get onHold(): boolean {
    return this.registry.live()?.held.local ?? false;
  }

  /** The merged calls' ids (empty: none merged). */
  get conferenceIds(): string[] {
    return this.merging.ids;
  }

  /** The connected calls (two while a merge is offered or on). */
  get connectedCalls(): Call[] {
    return [...this.registry.calls.values()].filter((c) => !c.ended && c.state === 'in-progress');
  }

  /** Whether `merge()` can mix now (one call held, another active). */
  get canMerge(): boolean {
    return this.merging.ids.length === 0 && this.merging.candidates() !== null;
  }

  /** The `recording` policy in force. */
  get recordingPolicy(): RecordingPolicy {
    return this.recordings.policy;
  }

  /** Whether call `id` is being recorded. */
  recording(id: string): boolean {
    return this.recordings.has(id);
  }

  /** `getCallStats(id)`: the call's latest quality sample, or null (unknown or ended call, no sample yet). */
  getCallStats(id: string): QualitySample | null {
    return this.registry.stats(id);
  }

  /**
   * Chooses the caller ID for outgoing calls (null: the user's own). It must
   * be one the token lists; the choice is remembered for this user.
   */
  selectOutboundNumber(number: string | null): boolean {
    const claims = this.tokens.claims;
    const { allowed, changed } = this.callerId.choose(claims, number);
    if (!allowed) {
      this.emit('error', { code: 'invalid-number', message: `${JSON.stringify(String(number).slice(0, 40))} is not a caller ID this token allows` });
      return false;
    }
    if (!changed || !claims) return true;
    this.emit('outbound-number-changed', { name: cleanDisplayName(claims.name), address: number ?? `sip:${claims.sub}@${claims.sip_domain}` });
    return true;
  }

  /**
   * Chooses a device (null: the system default), remembered for this origin.
   * A microphone or speaker change applies at once to the calls under way.
   */
  setAudioDevice(kind: AudioDeviceKind, deviceId: string | null): boolean {
    return this.audio.setDevice(kind, deviceId, this.registry.calls.values());
  }

  /** Plays the ringtone once on the ringer, so the user can check the device. False during a call. */
  previewRingtone(): boolean {
    if (this.registry.live()) return false;
    this.audio.preview();
    return true;
  }

  /**
   * Lets sound play: call from a user gesture (the "enable sound" click).
   * Resolves whether everything now plays.
   */
  enableAudio(): Promise<boolean> {
    return this.audio.enable(this.registry.calls.values());
  }

  /**
   * Applies configuration. Each field is checked on its own: a refused value
   * fires `error`, keeps the previous good one and puts the phone in `error`
   * until a good value arrives; it never touches an active call.
   */
  configure(config: PhoneConfig): void {
    this.settings.take(config);
    // Voice processing changed: each call opens its microphone anew and swaps the sender's track (no renegotiation).
    if (this.settings.voice.take(config)) {
      for (const call of this.registry.calls.values())
        void call
          .setMicrophone(this.audio.devices.microphone)
          .catch((e: Error) => this.emit('error', { code: microphoneErrorCode(e), message: `the microphone could not be reopened: ${e.message}` }));
    }
    if (config.busyPolicy !== undefined) this.registry.busyPolicy = policies.busyPolicy(config.busyPolicy);
    if (config.referPolicy !== undefined) this.registry.referPolicy = policies.referPolicy(config.referPolicy);
    this.takeIncomingPolicy(config);
    if (config.recording !== undefined) this.recordings.policy = Recordings.policyOf(config.recording);
    if (config.token !== undefined) this.settings.check('token', () => this.takeToken(config.token?.trim() || null));
    this.apply();
  }

  /** Goes on the network with the configuration it has. */
  start(): void {
    this.started = true;
    this.apply();
  }

  /**
   * Unregisters and closes the connection, ending any call. Keeps the configuration. `abandon`: close without
   * unregistering (multi-tab: another tab registers the same instance id, and an un-REGISTER could remove its binding).
   */
  stop(abandon = false): void {
    this.started = false;
    this.tokens.stopTimers();
    for (const call of this.registry.calls.values()) call.abort('local-hangup');
    this.audio.dispose();
    this.closeConnection(abandon);
    this.setRegistration('unregistered', null);
    this.updatePhoneState();
  }

  /**
   * The browser's `online`/`offline`, or a new connection type (network-watch.ts):
   * offline drops the connection at once (`reconnecting`, calls keep their media
   * while it lasts); online reconnects now rather than at the next backoff step.
   */
  networkChanged(online: boolean): void {
    const live = this.registry.live();
    this.registry.network('network-change');
    this.connection.networkChanged(online, live?.state === 'in-progress');
  }

  /**
   * The page's Content-Security-Policy refused a connection (`securitypolicyviolation`).
   * When it is a SIP server's, say so once and stop trying it: retrying cannot
   * succeed. With other servers left, the phone goes on with them.
   */
  connectionRefusedByPolicy(blockedUrl: string): void {
    let host: string;
    try {
      host = new URL(blockedUrl).host;
    } catch {
      return;
    }
    const refused = this.usableServers().filter((s) => new URL(s).host === host);
    if (refused.length === 0) return;
    for (const server of refused) this.connection.blocked.add(server);
    const message = `this page's Content-Security-Policy (connect-src) does not allow ${refused.join(' ')}`;
    if (this.usableServers().length > 0) {
      this.emit('error', { code: 'csp-blocked', message });
      this.apply();
      return;
    }
    this.settings.refuse('server', 'csp-blocked', message);
    if (this.registry.live()) this.restartPending = true;
    else this.closeConnection();
    this.setRegistration('failed', 'blocked by the Content-Security-Policy');
  }

  /** Best effort as the page goes away: unregister, so the server does not keep a dead binding. */
  unregisterNow(): void {
    this.connection.unregisterNow();
  }

  /** Places a call; false (with an `error` event) when the target is invalid or the phone cannot call now. */
  call(target: string): boolean {
    return this.registry.call(target);
  }

  /** Answers the ringing call; a second call is answered with the current one put on hold. */
  answer(): boolean {
    return this.registry.answer();
  }

  /** Declines the ringing call (603 Decline), a second call included. */
  reject(): boolean {
    return this.registry.reject();
  }

  /** Hangs up, cancels or declines the current call; merged calls, both. */
  hangup(): boolean {
    return this.merging.hangup() ?? this.registry.hangup();
  }

  sendDtmf(digits: string): boolean {
    return this.registry.sendDtmf(digits);
  }

  /** Mutes (true) or unmutes the current call's microphone; false when there is no call or nothing changes. */
  setMuted(muted: boolean): boolean {
    return this.merging.setMuted(muted) ?? this.registry.setMuted(muted);
  }

  /** Mixes the held call and the active one into a three-way call (`conference-change` once mixed). */
  merge(): boolean {
    return this.merging.merge();
  }

  /** Ends the merge: the call that was held is held again. */
  split(): boolean {
    return this.merging.split();
  }

  /** Records the call on screen (both directions) when `recording` allows it; `recording-change` once it runs. */
  startRecording(): boolean {
    return this.recordings.start();
  }

  /** Stops the recording; `recording-available` brings the blob. */
  stopRecording(): boolean {
    return this.recordings.stop();
  }

  /** Holds (true) or resumes the current call; the outcome arrives as `hold-change`. */
  setHeld(held: boolean): boolean {
    return this.registry.setHeld(held);
  }

  /** Blind-transfers the connected call to `target` (same dial rule as `call()`). */
  transfer(target: string): boolean {
    return this.registry.transfer(target);
  }

  /** Attended transfer: holds the connected call and calls `target`; then `completeTransfer()` or `cancelConsult()`. */
  consult(target: string): boolean {
    return this.registry.consult(target);
  }

  /** Transfers the held call to the consult call's party (REFER with Replaces); the outcome arrives as `transfer`. */
  completeTransfer(): boolean {
    return this.registry.completeTransfer();
  }

  /** Ends the consult call; the held call is resumed. */
  cancelConsult(): boolean {
    return this.registry.cancelConsult();
  }

  /** Obeys the waiting transfer request: calls its target; the far end then ends this call. */
  acceptTransfer(): boolean {
    return this.registry.settleTransfer(true);
  }

  /** Refuses the waiting transfer request (NOTIFY `603 Decline`); the call goes on. */
  declineTransfer(): boolean {
    return this.registry.settleTransfer(false);
  }

  /** Hangs up any call and returns to the phone's own state. */
  reset(): void {
    this.registry.reset();
  }

  /** Turns do-not-disturb on or off; `dnd-change` when it changed. */
  setDnd(on: boolean): boolean {
    if (this.registry.policy.dnd === on) return false;
    this.registry.policy.dnd = on;
    this.emit('dnd-change', { on });
    return true;
  }

  /** Sets the ring volume (0 mutes the ringer, not the calls) or the call volume, 0..1. */
  setVolume(kind: VolumeKind, level: number): boolean {
    return this.audio.setVolume(kind, level, this.registry.calls.values());
  }

  /** The host's ringtone file (a checked URL), or null for the generated tone. */
  setRingtone(url: string | null): void {
    this.audio.ringtone.setUrl(url);
    this.audio.updateTones();
  }

  /** What the host's `resolveContact` said of call `id`'s number, or null (none, or not yet). */
  contactOf(id: string): Contact | null {
    return this.registry.contacts.of(id);
  }

  /** Whether call `id` was answered by itself (`auto-answer`). */
  autoAnswered(id: string): boolean {
    return this.registry.policy.autoAnswered(id);
  }

  // ── configuration ──────────────────────────────────────────────────────────

  private takeIncomingPolicy(config: PhoneConfig): void {
    const policy = this.registry.policy;
    if (config.dnd !== undefined) policy.dnd = config.dnd === true;
    if (config.dndResponse !== undefined) policy.dndResponse = config.dndResponse === 'unavailable' ? 'unavailable' : 'busy';
    if (config.autoAnswer !== undefined) policy.autoAnswer = AUTO_ANSWER_MODES.includes(config.autoAnswer) ? config.autoAnswer : 'off';
    if (config.autoAnswerDelay !== undefined) policy.autoAnswerDelay = IncomingPolicy.delay(config.autoAnswerDelay);
    if (config.resolveContact !== undefined) this.registry.contacts.setHook(config.resolveContact);
  }

  private takeToken(token: string | null): void {
    if (!this.tokens.take(token)) return;
    const claims = this.tokens.claims!;
    const historyKey = `voice-widget:history:${claims.sub}@${claims.sip_domain}`;
    if (this.callHistory?.key !== historyKey) this.callHistory = new CallHistory(historyKey);
    this.callerId.restore(claims);
    this.audio.useVolumesOf(`voice-widget:volumes:${claims.sub}@${claims.sip_domain}`);
  }

  /** The servers the page's Content-Security-Policy has not refused, in order. */
  private usableServers(): string[] {
    return this.settings.servers.filter((s) => !this.connection.blocked.has(s));
  }

  /** Brings the connection in line with the configuration. */
  private apply(): void {
    this.updatePhoneState();
    if (!this.started) return;
    const claims = this.tokens.claims;
    const servers = this.usableServers();
    if (!claims || servers.length === 0 || this.tokens.dead) {
      // Nothing usable to register with: keep no connection open, except for a call in progress.
      if (this.registry.live()) this.restartPending = true;
      else this.closeConnection();
      return;
    }
    const key = Connection.keyOf(servers, claims);
    if (this.connection.agent && key === this.connection.key) {
      if (this.connection.credentialsOf !== this.tokens.token && this.connection.refresh(claims, this.tokens.token)) this.registration.register();
      return;
    }
    if (this.registry.live()) {
      // A new server or identity needs a new connection; never at the cost of the call.
      this.restartPending = true;
      return;
    }
    this.closeConnection();
    // A refused setting (e.g. ice-servers) keeps the phone off the network until it is fixed.
    if (!this.settings.valid) return;
    try {
      this.connection.open(servers, claims, this.tokens.token);
    } catch (e) {
      this.connection.close();
      this.settings.refuse('server', 'invalid-server', `the SIP configuration was refused: ${(e as Error).message}`);
    }
    this.updatePhoneState();
  }

  private closeConnection(abandon = false): void {
    this.connection.close(abandon);
    this.registration.reset(true);
    this.restartPending = false;
  }

  private onDisconnected(e: AgentEvents['disconnected']): void {
    this.registration.reset(false);
    this.registry.network('signaling-lost');
    if (e.code === CLOSE_REVOKED || /revoked/i.test(e.reason ?? '')) return this.tokenFailed('revoked');
    this.setRegistration('reconnecting', e.reason || 'connection closed');
  }

  private originRefused(why: string): void {
    this.tokens.dead = true;
    this.setRegistration('failed', why);
    this.emit('error', { code: 'origin-not-allowed', message: `the SIP server refused this page's origin (${location.origin}) for this token` });
    this.apply();
  }

  /** The token can no longer register: say so once, stop new calls, keep any call. */
  private tokenFailed(reason: TokenDeath): void {
    if (!this.tokens.kill()) return;
    this.setRegistration('failed', reason === 'expired' ? 'credential expired' : `credential ${reason}`);
    this.apply();
    this.emit('token-expired', { reason });
  }

  // ── state ──────────────────────────────────────────────────────────────────

  /** The phone's own state follows from the configuration and the registration. */
  private updatePhoneState(): void {
    const next: PhoneState =
      !this.settings.valid || this.tokens.dead ? 'error' : this.registration.state === 'registered' && this.connection.agent ? 'ready' : 'loading';
    const previous = this.phoneState;
    if (next === previous) return;
    this.phoneState = next;
    // Phone-level changes are reported with id null; a foreground call keeps its own state.
    this.emit('state-change', { id: null, state: next, previous });
    if (next === 'ready') this.emit('ready', {});
  }

  private setRegistration(next: RegistrationState, cause: string | null): void {
    this.registration.moveTo(next, cause);
    this.updatePhoneState();
  }
}

export type { CallState };
