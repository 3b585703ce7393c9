import JsSIP from 'jssip';
import type { UA } from 'jssip/lib/UA';
import type { RTCSession } from 'jssip/lib/RTCSession';
import { CLOSE_REVOKED, WIDGET_TOKEN_HEADER } from '../shared/protocol.js';
import { cleanDisplayName } from '../shared/display-name.js';
import { isLoopbackHost } from '../shared/origins.js';
import { decodeToken, isIceServerList, TokenFormatError, type TokenClaims } from '../shared/token-claims.js';
import { AUDIO_DEVICE_KINDS, isDeviceId, loadDeviceChoice, saveDeviceChoice, type AudioDeviceChoice, type AudioDeviceKind } from './audio-devices.js';
import { Call, microphoneErrorCode, type ReferAccept } from './call.js';
import { CallHistory } from './call-history.js';
import type { CallState } from './call-state.js';
import { DTMF_DIGITS, normalizeDialString } from './dial-string.js';
import { Emitter } from './emitter.js';
import { TonePlayer, type ToneKind } from './tones.js';
import { referTarget, TransferRequests, type PendingTransfer, type ReferPolicy, type ReferUri } from './transfer-request.js';
import type { CallReceivedDetail, DtmfMode, EndCause, ErrorCode, PhoneEventMap, PhoneState, RegistrationState, WidgetState } from './types.js';
import { readStorage, writeStorage } from '../shared/storage.js';

/** What the phone needs to know; every field may be missing while the host is still setting attributes. */
export interface PhoneConfig {
  token?: string | null;
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
}

type ConfigField = 'token' | 'server' | 'ice-servers';

const USER_AGENT = 'voice-widget/0.1';
/** Longest setTimeout delay browsers honour (2^31 - 1 ms); longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647;
/** `token-expiring` comes this share of the token's lifetime before its end (the host's time to fetch another). */
const EXPIRY_WARNING_SHARE = 0.25;
/** A WebSocket that has not opened by then is given up and tried again (JsSIP waits forever). */
const CONNECT_TIMEOUT_MS = 5_000;
/** An idle connection is checked this often (a SIP OPTIONS to the server)… */
const KEEPALIVE_EVERY_MS = 20_000;
/** …and counts as dead when nothing answers within this: detection within 30 s of the server vanishing. */
const KEEPALIVE_TIMEOUT_MS = 6_000;
/** The SIP instance id of this tab: a reload re-registers the same binding instead of adding one. */
const INSTANCE_KEY = 'voice-widget:instance-id';
/** Retry delays after a REGISTER failure that is not about the credential. */
const REGISTER_RETRY_MS = [2_000, 4_000, 8_000, 16_000, 30_000];

/** Phone events that stay inside: the element re-reads the phone on them, but fires nothing. */
interface InternalEvents {
  /** The transfer request waiting for the user came, or went (answered, timed out, its call ended). */
  'transfer-request-change': Record<string, never>;
}

/**
 * The SIP/WebRTC core: the only module that talks to JsSIP. Commands return
 * whether they were accepted; outcomes arrive as events (`state-change`,
 * `call-ended`, …), which the UI follows.
 *
 * A phone does nothing on the network until `start()`; `configure()` only
 * stores (and validates) what it is given.
 */
export class Phone extends Emitter<PhoneEventMap & InternalEvents> {
  private ua: UA | null = null;
  private uaKey = '';
  private claims: TokenClaims | null = null;
  private token = '';
  /** When each token was first received: its lifetime counts from then, across restarts. */
  private received: { token: string; at: number } | null = null;
  private server: string | null = null;
  private hostIceServers: RTCIceServer[] | null = null;
  private dtmfMode: DtmfMode = 'info';
  private busyPolicy: 'wait' | 'reject' = 'wait';
  private iceTransportPolicy: RTCIceTransportPolicy = 'all';
  private referPolicy: ReferPolicy = 'ask';
  /** A transfer the far end asked for, waiting for the user (`refer-policy="ask"`). */
  private readonly transferRequests = new TransferRequests(() => this.emit('transfer-request-change', {}));
  /** Fields whose last value was refused; the phone is in `error` while any is. */
  private readonly badFields = new Set<ConfigField>();
  /** The current token can no longer register (expired, revoked, refused, or this origin refused). */
  private tokenDead = false;
  private phoneState: PhoneState = 'loading';
  private registration: RegistrationState = 'unregistered';
  private everConnected = false;
  /** The token of the REGISTER in flight, and whether another must follow it. */
  private registering: string | null = null;
  private registerAgain = false;
  private registerRetry = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private tokenTimer: ReturnType<typeof setTimeout> | undefined;
  private warnTimer: ReturnType<typeof setTimeout> | undefined;
  private connectTimer: ReturnType<typeof setTimeout> | undefined;
  private keepaliveTimer: ReturnType<typeof setTimeout> | undefined;
  private socket: InstanceType<typeof JsSIP.WebSocketInterface> | null = null;
  /** A SIP server the page's Content-Security-Policy refuses: not tried again until the server changes. */
  private blockedServer: string | null = null;
  /** The connection failed at least once since the UA started; attempts now are retries. */
  private retrying = false;
  private readonly calls = new Map<string, Call>();
  /** The call getState() reports: the live one, or the last ended one until the next call or reset(). */
  private foreground: Call | null = null;
  /** A UA rebuild (or teardown) that waits for the active call to end. */
  private restartPending = false;
  private started = false;
  private callHistory: CallHistory | null = null;
  /** The caller ID chosen for outgoing calls (one of the token's), or null for the user's own. */
  private outbound: string | null = null;
  private readonly devices: AudioDeviceChoice = loadDeviceChoice();
  private readonly tones = new TonePlayer({
    blocked: () => this.audioBlockedBy('tones', null),
    unblocked: () => this.audioUnblocked('tones'),
  });
  /** What the browser would not play until a user gesture. */
  private readonly blockedAudio = new Set<'tones' | 'call-audio'>();
  /** This phone's session, named on lifecycle events so a host can correlate them. */
  readonly sessionId = newId();

  constructor() {
    super();
    this.tones.setOutputs(this.devices.ringer, this.devices.speaker);
    // Tones follow the calls' states, whatever changed them.
    this.on('state-change', () => this.updateTones());
    this.on('call-ended', () => this.updateTones());
  }

  /** `getState()`: the foreground call's state, or the phone's own. */
  get state(): WidgetState {
    return this.foreground?.state ?? this.phoneState;
  }

  /** The phone's own state, whatever the foreground call is doing. */
  get ownState(): PhoneState {
    return this.phoneState;
  }

  get registrationState(): RegistrationState {
    return this.registration;
  }

  /** Can a new call be placed now? */
  get ready(): boolean {
    return this.phoneState === 'ready' && !this.liveCall();
  }

  /** The user this phone is, from the token. */
  get identity(): { user: string; domain: string; name: string } | null {
    return this.claims ? { user: this.claims.sub, domain: this.claims.sip_domain, name: cleanDisplayName(this.claims.name) } : null;
  }

  get currentCall(): Call | null {
    return this.foreground;
  }

  /** A second call ringing while the foreground call goes on. */
  get waitingCall(): Call | null {
    for (const call of this.calls.values()) if (call !== this.foreground && call.state === 'incoming') return call;
    return null;
  }

  /** Recent calls of the current user (null until a token says who that is). */
  get history(): CallHistory | null {
    return this.callHistory;
  }

  /** The caller IDs the token allows. */
  get callerIds(): readonly string[] {
    return this.claims?.caller_ids ?? [];
  }

  get outboundNumber(): string | null {
    return this.outbound;
  }

  /**
   * Chooses the caller ID for outgoing calls (null: the user's own). It must
   * be one the token lists; the choice is remembered for this user.
   */
  selectOutboundNumber(number: string | null): boolean {
    const claims = this.claims;
    if (!claims || (number !== null && !this.callerIds.includes(number))) {
      this.emit('error', { code: 'invalid-number', message: `${JSON.stringify(String(number).slice(0, 40))} is not a caller ID this token allows` });
      return false;
    }
    if (number === this.outbound) return true;
    this.outbound = number;
    // No storage: the choice lasts for this page.
    writeStorage('local', callerIdKey(claims), number);
    this.emit('outbound-number-changed', { name: cleanDisplayName(claims.name), address: number ?? `sip:${claims.sub}@${claims.sip_domain}` });
    return true;
  }

  /** The chosen microphone, speaker and ringer (null: the system default). */
  get audioDevices(): Readonly<AudioDeviceChoice> {
    return { ...this.devices };
  }

  /**
   * Chooses a device (null: the system default), remembered for this origin.
   * A microphone or speaker change applies at once to the calls under way.
   */
  setAudioDevice(kind: AudioDeviceKind, deviceId: string | null): boolean {
    if (!AUDIO_DEVICE_KINDS.includes(kind) || !isDeviceId(deviceId)) {
      this.emit('error', { code: 'invalid-device', message: `not an audio device choice: ${JSON.stringify(String(kind).slice(0, 20))}` });
      return false;
    }
    if (this.devices[kind] === deviceId) return true;
    this.devices[kind] = deviceId;
    saveDeviceChoice(this.devices);
    for (const call of this.calls.values()) {
      if (kind === 'microphone')
        void call
          .setMicrophone(deviceId)
          .catch((e: Error) => this.emit('error', { code: microphoneErrorCode(e), message: `the microphone could not be switched: ${e.message}` }));
      if (kind === 'speaker') void call.setSpeaker(deviceId);
    }
    this.tones.setOutputs(this.devices.ringer, this.devices.speaker);
    this.emit('audio-device-change', { kind, deviceId });
    return true;
  }

  /** Plays the ringtone once on the ringer, so the user can check the device. False during a call. */
  previewRingtone(): boolean {
    if (this.liveCall()) return false;
    this.tones.play('ringtone');
    clearTimeout(this.previewTimer);
    // One cycle; the calls decide what plays after it (usually nothing).
    this.previewTimer = setTimeout(() => this.updateTones(), 2_000);
    return true;
  }

  private previewTimer: ReturnType<typeof setTimeout> | undefined;

  /** Whether the browser is holding back sound until a user gesture (see `enableAudio()`). */
  get audioBlocked(): boolean {
    return this.blockedAudio.size > 0;
  }

  /**
   * Lets sound play: call from a user gesture (the "enable sound" click).
   * Resolves whether everything now plays.
   */
  async enableAudio(): Promise<boolean> {
    const tones = await this.tones.unlock();
    if (tones) this.audioUnblocked('tones');
    let calls = true;
    for (const call of this.calls.values()) {
      try {
        await call.resumeAudio();
      } catch {
        calls = false;
      }
    }
    if (calls) this.audioUnblocked('call-audio');
    return tones && calls;
  }

  /** The live RTCPeerConnection of the current call, for stats. */
  get peerConnection(): RTCPeerConnection | null {
    return this.foreground?.peerConnection ?? null;
  }

  /**
   * Applies configuration. Each field is checked on its own: a refused value
   * fires `error`, keeps the previous good one and puts the phone in `error`
   * until a good value arrives; it never touches an active call.
   */
  configure(config: PhoneConfig): void {
    if (config.dtmfMode !== undefined) this.dtmfMode = config.dtmfMode === 'rfc2833' ? 'rfc2833' : 'info';
    if (config.busyPolicy !== undefined) this.busyPolicy = config.busyPolicy === 'reject' ? 'reject' : 'wait';
    if (config.referPolicy !== undefined) this.referPolicy = config.referPolicy === 'accept' || config.referPolicy === 'reject' ? config.referPolicy : 'ask';
    if (config.iceTransportPolicy !== undefined) this.iceTransportPolicy = config.iceTransportPolicy === 'relay' ? 'relay' : 'all';
    if (config.iceServers !== undefined) {
      if (config.iceServers === null || isIceServerList(config.iceServers)) {
        this.hostIceServers = config.iceServers;
        this.badFields.delete('ice-servers');
      } else {
        this.refuse('ice-servers', 'invalid-attribute', 'ice-servers must be a JSON array of RTCIceServer objects');
      }
    }
    if (config.server !== undefined) {
      const server = config.server?.trim() || null;
      if (server !== null && isWebSocketUrl(server) && mixedContent(server)) {
        this.refuse('server', 'invalid-server', `this page is served over https: the SIP server must be wss://, got ${JSON.stringify(server.slice(0, 100))}`);
      } else if (server === null || isWebSocketUrl(server)) {
        this.server = server;
        this.badFields.delete('server');
      } else {
        this.refuse('server', 'invalid-server', `sip-server must be a ws:// or wss:// URL, got ${JSON.stringify(server.slice(0, 100))}`);
      }
    }
    if (config.token !== undefined) this.takeToken(config.token?.trim() || null);
    this.apply();
  }

  /** Goes on the network with the configuration it has. */
  start(): void {
    this.started = true;
    this.apply();
  }

  /** Unregisters and closes the connection, ending any call. Keeps the configuration. */
  stop(): void {
    this.started = false;
    clearTimeout(this.tokenTimer);
    clearTimeout(this.warnTimer);
    clearTimeout(this.retryTimer);
    for (const call of this.calls.values()) call.abort('local-hangup');
    clearTimeout(this.previewTimer);
    this.tones.dispose();
    this.teardownUA();
    this.setRegistration('unregistered', null);
    this.updatePhoneState();
  }

  /** Places a call; false (with an `error` event) when the target is invalid or the phone cannot call now. */
  call(target: string): boolean {
    const domain = this.claims?.sip_domain ?? '';
    const number = normalizeDialString(target, domain);
    if (number === null) {
      this.emit('error', { code: 'invalid-number', message: `cannot dial ${JSON.stringify(String(target).slice(0, 100))}` });
      return false;
    }
    if (this.liveCall()) {
      this.emit('error', { code: 'call-in-progress', message: 'a call is already in progress' });
      return false;
    }
    if (this.phoneState !== 'ready' || !this.ua || !this.claims) {
      this.emit('error', { code: 'not-ready', message: `the phone is not ready (${this.phoneState})` });
      return false;
    }
    const ua = this.ua;
    const uri = `sip:${number}@${domain}`;
    const call = this.newCall('outbound', number, { name: number, address: uri });
    call.dial((mediaStream) =>
      ua.call(uri, {
        mediaStream,
        // The server asserts it only if the token's signed list has it (RFC 3325).
        extraHeaders: this.outbound ? [`P-Preferred-Identity: <sip:${this.outbound}@${domain}>`] : [],
        pcConfig: this.pcConfig(),
        rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false },
        eventHandlers: call.eventHandlers(),
      } as never),
    );
    return true;
  }

  /** Answers the ringing call; a second call is answered with the current one put on hold. */
  answer(): boolean {
    const call = this.ringing();
    if (!call) return this.noCall('no incoming call to answer');
    const current = this.foreground;
    if (current !== call && current && !current.ended) {
      if (current.state === 'in-progress' && !current.held.local) current.setHeld(true);
      const previous = this.state;
      this.foreground = call;
      this.emit('state-change', { id: call.id, state: call.state, previous });
    }
    return call.answer({ pcConfig: this.pcConfig() });
  }

  /** Declines the ringing call (603 Decline), a second call included. */
  reject(): boolean {
    const call = this.ringing();
    if (!call) return this.noCall('no incoming call to decline');
    call.terminate();
    return true;
  }

  /** Hangs up, cancels or declines the current call. */
  hangup(): boolean {
    const call = this.liveCall();
    if (!call) return this.noCall('no call to hang up');
    call.terminate();
    return true;
  }

  sendDtmf(digits: string): boolean {
    if (typeof digits !== 'string' || !DTMF_DIGITS.test(digits)) {
      this.emit('error', { code: 'invalid-dtmf', message: 'DTMF digits are 0-9, A-D, * and #' });
      return false;
    }
    const call = this.liveCall();
    if (!call || call.state !== 'in-progress') return this.noCall('no connected call to send DTMF on');
    try {
      call.sendDtmf(digits.toUpperCase());
      return true;
    } catch (e) {
      this.emit('error', { code: 'call-failed', message: `DTMF could not be sent: ${(e as Error).message}` });
      return false;
    }
  }

  /** Mutes (true) or unmutes the current call's microphone; false when there is no call or nothing changes. */
  setMuted(muted: boolean): boolean {
    const call = this.liveCall();
    if (!call) return this.noCall(`no call to ${muted ? 'mute' : 'unmute'}`);
    return call.setMuted(muted);
  }

  get muted(): boolean {
    return this.liveCall()?.muted ?? false;
  }

  /** Holds (true) or resumes the current call; the outcome arrives as `hold-change`. */
  setHeld(held: boolean): boolean {
    const call = this.liveCall();
    if (!call || call.state !== 'in-progress') return this.noCall(`no connected call to ${held ? 'hold' : 'resume'}`);
    return call.setHeld(held);
  }

  /** Blind-transfers the connected call to `target` (same dial rule as `call()`). */
  transfer(target: string): boolean {
    const call = this.liveCall();
    const domain = this.claims?.sip_domain ?? '';
    const number = normalizeDialString(target, domain);
    if (number === null) {
      this.emit('error', { code: 'invalid-number', message: `cannot transfer to ${JSON.stringify(String(target).slice(0, 100))}` });
      return false;
    }
    if (!call || call.state !== 'in-progress') return this.noCall('no connected call to transfer');
    return call.transfer(number, `sip:${number}@${domain}`);
  }

  /** The transfer the far end asks for, waiting for `acceptTransfer()` or `declineTransfer()`, or null. */
  get transferRequest(): PendingTransfer | null {
    return this.transferRequests.pending;
  }

  /** Obeys the waiting transfer request: calls its target; the far end then ends this call. */
  acceptTransfer(): boolean {
    return this.transferRequests.settle(true) || this.noCall('no transfer request to accept');
  }

  /** Refuses the waiting transfer request (NOTIFY `603 Decline`); the call goes on. */
  declineTransfer(): boolean {
    return this.transferRequests.settle(false) || this.noCall('no transfer request to decline');
  }

  /** Whether this phone holds the current call (confirmed by the far end). */
  get onHold(): boolean {
    return this.liveCall()?.held.local ?? false;
  }

  /** Hangs up any call and returns to the phone's own state. */
  reset(): void {
    this.liveCall()?.terminate();
    const fg = this.foreground;
    if (fg && fg.ended) {
      this.foreground = null;
      this.emit('state-change', { id: null, state: this.phoneState, previous: fg.state });
    }
  }

  // ── configuration ──────────────────────────────────────────────────────────

  private refuse(field: ConfigField, code: ErrorCode, message: string): void {
    this.badFields.add(field);
    this.emit('error', { code, message });
  }

  private takeToken(token: string | null): void {
    if (token === null) {
      this.claims = null;
      this.token = '';
      this.badFields.delete('token');
      clearTimeout(this.tokenTimer);
      clearTimeout(this.warnTimer);
      return;
    }
    let claims: TokenClaims;
    try {
      claims = decodeToken(token);
    } catch (e) {
      this.refuse('token', 'invalid-token', e instanceof TokenFormatError ? e.message : 'the token could not be read');
      return;
    }
    this.badFields.delete('token');
    if (token === this.token) return;
    this.token = token;
    this.claims = claims;
    this.tokenDead = false;
    const historyKey = `voice-widget:history:${claims.sub}@${claims.sip_domain}`;
    if (this.callHistory?.key !== historyKey) this.callHistory = new CallHistory(historyKey);
    this.outbound = rememberedCallerId(claims);
    // Time expiry from the token's own lifetime, counted from its receipt: browser clocks are often wrong.
    if (this.received?.token !== token) this.received = { token, at: performance.now() };
    const lifetime = (claims.exp - claims.iat) * 1000;
    const left = lifetime - (performance.now() - this.received.at);
    this.armTokenTimer(left);
    // Ahead of the end, by a quarter of the lifetime: time for the host to fetch and set a new token.
    clearTimeout(this.warnTimer);
    const warnIn = left - lifetime * EXPIRY_WARNING_SHARE;
    if (left > 0 && warnIn < MAX_TIMER_MS) {
      this.warnTimer = setTimeout(
        () => {
          const secondsLeft = Math.max(0, Math.round((lifetime - (performance.now() - this.received!.at)) / 1000));
          this.emit('token-expiring', { expiresAt: Date.now() + secondsLeft * 1000, secondsLeft });
        },
        Math.max(0, warnIn),
      );
    }
  }

  private armTokenTimer(ms: number): void {
    clearTimeout(this.tokenTimer);
    this.tokenTimer = setTimeout(
      () => (ms > MAX_TIMER_MS ? this.armTokenTimer(ms - MAX_TIMER_MS) : this.tokenFailed('expired')),
      Math.max(0, Math.min(ms, MAX_TIMER_MS)),
    );
  }

  /** Brings the UA in line with the configuration. */
  private apply(): void {
    this.updatePhoneState();
    if (!this.started) return;
    if (!this.claims || !this.server || this.tokenDead || this.server === this.blockedServer) {
      // Nothing usable to register with: keep no connection open, except for a call in progress.
      if (this.liveCall()) this.restartPending = true;
      else this.teardownUA();
      return;
    }
    const key = `${this.server} ${this.claims.sub}@${this.claims.sip_domain}`;
    if (this.ua && key === this.uaKey) {
      if (this.registeredWith !== this.token) this.refreshCredentials();
      return;
    }
    if (this.liveCall()) {
      // A new server or identity needs a new connection; never at the cost of the call.
      this.restartPending = true;
      return;
    }
    this.teardownUA();
    this.startUA(key);
  }

  /** The token the UA's credentials come from. */
  private registeredWith = '';

  private startUA(key: string): void {
    const claims = this.claims!;
    let ua: UA;
    let socket: InstanceType<typeof JsSIP.WebSocketInterface>;
    try {
      socket = new JsSIP.WebSocketInterface(this.server!);
      ua = new JsSIP.UA({
        sockets: [socket],
        instance_id: tabInstanceId(),
        uri: `sip:${claims.sub}@${claims.sip_domain}`,
        authorization_user: claims.sip_auth_user,
        password: claims.sip_auth_password,
        display_name: cleanDisplayName(claims.name),
        register: false, // we register on each connect ourselves, so a dead token cannot loop
        register_expires: 600,
        session_timers: false,
        user_agent: USER_AGENT,
        // Reconnect at random within 1–4 s, never slower: back within 5 s of the server's return.
        connection_recovery_min_interval: 1,
        connection_recovery_max_interval: 4,
        no_answer_timeout: 60,
      });
    } catch (e) {
      this.refuse('server', 'invalid-server', `the SIP configuration was refused: ${(e as Error).message}`);
      this.updatePhoneState();
      return;
    }
    this.ua = ua;
    this.socket = socket;
    this.uaKey = key;
    this.retrying = false;
    this.registeredWith = this.token;
    this.everConnected = false;

    ua.on('connecting', (e: { attempts?: number }) => {
      if (this.ua !== ua) return;
      // JsSIP opens the WebSocket right after this event, in the same task.
      this.emit('before-connect', { createdAt: Date.now(), sessionId: this.sessionId, url: this.server ?? '', attempt: e?.attempts ?? 0 });
      this.setRegistration(this.everConnected || this.retrying ? 'reconnecting' : 'connecting', null);
      // A server that takes the TCP connection but never answers would hold JsSIP here forever.
      clearTimeout(this.connectTimer);
      this.connectTimer = setTimeout(() => this.ua === ua && !ua.isConnected() && this.dropSocket('connect timeout'), CONNECT_TIMEOUT_MS);
    });
    ua.on('connected', () => {
      if (this.ua !== ua) return;
      clearTimeout(this.connectTimer);
      this.keepAlive();
      this.everConnected = true;
      this.retrying = false;
      this.registerRetry = 0;
      if (!this.tokenDead) this.register();
    });
    ua.on('disconnected', (e: { error?: boolean; code?: number; reason?: string }) => {
      if (this.ua !== ua) return;
      this.registering = null;
      clearTimeout(this.retryTimer);
      clearTimeout(this.keepaliveTimer);
      if (e.code === CLOSE_REVOKED || /revoked/i.test(e.reason ?? '')) return this.tokenFailed('revoked');
      // JsSIP tries again after its backoff: that is reconnecting, even if no attempt ever got through.
      this.retrying = true;
      this.setRegistration('reconnecting', e.reason || 'connection closed');
    });
    ua.on('registered', () => {
      if (this.ua !== ua) return;
      // null: JsSIP's own refresh of the registration, made with the current credential.
      const stale = this.registering !== null && this.registering !== this.token;
      this.registering = null;
      this.registerRetry = 0;
      this.setRegistration('registered', null);
      if (stale || this.registerAgain) this.register();
    });
    ua.on('unregistered', (e: { cause?: string }) => {
      // A dropped socket already says `reconnecting`; JsSIP's late `unregistered` would contradict it.
      if (this.ua !== ua || !ua.isConnected()) return;
      this.setRegistration('unregistered', e?.cause ?? null);
    });
    ua.on('registrationFailed', (e: { response?: { status_code: number; reason_phrase: string }; cause?: string }) => {
      if (this.ua !== ua) return;
      const stale = this.registering !== null && this.registering !== this.token;
      this.registering = null;
      // The answer to a REGISTER made with a token that has since been replaced says nothing about the new one.
      if (stale || this.registerAgain) return this.register();
      this.onRegistrationFailed(e.response?.status_code, e.response?.reason_phrase ?? '', e.cause ?? '');
    });
    ua.on('newRTCSession', (e: { originator: string; session: RTCSession; request: unknown }) => {
      if (this.ua !== ua || e.originator !== 'remote') return;
      this.onIncoming(e.session, e.request as IncomingInvite);
    });
    ua.start();
    this.updatePhoneState();
  }

  private refreshCredentials(): void {
    const ua = this.ua!;
    const claims = this.claims!;
    // JsSIP caches the digest HA1 after the first challenge; setting the password again replaces it.
    ua.set('authorization_user', claims.sip_auth_user);
    ua.set('password', claims.sip_auth_password);
    ua.set('display_name', cleanDisplayName(claims.name));
    this.registeredWith = this.token;
    if (ua.isConnected()) this.register();
  }

  /** Sends REGISTER with the current token, or queues it behind the one in flight. */
  private register(): void {
    const ua = this.ua;
    if (!ua || this.tokenDead) return;
    clearTimeout(this.retryTimer);
    if (this.registering !== null) {
      this.registerAgain = true;
      return;
    }
    this.registerAgain = false;
    this.registering = this.token;
    ua.registrator().setExtraHeaders([`${WIDGET_TOKEN_HEADER}: ${this.token}`]);
    ua.register();
  }

  /**
   * Checks an idle connection with a SIP OPTIONS to the server: any answer,
   * even an error, proves it alive; none in time means a connection that died
   * without closing (a vanished server, a sleeping NAT), so it is dropped and
   * JsSIP reconnects.
   */
  private keepAlive(): void {
    clearTimeout(this.keepaliveTimer);
    const ua = this.ua;
    if (!ua || !this.claims) return;
    this.keepaliveTimer = setTimeout(() => {
      if (this.ua !== ua || !ua.isConnected()) return;
      let answered = false;
      const deadline = setTimeout(() => !answered && this.ua === ua && this.dropSocket('no answer to keepalive'), KEEPALIVE_TIMEOUT_MS);
      const done = (alive: boolean) => {
        answered = true;
        clearTimeout(deadline);
        if (alive) this.keepAlive();
        else if (this.ua === ua) this.dropSocket('keepalive failed');
      };
      try {
        // In JsSIP 3.13, but missing from its type definitions. A URI object, not a string: JsSIP
        // would read "sip:domain" as a user at the domain (a 407 and a 480 instead of one 200).
        const server = new JsSIP.URI('sip', undefined as unknown as string, this.claims!.sip_domain);
        (ua as unknown as { sendOptions(target: unknown, body: undefined, options: object): void }).sendOptions(server, undefined, {
          eventHandlers: {
            succeeded: () => done(true),
            // An answer from the far end, even an error, is a sign of life; a timeout or transport error is not.
            failed: (e: { originator: string }) => done(e.originator === 'remote'),
          },
        });
      } catch {
        done(false);
      }
    }, KEEPALIVE_EVERY_MS);
  }

  /**
   * Closes the socket as if the network had, so JsSIP's own recovery (capped,
   * jittered backoff) reconnects and re-registers. JsSIP has no public way to
   * do this: its socket's close handler is called directly.
   */
  private dropSocket(reason: string): void {
    const socket = this.socket as unknown as { _ws?: WebSocket | null; _onClose?(e: { wasClean: boolean; code: number; reason: string }): void } | null;
    const ws = socket?._ws;
    if (!socket || !ws || !socket._onClose) return;
    ws.onopen = ws.onclose = ws.onmessage = ws.onerror = null;
    try {
      ws.close();
    } catch {
      // Closing a socket that never opened can throw; it is gone either way.
    }
    socket._ws = null;
    socket._onClose({ wasClean: false, code: 1006, reason });
  }

  /**
   * The browser's `online`/`offline`: offline drops the connection at once
   * (`reconnecting`, calls keep their media while it lasts); online reconnects
   * now rather than at the next backoff step.
   */
  networkChanged(online: boolean): void {
    const ua = this.ua;
    if (!ua) return;
    if (!online) this.dropSocket('offline');
    else if (!ua.isConnected()) this.dropSocket('network back');
  }

  /**
   * The page's Content-Security-Policy refused a connection (`securitypolicyviolation`).
   * When it is the SIP server's, say so once and stop: retrying cannot succeed.
   */
  connectionRefusedByPolicy(blockedUrl: string): void {
    if (!this.server) return;
    try {
      if (new URL(blockedUrl).host !== new URL(this.server).host) return;
    } catch {
      return;
    }
    if (this.blockedServer === this.server) return;
    this.blockedServer = this.server;
    this.refuse('server', 'csp-blocked', `this page's Content-Security-Policy (connect-src) does not allow ${this.server}`);
    if (this.liveCall()) this.restartPending = true;
    else this.teardownUA();
    this.setRegistration('failed', 'blocked by the Content-Security-Policy');
    this.updatePhoneState();
  }

  /** Best effort as the page goes away: unregister, so the server does not keep a dead binding. */
  unregisterNow(): void {
    try {
      if (this.ua?.isRegistered()) this.ua.unregister();
    } catch {
      // The page is leaving; nothing more to do.
    }
  }

  private teardownUA(): void {
    const ua = this.ua;
    this.ua = null;
    this.socket = null;
    clearTimeout(this.connectTimer);
    clearTimeout(this.keepaliveTimer);
    this.uaKey = '';
    this.registeredWith = '';
    this.registering = null;
    this.registerAgain = false;
    this.restartPending = false;
    clearTimeout(this.retryTimer);
    if (ua) {
      try {
        ua.stop();
      } catch {
        // Already stopped.
      }
    }
  }

  private onRegistrationFailed(status: number | undefined, reason: string, cause: string): void {
    if (status === 403 && /origin/i.test(reason)) {
      // Not the token's fault: this page may not use it. Stop until the host changes something.
      this.tokenDead = true;
      this.setRegistration('failed', `${status} ${reason}`);
      this.emit('error', { code: 'origin-not-allowed', message: `the SIP server refused this page's origin (${location.origin}) for this token` });
      this.apply();
      return;
    }
    // The server's cap on one user's bindings (both our servers say so in the reason): the token is fine,
    // and a slot frees when another tab of this user closes, so retry as for a server error.
    const tooMany = status === 403 && /too many registrations/i.test(reason);
    if (status === 403 && /expired/i.test(reason)) return this.tokenFailed('expired');
    if (status === 403 && /revoked/i.test(reason)) return this.tokenFailed('revoked');
    if (!tooMany && (status === 401 || status === 403 || status === 407 || cause === JsSIP.C.causes.AUTHENTICATION_ERROR)) {
      return this.tokenFailed('rejected');
    }
    // Anything else (a server error, a timeout) may pass: try again, less and less often.
    const why = status ? `${status} ${reason}` : cause;
    this.setRegistration('failed', why);
    if (this.registerRetry === 0) {
      const code = tooMany ? 'too-many-registrations' : 'registration-failed';
      this.emit('error', { code, message: `registration failed: ${why}` });
    }
    const delay = REGISTER_RETRY_MS[Math.min(this.registerRetry, REGISTER_RETRY_MS.length - 1)];
    this.registerRetry += 1;
    this.retryTimer = setTimeout(() => this.register(), delay);
    this.updatePhoneState();
  }

  /** The token can no longer register: say so once, stop new calls, keep any call. */
  private tokenFailed(reason: 'expired' | 'revoked' | 'rejected'): void {
    clearTimeout(this.tokenTimer);
    clearTimeout(this.warnTimer);
    if (this.tokenDead || !this.claims) return;
    this.tokenDead = true;
    this.setRegistration('failed', reason === 'expired' ? 'credential expired' : `credential ${reason}`);
    this.apply();
    this.emit('token-expired', { reason });
  }

  // ── calls ──────────────────────────────────────────────────────────────────

  /** The call that rings here: the foreground one, or a second call waiting. */
  private ringing(): Call | null {
    return this.foreground?.state === 'incoming' ? this.foreground : this.waitingCall;
  }

  private onIncoming(session: RTCSession, request: IncomingInvite): void {
    // One call may wait beside the current one; beyond that, or by policy, the line is busy.
    if (this.liveCall() && (this.busyPolicy === 'reject' || this.calls.size > 1)) {
      session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    // The server's assertion of who calls (from the caller's token) beats the From display name.
    const asserted = request.getHeader('P-Asserted-Identity');
    // `"name" <sip:user@host>`; the quoted-string may hold quoted-pairs (\" and \\, as Kamailio
    // escapes them), and the URI is the one after it, never one inside the name.
    const parsed = asserted ? /^\s*(?:"((?:[^"\\]|\\.)*)"\s*)?<sips?:([^@;>]+)@([^;>]+)/.exec(asserted) : null;
    const assertedName = parsed?.[1]?.replace(/\\(.)/g, '$1');
    const assertedUri = parsed ? [parsed[0], parsed[2], parsed[3]] : null;
    const remoteIdentity = session.remote_identity as unknown as NameAddr;
    // With an asserted identity (the caller's token, or a caller ID it allows), that is who calls.
    const identity: NameAddr = assertedUri ? { display_name: assertedName, uri: { user: assertedUri[1], host: assertedUri[2] } } : remoteIdentity;
    const from = partyOf(identity, assertedName);
    const to = partyOf(request.to as NameAddr);
    const call = this.newCall('inbound', identity.uri.user ?? from.address, from, session, !this.liveCall());
    this.emit('call-received', { id: call.id, from, to, paths: pathsOf(request, to) });
  }

  private newCall(direction: 'outbound' | 'inbound', number: string, remote: { name: string; address: string }, session?: RTCSession, foreground = true): Call {
    const claims = this.claims!;
    const previous = this.state;
    const call = new Call(
      {
        id: newId(),
        direction,
        number,
        remote,
        local: { name: cleanDisplayName(claims.name), address: `sip:${claims.sub}@${claims.sip_domain}` },
        iceServers: this.iceServers(),
        dtmfMode: this.dtmfMode,
        microphone: this.devices.microphone,
        speaker: this.devices.speaker,
      },
      {
        stateChanged: (c, state, prev) => this.emit('state-change', { id: c.id, state, previous: prev }),
        started: (c) => this.emit('call-started', { id: c.id, direction: c.direction, number: c.number }),
        ended: (c, cause) => this.onCallEnded(c, cause),
        dtmf: (c, digit, dir) => this.emit('dtmf', { id: c.id, digit, direction: dir }),
        muteChanged: (c, muted) => this.emit('mute-change', { id: c.id, muted }),
        holdChanged: (c, held, by) => this.emit('hold-change', { id: c.id, held, by }),
        transferred: (c, target, result) => this.emit('transfer', { id: c.id, target, result }),
        audioSilence: (c, silent) => this.emit(silent ? 'no-audio' : 'audio-restored', { id: c.id }),
        referred: (c, target, accept, reject) => this.onReferred(c, target, accept, reject),
        error: (code, message) => this.emit('error', { code, message }),
        credentialExpired: () => this.tokenFailed('expired'),
        audioBlocked: (c) => this.audioBlockedBy('call-audio', c.id),
        earlyMedia: () => this.updateTones(),
      },
    );
    // Wired before anyone hears of the call, so a listener may act on it at once.
    if (session) call.attach(session);
    this.calls.set(call.id, call);
    // A second call rings beside the current one, which stays in the foreground.
    if (foreground) {
      this.foreground = call;
      this.emit('state-change', { id: call.id, state: call.state, previous });
    }
    return call;
  }

  /** The tone the calls call for: a ringtone, a ringback (unless the far end sends its own), a call-waiting beep. */
  private updateTones(): void {
    const fg = this.foreground;
    let tone: ToneKind | null = null;
    if (fg?.state === 'incoming') tone = 'ringtone';
    else if (fg?.state === 'ringing' && !fg.earlyMedia) tone = 'ringback';
    else if (fg?.state === 'in-progress' && this.waitingCall) tone = 'waiting';
    if (tone) this.tones.play(tone);
    else this.tones.stop();
  }

  private audioBlockedBy(source: 'tones' | 'call-audio', id: string | null): void {
    if (this.blockedAudio.has(source)) return;
    this.blockedAudio.add(source);
    this.emit('audio-blocked', { id, source });
  }

  private audioUnblocked(source: 'tones' | 'call-audio'): void {
    if (!this.blockedAudio.delete(source) || this.blockedAudio.size > 0) return;
    this.emit('audio-unblocked', {});
  }

  private onCallEnded(call: Call, cause: EndCause): void {
    this.calls.delete(call.id);
    this.transferRequests.drop(call.id);
    // Blocked call audio went with the last call; a later call asks again.
    if (this.calls.size === 0) this.blockedAudio.delete('call-audio');
    // Every outbound call reports call-started before call-ended, even one that never left (no microphone).
    if (call.direction === 'outbound') call.reportStarted();
    const ended = { id: call.id, direction: call.direction, number: call.number, duration: call.duration, cause };
    // Missed: rang here, nobody answered, and no other phone of this user did either.
    const missed = call.direction === 'inbound' && call.connectedAt === null && !call.answeredElsewhere && (cause === 'canceled' || cause === 'no-answer');
    this.callHistory?.record(ended, call.remote.name, call.startedAt, missed);
    this.emit('call-ended', ended);
    // Another call still lives (a transfer that failed): it is in the foreground again.
    const other = [...this.calls.values()].find((c) => !c.ended);
    if (this.foreground === call && other) {
      this.foreground = other;
      this.emit('state-change', { id: other.id, state: other.state, previous: call.state });
    }
    if (this.restartPending && !this.liveCall()) {
      this.restartPending = false;
      this.apply();
    }
  }

  /** The foreground call while it lives (during a transfer two calls overlap), else any live one. */
  private liveCall(): Call | null {
    if (this.foreground && !this.foreground.ended) return this.foreground;
    for (const call of this.calls.values()) if (!call.ended) return call;
    return null;
  }

  /**
   * The far end transfers us (REFER). The target must pass `call()`'s dial
   * rule; then `refer-policy` decides: ask the user, obey, or refuse. JsSIP
   * has already answered 202, so refusing is a NOTIFY `603 Decline`.
   */
  private onReferred(call: Call, uri: ReferUri, accept: ReferAccept, reject: () => void): void {
    const target = referTarget(uri, this.claims?.sip_domain ?? '');
    if (!target || this.referPolicy === 'reject' || this.calls.size > 1) return reject();
    const obey = () => this.placeTransfer(target.number, accept, reject);
    if (this.referPolicy === 'accept') return obey();
    const request = { id: call.id, target: target.number, kind: target.kind, from: call.remote };
    // One request at a time: a second one while the user decides is refused.
    if (!this.transferRequests.ask(request, obey, reject)) return reject();
    this.emit('transfer-requested', { id: request.id, target: request.target, kind: request.kind });
  }

  /** Calls a transfer's target; JsSIP adds the Refer-To's `Replaces` and reports the outcome to the transferor. */
  private placeTransfer(number: string, accept: ReferAccept, reject: () => void): void {
    // Another call arrived while the user decided: the line is taken.
    if (this.calls.size > 1) return reject();
    const domain = this.claims?.sip_domain ?? '';
    const call = this.newCall('outbound', number, { name: number, address: `sip:${number}@${domain}` });
    call.dial((mediaStream) => {
      let session: RTCSession | undefined;
      accept((s) => (session = s), {
        mediaStream,
        pcConfig: this.pcConfig(),
        rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false },
        eventHandlers: call.eventHandlers(),
      });
      if (!session) throw new Error('the transfer could not be placed');
      return session;
    });
  }

  private noCall(message: string): false {
    this.emit('error', { code: 'no-call', message });
    return false;
  }

  /** The peer connection's configuration: ICE servers, and `relay` to force TURN. */
  private pcConfig(): RTCConfiguration {
    return { iceServers: this.iceServers(), iceTransportPolicy: this.iceTransportPolicy };
  }

  private iceServers(): RTCIceServer[] {
    return this.hostIceServers ?? (this.claims?.ice_servers as RTCIceServer[] | undefined) ?? [];
  }

  // ── state ──────────────────────────────────────────────────────────────────

  /** The phone's own state follows from the configuration and the registration. */
  private updatePhoneState(): void {
    const next: PhoneState = this.badFields.size > 0 || this.tokenDead ? 'error' : this.registration === 'registered' && this.ua ? 'ready' : 'loading';
    const previous = this.phoneState;
    if (next === previous) return;
    this.phoneState = next;
    // Phone-level changes are reported with id null; a foreground call keeps its own state.
    this.emit('state-change', { id: null, state: next, previous });
    if (next === 'ready') this.emit('ready', {});
  }

  private setRegistration(next: RegistrationState, cause: string | null): void {
    const previous = this.registration;
    if (next !== previous) {
      this.registration = next;
      this.emit('registration-change', { state: next, previous, cause });
    }
    this.updatePhoneState();
  }
}

interface NameAddr {
  display_name?: string | null;
  uri: { user?: string | null; host: string; scheme?: string };
}

interface IncomingInvite {
  to: NameAddr;
  getHeader(name: string): string | undefined;
  getHeaders(name: string): string[];
}

function partyOf(n: NameAddr, name?: string): { name: string; address: string } {
  const user = n.uri.user ?? '';
  const address = user ? `sip:${user}@${n.uri.host}` : `sip:${n.uri.host}`;
  return { name: cleanDisplayName(name ?? n.display_name ?? '') || user || n.uri.host, address };
}

/**
 * The route a call took to reach us: each History-Info entry, then each
 * Diversion entry, in header order, then the address that reached this phone.
 */
function pathsOf(request: IncomingInvite, to: { name: string; address: string }): CallReceivedDetail['paths'] {
  const paths: CallReceivedDetail['paths'] = [];
  for (const type of ['history-info', 'diversion'] as const) {
    for (const header of request.getHeaders(type === 'history-info' ? 'History-Info' : 'Diversion')) {
      for (const entry of header.split(',')) {
        const m = /^\s*(?:"?([^"<]*)"?\s*)?<(sips?:[^;>?]+)/i.exec(entry);
        if (m) paths.push({ type, address: m[2], name: (m[1] ?? '').trim() });
      }
    }
  }
  paths.push({ type: 'sip', address: to.address, name: to.name });
  return paths;
}

/** The caller ID this user chose before, if the token still allows it. */
function rememberedCallerId(claims: TokenClaims): string | null {
  const saved = readStorage('local', callerIdKey(claims));
  return saved && (claims.caller_ids ?? []).includes(saved) ? saved : null;
}

const callerIdKey = (claims: TokenClaims) => `voice-widget:caller-id:${claims.sub}@${claims.sip_domain}`;

function isWebSocketUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname.length > 0 && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** A page served over https may only open wss:// (browsers block ws:// there as mixed content), except to loopback. */
function mixedContent(value: string): boolean {
  if (typeof location === 'undefined' || location.protocol !== 'https:') return false;
  const url = new URL(value);
  return url.protocol === 'ws:' && !isLoopbackHost(url.hostname);
}

function newId(): string {
  return typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

export type { CallState };

/** One SIP instance id per tab (sessionStorage survives reloads, not new tabs): one binding per tab. */
function tabInstanceId(): string | undefined {
  const saved = readStorage('session', INSTANCE_KEY);
  if (saved) return saved;
  const id = crypto.randomUUID();
  return writeStorage('session', INSTANCE_KEY, id) ? id : undefined; // No storage: JsSIP makes one per page.
}
