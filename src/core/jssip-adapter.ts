import JsSIP from 'jssip';
import type { UA } from 'jssip/lib/UA.js';
import type { RTCSession } from 'jssip/lib/RTCSession.js';
import type { ReferUri } from './transfer-request.js';

/**
 * The one seam between voice-widget and JsSIP. Every JsSIP private API
 * (`_ws`, `_onClose`, `_sendReinvite`, a URI's `_headers`…) and every cast of
 * a JsSIP payload lives here; the rest of the core sees typed events and the
 * small `SipAgent` interface, which unit tests replace with a fake.
 * Past 450 lines on purpose: splitting it would spread JsSIP's internals over
 * several modules, which this file exists to prevent.
 */

/** A JsSIP call session. The core calls only its public methods (answer, terminate, mute…). */
export type SipSession = RTCSession;

/** A name-addr as JsSIP parses it (From, To, P-Asserted-Identity). */
export interface NameAddr {
  display_name?: string | null;
  uri: { user?: string | null; host: string; scheme?: string };
}

/** The parts of an incoming INVITE the phone reads. */
export interface IncomingInvite {
  to: NameAddr;
  getHeader(name: string): string | undefined;
  getHeaders(name: string): string[];
}

/** JsSIP's accept() of a REFER: starts the new session, handing it to `init` at once. */
export type ReferAccept = (init: (session: SipSession) => void, options: Record<string, unknown>) => void;

export interface AgentEvents {
  /** A connection attempt to `url` begins (JsSIP opens the WebSocket right after, in the same task). */
  connecting: { url: string; attempts: number };
  connected: Record<string, never>;
  disconnected: { code?: number; reason?: string };
  registered: Record<string, never>;
  unregistered: { cause: string | null };
  registrationFailed: { status?: number; reasonPhrase: string; cause: string; authenticationError: boolean };
  incoming: { session: SipSession; remote: NameAddr; request: IncomingInvite };
}

export interface AgentOptions {
  /** WebSocket URLs, tried in this order (see `createAgent`). */
  servers: readonly string[];
  uri: string;
  authorizationUser: string;
  password: string;
  displayName: string;
  instanceId: string | undefined;
  userAgent: string;
}

export interface OutgoingCallOptions {
  mediaStream: MediaStream;
  extraHeaders: string[];
  pcConfig: RTCConfiguration;
  eventHandlers: SessionHandlers;
}

/** What the phone needs of a SIP user agent; `createAgent` makes the JsSIP one. */
export interface SipAgent {
  on<K extends keyof AgentEvents>(event: K, handler: (e: AgentEvents[K]) => void): void;
  start(): void;
  stop(): void;
  isConnected(): boolean;
  isRegistered(): boolean;
  /** Sends REGISTER with these extra headers (JsSIP then refreshes it itself). */
  register(extraHeaders: string[]): void;
  unregister(): void;
  /** JsSIP caches the digest HA1 after the first challenge; setting the password again replaces it. */
  setCredentials(user: string, password: string, displayName: string): void;
  call(uri: string, options: OutgoingCallOptions): SipSession;
  /** An OPTIONS to the domain: `done(true)` on any answer from the far end, even an error. */
  ping(domain: string, done: (alive: boolean) => void): void;
  /** Closes the current socket as if the network had, so JsSIP's recovery reconnects. */
  dropSocket(reason: string): void;
  /** Closes the current socket (if any) and connects again at once, not after JsSIP's 1–4 s backoff. */
  reconnectNow(reason: string): void;
}

export type AgentFactory = (options: AgentOptions) => SipAgent;

/**
 * The JsSIP user agent. Several servers: JsSIP's transport uses the socket of
 * highest weight not marked failed (random among equal weights), marks a
 * socket failed when it disconnects and, once all have failed, starts over.
 * Weights n…1 make that "in the order given".
 */
export const createAgent: AgentFactory = (options) => {
  const sockets = options.servers.map((url, i) => ({ socket: new JsSIP.WebSocketInterface(url), weight: options.servers.length - i }));
  const ua = new JsSIP.UA({
    sockets,
    instance_id: options.instanceId,
    uri: options.uri,
    authorization_user: options.authorizationUser,
    password: options.password,
    display_name: options.displayName,
    register: false, // the phone registers on each connect itself, so a dead token cannot loop
    register_expires: 600,
    session_timers: false,
    user_agent: options.userAgent,
    // Reconnect at random within 1–4 s, never slower: back within 5 s of the server's return.
    connection_recovery_min_interval: 1,
    connection_recovery_max_interval: 4,
    no_answer_timeout: 60,
  });
  return new JsSipAgent(ua);
};

class JsSipAgent implements SipAgent {
  constructor(private readonly ua: UA) {}

  on<K extends keyof AgentEvents>(event: K, handler: (e: AgentEvents[K]) => void): void {
    const emit = handler as (e: unknown) => void;
    const ua = this.ua;
    switch (event) {
      case 'connecting':
        ua.on('connecting', (e: { socket?: { url?: string }; attempts?: number }) => emit({ url: e?.socket?.url ?? '', attempts: e?.attempts ?? 0 }));
        return;
      case 'disconnected':
        ua.on('disconnected', (e: { code?: number; reason?: string }) => emit({ code: e?.code, reason: e?.reason }));
        return;
      case 'unregistered':
        ua.on('unregistered', (e: { cause?: string }) => emit({ cause: e?.cause ?? null }));
        return;
      case 'registrationFailed':
        ua.on('registrationFailed', (e: { response?: { status_code: number; reason_phrase: string }; cause?: string }) =>
          emit({
            status: e.response?.status_code,
            reasonPhrase: e.response?.reason_phrase ?? '',
            cause: e.cause ?? '',
            authenticationError: e.cause === JsSIP.C.causes.AUTHENTICATION_ERROR,
          }),
        );
        return;
      case 'incoming':
        ua.on('newRTCSession', (e: { originator: string; session: RTCSession; request: unknown }) => {
          if (e.originator !== 'remote') return;
          emit({ session: e.session, remote: e.session.remote_identity as unknown as NameAddr, request: e.request as IncomingInvite });
        });
        return;
      default:
        (ua.on as (n: string, h: () => void) => void)(event, () => emit({}));
    }
  }

  start(): void {
    this.ua.start();
  }

  stop(): void {
    this.ua.stop();
  }

  isConnected(): boolean {
    return this.ua.isConnected();
  }

  isRegistered(): boolean {
    return this.ua.isRegistered();
  }

  register(extraHeaders: string[]): void {
    this.ua.registrator().setExtraHeaders(extraHeaders);
    this.ua.register();
  }

  unregister(): void {
    this.ua.unregister();
  }

  setCredentials(user: string, password: string, displayName: string): void {
    this.ua.set('authorization_user', user);
    this.ua.set('password', password);
    this.ua.set('display_name', displayName);
  }

  call(uri: string, options: OutgoingCallOptions): SipSession {
    return this.ua.call(uri, {
      ...options,
      rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false },
      eventHandlers: toJsSip(options.eventHandlers),
    } as never);
  }

  ping(domain: string, done: (alive: boolean) => void): void {
    // In JsSIP 3.13, but missing from its type definitions. A URI object, not a string: JsSIP
    // would read "sip:domain" as a user at the domain (a 407 and a 480 instead of one 200).
    const server = new JsSIP.URI('sip', undefined as unknown as string, domain);
    (this.ua as unknown as { sendOptions(target: unknown, body: undefined, options: object): void }).sendOptions(server, undefined, {
      eventHandlers: {
        succeeded: () => done(true),
        // An answer from the far end, even an error, is a sign of life; a timeout or transport error is not.
        failed: (e: { originator: string }) => done(e.originator === 'remote'),
      },
    });
  }

  /**
   * JsSIP has no public way to drop a connection and recover: the current
   * socket's close handler is called directly, so its own recovery (capped,
   * jittered backoff, next socket by weight) reconnects and re-registers.
   */
  dropSocket(reason: string): void {
    const transport = this.transport();
    const socket = transport?.socket as { _ws?: WebSocket | null; _onClose?(e: { wasClean: boolean; code: number; reason: string }): void } | undefined;
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

  /** The drop above, then JsSIP's own reconnect step (next socket by weight) without its backoff timer. */
  reconnectNow(reason: string): void {
    this.dropSocket(reason);
    const transport = this.transport();
    if (!transport || transport.close_requested || transport.isConnected() || transport.isConnecting()) return;
    clearTimeout(transport.recovery_timer ?? undefined);
    transport.recovery_timer = null;
    transport._getSocket();
    transport.connect();
  }

  /** JsSIP's transport (3.13 internals); null before start and after stop. */
  private transport(): JsSipTransport | null {
    return (this.ua as unknown as { transport?: JsSipTransport | null }).transport ?? null;
  }
}

interface JsSipTransport {
  socket?: unknown;
  close_requested: boolean;
  recovery_timer: ReturnType<typeof setTimeout> | null;
  isConnected(): boolean;
  isConnecting(): boolean;
  _getSocket(): void;
  connect(): void;
}

// ── sessions ─────────────────────────────────────────────────────────────────

/** How a session ended, read from JsSIP's `ended`/`failed` event. */
export interface SessionEnd {
  cause: string | undefined;
  originator: string;
  /** The far end's final response, when there was one. */
  status?: number;
  reasonPhrase?: string;
  /** The `Reason` header of the far end's request (a CANCEL's `SIP;cause=200` says answered elsewhere). */
  reason?: string;
}

/** A call's handlers for its session's events, with typed payloads. */
export interface SessionHandlers {
  peerConnection(pc: RTCPeerConnection): void;
  iceCandidate(candidate: { type?: string; url?: string }, ready: () => void): void;
  /** Just before the INVITE goes out. */
  sending(): void;
  /** A provisional response; `withBody`: it carried SDP (early media). */
  progress(remote: boolean, withBody: boolean): void;
  accepted(): void;
  confirmed(): void;
  ended(e: SessionEnd): void;
  failed(e: SessionEnd): void;
  /** A REFER; `uri` null when it had no Refer-To URI. JsSIP has already answered 202. */
  refer(uri: ReferUri | null, accept: ReferAccept, reject: () => void): void;
  hold(remote: boolean): void;
  unhold(remote: boolean): void;
  dtmf(tone: string, remote: boolean): void;
  /** The far end's re-INVITE restarts ICE (new credentials): our answer gathers afresh. */
  iceRestart(): void;
  /**
   * An INVITE with `Replaces` naming this session's dialog (RFC 3891). `accept` raises the new session at once
   * (through the agent's `incoming`, synchronously) and JsSIP ends this one when it is confirmed; `reject` answers 486.
   */
  replaces(accept: () => void, reject: () => void): void;
}

type JsSipHandlers = Record<string, (e: never) => void>;

function endOf(e: { cause?: string; originator: string; message?: unknown }): SessionEnd {
  const message = e.message as { status_code?: number; reason_phrase?: string; getHeader?(n: string): string | undefined } | undefined;
  return {
    cause: e.cause,
    originator: e.originator,
    status: message?.status_code,
    reasonPhrase: message?.reason_phrase,
    reason: message?.getHeader?.('Reason'),
  };
}

/** Our handlers as JsSIP's `eventHandlers` (for `ua.call()`, a REFER's accept, or `session.on`). */
function toJsSip(h: SessionHandlers): JsSipHandlers {
  return {
    peerconnection: (e: { peerconnection: unknown }) => h.peerConnection(e.peerconnection as RTCPeerConnection),
    icecandidate: (e: { candidate: unknown; ready: () => void }) => h.iceCandidate(e.candidate as { type?: string; url?: string }, e.ready),
    sending: () => h.sending(),
    progress: (e: { originator: string; response?: { body?: string } }) => h.progress(e.originator === 'remote', !!e.response?.body),
    accepted: () => h.accepted(),
    confirmed: () => h.confirmed(),
    ended: (e: { cause?: string; originator: string; message?: unknown }) => h.ended(endOf(e)),
    failed: (e: { cause?: string; originator: string; message?: unknown }) => h.failed(endOf(e)),
    refer: (e: { request: { refer_to?: { uri: JsSipUri } }; accept: ReferAccept; reject: () => void }) => {
      const uri = e.request.refer_to?.uri;
      h.refer(uri ? referUriOf(uri) : null, e.accept, e.reject);
    },
    replaces: (e: { accept: (init?: unknown) => void; reject: () => void }) => h.replaces(() => e.accept(), e.reject),
    hold: (e: { originator: string }) => h.hold(e.originator === 'remote'),
    unhold: (e: { originator: string }) => h.unhold(e.originator === 'remote'),
    newDTMF: (e: { originator: string; dtmf: unknown }) => h.dtmf((e.dtmf as { tone: string }).tone, e.originator === 'remote'),
    // A plain function: JsSIP's emitter passes the session as `this`.
    reinvite: function (this: Internals, e: { request: { body?: string } }) {
      const ufrag = (sdp: string | undefined) => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];
      const known = ufrag(this._connection?.remoteDescription?.sdp);
      if (!known || ufrag(e.request.body) === known) return;
      // JsSIP would answer at once with the old candidates (its "ICE ready" flag stays set from the first gathering).
      this._iceReady = false;
      h.iceRestart();
    },
  };
}

/** The JsSIP session internals the adapter reads or sets (JsSIP 3.13). */
interface Internals {
  _connection?: RTCPeerConnection | null;
  _iceReady: boolean;
  onTransportError(): void;
  onRequestTimeout(): void;
  onDialogError(): void;
  isReadyToReOffer(): boolean;
  _sendReinvite(options: {
    rtcOfferConstraints: RTCOfferOptions;
    eventHandlers: { succeeded(): void; failed(response?: { status_code?: number }): void };
  }): void;
  terminate(options?: { cause?: string }): void;
}

/** Wires handlers to a session JsSIP created (an incoming call). */
export function listen(session: SipSession, handlers: SessionHandlers): void {
  for (const [name, handler] of Object.entries(toJsSip(handlers))) {
    (session.on as (n: string, h: (e: never) => void) => void)(name, handler);
  }
}

/** The session's peer connection, if JsSIP made one yet. */
export function peerOf(session: SipSession): RTCPeerConnection | undefined {
  return session.connection as unknown as RTCPeerConnection | undefined;
}

/** Answers with handlers, for a REFER's accept (same options as an outgoing call). */
export function referOptions(options: Omit<OutgoingCallOptions, 'extraHeaders'>): Record<string, unknown> {
  return {
    ...options,
    rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: false },
    eventHandlers: toJsSip(options.eventHandlers),
  };
}

export function sendDtmf(session: SipSession, digits: string, rfc2833: boolean): void {
  // 200 ms tones: with telephone-event/8000 beside Opus (most SIP phones offer only 8 kHz events),
  // Chromium sends tones of 120 ms or less as end packets only, which baresip and others drop.
  if (rfc2833) session.sendDTMF(digits, { transportType: 'RFC2833', duration: 200, interToneGap: 100 } as never);
  else session.sendDTMF(digits, { transportType: 'INFO', duration: 100, interToneGap: 70 } as never);
}

/**
 * Sends a REFER; exactly one of the handlers is called for its outcome (or none, if it never comes).
 * With `replaces` (attended transfer) the Refer-To carries `?Replaces=` for that session's dialog.
 */
export function refer(session: SipSession, uri: string, handlers: { accepted(): void; failed(): void }, replaces?: SipSession): void {
  session.refer(uri, {
    eventHandlers: { requestFailed: () => handlers.failed(), accepted: () => handlers.accepted(), failed: () => handlers.failed() },
    replaces,
  } as never);
}

/**
 * One re-INVITE with the current local description; resolves with the outcome.
 * JsSIP's public hold()/renegotiate() end the whole call on any failure, 491
 * included; its private re-INVITE sender takes handlers that let us decide.
 */
export function reinvite(session: SipSession): Promise<{ ok: boolean; status?: number }> {
  const s = session as unknown as Internals;
  return new Promise((resolve) => {
    if (!s.isReadyToReOffer()) return resolve({ ok: false, status: 491 });
    s._sendReinvite({
      // No legacy offerToReceiveAudio here: it would turn an `inactive` transceiver back into `recvonly`.
      rtcOfferConstraints: {},
      eventHandlers: {
        succeeded: () => resolve({ ok: true }),
        failed: (response) => resolve({ ok: false, status: response?.status_code }),
      },
    });
  });
}

/**
 * A recovering call's re-INVITE: with `iceRestart`, new ICE credentials and
 * candidates gathered afresh; without, the same media on a refreshed route
 * (our new socket's Contact). JsSIP ends the call when such a request times
 * out or its socket fails; a recovering call wants to try again instead, so
 * those end only this attempt.
 */
export async function recoveryReinvite(session: SipSession, iceRestart: boolean): Promise<{ ok: boolean; status?: number }> {
  const s = session as unknown as Internals;
  if (!s.isReadyToReOffer()) return { ok: false, status: 491 };
  const own = { onTransportError: s.onTransportError, onRequestTimeout: s.onRequestTimeout, onDialogError: s.onDialogError };
  return new Promise<{ ok: boolean; status?: number }>((resolve) => {
    s.onTransportError = () => resolve({ ok: false, status: 503 });
    s.onRequestTimeout = () => resolve({ ok: false, status: 408 });
    s.onDialogError = () => resolve({ ok: false, status: 481 });
    // Else JsSIP sends the offer without waiting for the new candidates (see `reinvite` in toJsSip).
    if (iceRestart) s._iceReady = false;
    s._sendReinvite({
      // No legacy offerToReceiveAudio: it would turn an `inactive` transceiver back into `recvonly`.
      rtcOfferConstraints: iceRestart ? { iceRestart: true } : {},
      eventHandlers: { succeeded: () => resolve({ ok: true }), failed: (response) => resolve({ ok: false, status: response?.status_code }) },
    });
  }).finally(() => Object.assign(s, own));
}

/**
 * JsSIP ends a session whose ICE fails (cause "RTP Timeout"); a connected call
 * recovers instead (call/recovery.ts), and its window decides when it ends.
 */
export function keepOnIceFailure(session: SipSession, connected: () => boolean): void {
  const s = session as unknown as Internals;
  const terminate = s.terminate.bind(s);
  s.terminate = (options) => {
    if (options?.cause === JsSIP.C.causes.RTP_TIMEOUT && connected()) return;
    terminate(options);
  };
}

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
  return { scheme: uri.scheme, user: uri.user ?? null, host: uri.host, port: uri.port ?? null, params: Object.keys(uri._parameters ?? {}), headers };
}
