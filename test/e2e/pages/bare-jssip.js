// window.bare: a minimal JsSIP phone for the e2e harness test and as the
// baseline for widget benchmarks. Every async method resolves (never
// rejects) with a plain JSON-able object so puppeteer's evaluate() gets
// useful failure details instead of an opaque exception.
/* global JsSIP */
(() => {
  'use strict';

  const state = {
    ua: null,
    session: null,
    autoAnswer: false,
    events: [], // { type, t, ...details } in arrival order
    dtmf: [], // tones received from the remote side
    // performance.now() marks; the benchmark baseline reads these.
    timings: { uaStart: null, registered: null, call: null, confirmed: null },
  };

  const statusEl = document.getElementById('status');

  function record(type, details = {}) {
    const ev = { type, t: performance.now(), ...details };
    state.events.push(ev);
    statusEl.textContent = `${type}\n${statusEl.textContent}`.slice(0, 4000);
    return ev;
  }

  // SIP response details from a JsSIP event (IncomingResponse or undefined).
  function responseInfo(e) {
    const r = e && (e.response || e.message);
    return r && typeof r.status_code === 'number' ? { status: r.status_code, reason: r.reason_phrase } : {};
  }

  function attachRemoteAudio(session) {
    const audio = document.getElementById('remote');
    const pc = session.connection;
    if (!pc) return;
    const onTrack = (ev) => {
      audio.srcObject = ev.streams[0] || new MediaStream([ev.track]);
      audio.play().catch(() => {});
    };
    pc.addEventListener('track', onTrack);
    // Tracks may already be there when the session is answered.
    const receivers = pc.getReceivers().filter((r) => r.track);
    if (receivers.length) audio.srcObject = new MediaStream(receivers.map((r) => r.track));
  }

  function wireSession(session, originator, request) {
    state.session = session;
    // What identity the proxy let through (a client's own assertion must not survive).
    state.assertedIdentity = originator === 'remote' ? (request?.getHeader('P-Asserted-Identity') ?? null) : undefined;
    session.on('peerconnection', () => attachRemoteAudio(session));
    session.on('progress', (e) => record('progress', { originator: e.originator, ...responseInfo(e) }));
    session.on('accepted', (e) => record('accepted', { originator: e.originator }));
    session.on('confirmed', (e) => {
      if (state.timings.call != null && state.timings.confirmed == null) {
        state.timings.confirmed = performance.now();
      }
      record('confirmed', { originator: e.originator });
      attachRemoteAudio(session);
    });
    session.on('newDTMF', (e) => {
      if (e.originator === 'remote') state.dtmf.push(e.dtmf.tone);
      record('newDTMF', { originator: e.originator, tone: e.dtmf.tone });
    });
    session.on('newInfo', (e) => record('newInfo', { originator: e.originator }));
    session.on('ended', (e) => record('ended', { originator: e.originator, cause: e.cause }));
    session.on('failed', (e) => record('failed', { originator: e.originator, cause: e.cause, ...responseInfo(e) }));
    record('newRTCSession', { originator });
  }

  // Resolves with the first event of one of `types` recorded after index `from`.
  function waitForEvent(types, { from = 0, timeoutMs = 15000 } = {}) {
    const list = Array.isArray(types) ? types : [types];
    return new Promise((resolve) => {
      const started = performance.now();
      const tick = () => {
        const ev = state.events.slice(from).find((x) => list.includes(x.type));
        if (ev) return resolve({ ok: true, ...ev });
        if (performance.now() - started > timeoutMs) {
          return resolve({ ok: false, timeout: true, waitedFor: list, events: state.events.map((x) => x.type) });
        }
        setTimeout(tick, 10);
      };
      tick();
    });
  }

  const bare = {
    state,

    /**
     * Starts a UA and registers.
     * @param {{ wsUrl: string, user: string, domain: string, username: string,
     *   password: string, autoAnswer?: boolean, timeoutMs?: number, debug?: boolean }} opts
     * @returns {Promise<{ ok: boolean, registerMs?: number, cause?: string, status?: number, reason?: string }>}
     */
    start({ wsUrl, user, domain, username, password, token, autoAnswer = false, timeoutMs = 15000, debug = false }) {
      if (state.ua) return Promise.resolve({ ok: false, cause: 'already started' });
      if (debug) JsSIP.debug.enable('JsSIP:*');
      else JsSIP.debug.disable();
      state.autoAnswer = autoAnswer;
      const from = state.events.length;
      const ua = new JsSIP.UA({
        sockets: [new JsSIP.WebSocketInterface(wsUrl)],
        uri: `sip:${user}@${domain}`,
        authorization_user: username,
        password,
        register: true,
        session_timers: false, // no refreshing re-INVITE/UPDATE noise in tests
        user_agent: 'voice-widget-bare-jssip',
        connection_recovery_min_interval: 2,
        connection_recovery_max_interval: 30,
      });
      state.ua = ua;
      // kamailio.cfg verifies the widget token on every REGISTER, as the widget sends it.
      if (token) ua.registrator().setExtraHeaders([`X-Voice-Widget-Token: ${token}`]);
      ua.on('connected', () => record('connected'));
      ua.on('disconnected', () => record('disconnected'));
      ua.on('registered', () => {
        if (state.timings.registered == null) state.timings.registered = performance.now();
        record('registered');
      });
      ua.on('unregistered', () => record('unregistered'));
      ua.on('registrationFailed', (e) => record('registrationFailed', { cause: e.cause, ...responseInfo(e) }));
      ua.on('newRTCSession', (e) => {
        wireSession(e.session, e.originator, e.request);
        if (e.originator === 'remote' && state.autoAnswer) {
          e.session.answer({
            mediaConstraints: { audio: true, video: false },
            pcConfig: { iceServers: [] },
          });
        }
      });
      ua.on('newMessage', (e) => record('newMessage', { originator: e.originator }));

      state.timings.uaStart = performance.now();
      ua.start();
      return waitForEvent(['registered', 'registrationFailed'], { from, timeoutMs }).then((ev) =>
        ev.type === 'registered' ? { ok: true, registerMs: state.timings.registered - state.timings.uaStart } : { ...ev, ok: false },
      );
    },

    /**
     * Calls `target` (user part or full SIP URI); resolves on confirmed/failed.
     * @returns {Promise<{ ok: boolean, setupMs?: number, cause?: string, status?: number, reason?: string }>}
     */
    call(target, { timeoutMs = 20000, extraHeaders = [] } = {}) {
      if (!state.ua) return Promise.resolve({ ok: false, cause: 'not started' });
      const from = state.events.length;
      state.timings.call = performance.now();
      state.timings.confirmed = null;
      state.ua.call(target, {
        extraHeaders,
        mediaConstraints: { audio: true, video: false },
        pcConfig: { iceServers: [] },
      });
      return waitForEvent(['confirmed', 'failed', 'ended'], { from, timeoutMs }).then((ev) =>
        ev.type === 'confirmed' ? { ok: true, setupMs: state.timings.confirmed - state.timings.call } : { ...ev, ok: false },
      );
    },

    /** Sends DTMF via SIP INFO (what the widget uses). */
    sendDTMF(tones, { duration = 100, interToneGap = 70 } = {}) {
      if (!state.session) return { ok: false, cause: 'no session' };
      try {
        state.session.sendDTMF(tones, { transportType: 'INFO', duration, interToneGap });
        return { ok: true };
      } catch (err) {
        return { ok: false, cause: String(err) };
      }
    },

    /** Answers the ringing incoming call (when autoAnswer is off). */
    answer() {
      const s = state.session;
      if (!s || s.direction !== 'incoming' || !s.isInProgress()) return { ok: false, cause: 'nothing to answer' };
      s.answer({ mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
      return { ok: true };
    },

    /** Rejects the ringing incoming call with `status` (default 486 Busy Here). */
    reject(status = 486) {
      const s = state.session;
      if (!s || s.direction !== 'incoming' || !s.isInProgress()) return { ok: false, cause: 'nothing to reject' };
      s.terminate({ status_code: status });
      return { ok: true };
    },

    /** Ends the current call: BYE when established, CANCEL while ringing out. */
    hangup() {
      if (!state.session || state.session.isEnded()) return { ok: false, cause: 'no active session' };
      state.session.terminate();
      return { ok: true };
    },

    /** inbound-rtp (audio) counters of the current call's RTCPeerConnection. */
    async stats() {
      const pc = state.session && state.session.connection;
      if (!pc) return { ok: false, cause: 'no peer connection' };
      const report = await pc.getStats();
      const out = { ok: true, bytesReceived: 0, packetsReceived: 0, bytesSent: 0, audioLevel: null };
      report.forEach((s) => {
        if (s.type === 'inbound-rtp' && (s.kind === 'audio' || s.mediaType === 'audio')) {
          out.bytesReceived += s.bytesReceived || 0;
          out.packetsReceived += s.packetsReceived || 0;
          if (typeof s.audioLevel === 'number') out.audioLevel = s.audioLevel;
        }
        if (s.type === 'outbound-rtp' && (s.kind === 'audio' || s.mediaType === 'audio')) {
          out.bytesSent += s.bytesSent || 0;
        }
      });
      return out;
    },

    waitFor(types, opts) {
      return waitForEvent(types, opts);
    },

    /** Stops the UA (unregisters and closes the WebSocket). */
    async stop({ timeoutMs = 3000 } = {}) {
      const ua = state.ua;
      if (!ua) return { ok: true };
      const from = state.events.length;
      ua.stop();
      // 'disconnected' may never come if the socket was already closed.
      if (ua.isConnected()) await waitForEvent('disconnected', { from, timeoutMs });
      state.ua = null;
      state.session = null;
      return { ok: true };
    },

    summary() {
      return { events: state.events, dtmf: state.dtmf, timings: state.timings };
    },
  };

  window.bare = bare;
  statusEl.textContent = `ready (JsSIP ${JsSIP.version})`;
})();
