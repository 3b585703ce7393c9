// Test hooks for one <voice-widget>: records every event and exposes the
// measurements the end-to-end tests need (RTP bytes, microphone tracks).
(() => {
  const EVENTS = [
    'ready',
    'registration-change',
    'state-change',
    'call-received',
    'call-started',
    'call-ended',
    'dtmf',
    'mute-change',
    'hold-change',
    'transfer',
    'transfer-requested',
    'outbound-number-changed',
    'no-audio',
    'audio-restored',
    'quality-warning',
    'quality-warning-cleared',
    'preflight-progress',
    'preflight-complete',
    'call-reconnecting',
    'call-reconnected',
    'audio-blocked',
    'audio-unblocked',
    'audio-device-change',
    'token-expiring',
    'token-expired',
    'dnd-change',
    'conference-change',
    'recording-change',
    'recording-available',
    'warning',
    'dialog-open',
    'dialog-close',
    'dialog-attached',
    'error',
  ];

  // Keep every microphone stream handed out, to prove each one is stopped after a call.
  const streams = [];
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  let micDelay = 0;
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    streams.push(stream);
    // A slow permission prompt, for tests that act while the browser still asks.
    if (micDelay > 0) await new Promise((r) => setTimeout(r, micDelay));
    return stream;
  };

  // Every timer, socket and peer connection the page makes, to prove a removed widget leaves none behind.
  const pendingTimers = new Set();
  const wrapTimer = (set, clear, repeating) => {
    window[set.name] = function (fn, ms, ...args) {
      const id = set.call(
        window,
        function (...a) {
          if (!repeating) pendingTimers.delete(id);
          return typeof fn === 'function' ? fn.apply(this, a) : undefined;
        },
        ms,
        ...args,
      );
      pendingTimers.add(id);
      return id;
    };
    window[clear.name] = (id) => {
      pendingTimers.delete(id);
      return clear.call(window, id);
    };
  };
  wrapTimer(window.setTimeout, window.clearTimeout, false);
  wrapTimer(window.setInterval, window.clearInterval, true);
  const sockets = [];
  // Every SIP message the page sends and receives (bounded), for tests that check what went on the wire.
  const sip = { sent: [], received: [] };
  const keep = (list, data) => typeof data === 'string' && list.length < 2000 && list.push(data);
  const RealWebSocket = window.WebSocket;
  window.WebSocket = class extends RealWebSocket {
    constructor(...args) {
      super(...args);
      sockets.push(this);
      this.addEventListener('message', (e) => keep(sip.received, e.data));
    }
    send(data) {
      keep(sip.sent, data);
      return super.send(data);
    }
  };
  const peers = [];
  const RealPeerConnection = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends RealPeerConnection {
    constructor(...args) {
      super(...args);
      peers.push(this);
    }
  };

  const log = [];
  const t0 = performance.now();
  const el = () => document.getElementById('phone');

  window.addEventListener('DOMContentLoaded', () => {
    for (const type of EVENTS) {
      el().addEventListener(type, (e) => log.push({ type, detail: e.detail, bubbles: e.bubbles, at: performance.now() - t0 }));
    }
    el().addEventListener('call-received', () => {
      if (window.vw.autoAnswer) el().answer();
    });
  });

  window.vw = {
    log,
    sip,
    el,
    autoAnswer: false,
    now: () => performance.now() - t0,
    /** Places a call and returns when it was placed, on the log's clock. */
    call(number) {
      const at = performance.now() - t0;
      return { at, placed: el().call(number) };
    },
    events: (type) => log.filter((e) => e.type === type).map((e) => e.detail),
    configuredAt: null,
    configure({ token, server, dtmfMode }) {
      window.vw.configuredAt = performance.now() - t0;
      if (dtmfMode) el().setAttribute('dtmf-mode', dtmfMode);
      if (server) el().setAttribute('sip-server', server);
      el().token = token;
    },
    delayMicrophone: (ms) => (micDelay = ms),
    /** Stops (or resumes) the audio stream on the current call, RTP and RTCP sender reports, as a dead far end would. */
    async sendAudio(on) {
      const sender = el()
        .getPeerConnection()
        ?.getSenders()
        .find((s) => s.track?.kind === 'audio');
      if (!sender) return false;
      const params = sender.getParameters();
      for (const encoding of params.encodings) encoding.active = on;
      await sender.setParameters(params);
      return true;
    },
    /** Closes every open SIP socket, as a lost connection would (the phone reconnects). */
    dropSockets() {
      for (const s of sockets) if (s.readyState === RealWebSocket.OPEN) s.close();
    },
    liveMicTracks: () => streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length,
    micStreams: () => streams.length,
    /** What is still open: pending timers, sockets not closed, peer connections not closed. */
    leftovers: () => ({
      timers: pendingTimers.size,
      sockets: sockets.filter((s) => s.readyState !== RealWebSocket.CLOSED && s.readyState !== RealWebSocket.CLOSING).length,
      peers: peers.filter((p) => p.connectionState !== 'closed' && p.signalingState !== 'closed').length,
    }),
    /** The device each live microphone track comes from, and the one the call sends. */
    liveMicDevices: () =>
      streams
        .flatMap((s) => s.getTracks())
        .filter((t) => t.readyState === 'live')
        .map((t) => t.getSettings().deviceId),
    sendingDevice: () =>
      el()
        .getPeerConnection()
        ?.getSenders()
        .find((s) => s.track?.kind === 'audio')
        ?.track.getSettings().deviceId ?? null,
    /** A shadow-DOM part of the widget, for real (gesture) clicks from the test. */
    part: (name) => el().shadowRoot.querySelector(`[part~="${name}"]`),
    /** Audio energy received so far and the seconds of audio it spans (inbound-rtp totals). */
    async inboundAudioEnergy() {
      const pc = el().getPeerConnection();
      let energy = 0;
      let seconds = 0;
      (await pc?.getStats())?.forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') {
          energy += s.totalAudioEnergy ?? 0;
          seconds += s.totalSamplesDuration ?? 0;
        }
      });
      return { energy, seconds };
    },
    async inboundAudioBytes() {
      const pc = el().getPeerConnection();
      if (!pc) return -1;
      let bytes = 0;
      (await pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'audio') bytes += s.bytesReceived;
      });
      return bytes;
    },
    /** Resolves when an event of `type` matching `pred` is (or was) logged after index `from`. */
    waitFor(type, { from = 0, timeout = 10000, match } = {}) {
      return new Promise((resolve, reject) => {
        const started = performance.now();
        const tick = () => {
          const hit = log.slice(from).find((e) => e.type === type && (!match || Object.entries(match).every(([k, v]) => e.detail?.[k] === v)));
          if (hit) return resolve(hit.detail);
          if (performance.now() - started > timeout)
            return reject(new Error(`timed out waiting for ${type} ${JSON.stringify(match ?? {})}; log: ${JSON.stringify(log.map((e) => e.type))}`));
          setTimeout(tick, 10);
        };
        tick();
      });
    },
  };
})();
