// window.bench's phone driver for scripts/bench.js, with the same methods for
// both variants: the <voice-widget> (widget.html, the script-tag build) and
// bare JsSIP (bare.html, JsSIP's own defaults). Every method resolves with
// plain JSON (times in ms, on this page's performance.now() clock) and never
// rejects, so failures come back with details.
/* global JsSIP */
(() => {
  'use strict';
  const bench = window.bench;
  const { now, orig } = bench;
  const variant = document.documentElement.dataset.variant; // 'widget' | 'bare'
  bench.variant = variant;

  // ── an event log with sequence numbers, bounded, and event-driven waiting ──
  const MAX_LOG = 200;
  const log = [];
  let seq = 0;
  const waiters = new Set();
  const record = (type, detail = {}) => {
    const ev = { seq: ++seq, type, t: now(), detail };
    log.push(ev);
    if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
    for (const w of [...waiters]) w(ev);
    return ev;
  };
  bench.log = log;
  bench.seq = () => seq;
  /** Resolves with the first event since `from` (a seq) that `pred` accepts; null on timeout. */
  const waitFor = (pred, { from = 0, timeout = 15000 } = {}) =>
    new Promise((resolve) => {
      const hit = log.find((e) => e.seq > from && pred(e));
      if (hit) return resolve(hit);
      let timer;
      const w = (e) => {
        if (e.seq > from && pred(e)) {
          waiters.delete(w);
          orig.clearTimeout.call(window, timer);
          resolve(e);
        }
      };
      waiters.add(w);
      timer = orig.setTimeout.call(
        window,
        () => {
          waiters.delete(w);
          resolve(null);
        },
        timeout,
      );
    });
  bench.waitFor = (type, opts = {}) =>
    waitFor((e) => e.type === type && (!opts.match || Object.entries(opts.match).every(([k, v]) => e.detail?.[k] === v)), opts);
  const types = (from) => log.filter((e) => e.seq > from).map((e) => e.type);
  const sleep = (ms) => new Promise((r) => orig.setTimeout.call(window, r, ms));
  bench.sleep = sleep;

  /** The SIP exchange since t0, from the WebSocket probe: [{ dir, at, line, cseq }]. */
  const exchange = (t0) => ({
    socket: bench.probe.sockets.filter((s) => s.created >= t0).map((s) => ({ created: s.created - t0, open: s.open === null ? null : s.open - t0 }))[0] ?? null,
    frames: bench.probe.frames.filter((f) => f.t >= t0).map((f) => ({ dir: f.dir, at: +(f.t - t0).toFixed(2), line: f.line, cseq: f.cseq })),
  });

  let autoAnswer = false;
  bench.setAutoAnswer = (on) => (autoAnswer = !!on);

  if (variant === 'widget') {
    const EVENTS = ['ready', 'registration-change', 'state-change', 'call-received', 'call-started', 'call-ended', 'error', 'warning'];
    let el = null;
    bench.el = () => el;

    /**
     * A new <voice-widget> with its token and server set, then connected; resolves at `ready`.
     * Timing starts at the connect: that is when the element may go on the network (cf. UA.start()).
     */
    bench.register = async ({ server, token, iceServers = null, open = false, timeout = 15000 }) => {
      if (el) return { ok: false, cause: 'already registered' };
      el = document.createElement('voice-widget');
      for (const type of EVENTS) el.addEventListener(type, (e) => record(type, e.detail));
      el.addEventListener('call-received', () => {
        if (autoAnswer) el.answer();
      });
      el.setAttribute('sip-server', server);
      if (iceServers) el.setAttribute('ice-servers', JSON.stringify(iceServers));
      if (open) el.setAttribute('open', '');
      el.token = token;
      const from = seq;
      bench.probe.reset();
      bench.probe.on = true;
      const t0 = now();
      document.body.append(el);
      // The first render (Lit's first update) runs in the same task as the UA's start.
      let rendered = null;
      el.updateComplete.then(() => (rendered = now() - t0));
      const ev = await waitFor((e) => e.type === 'ready' || (e.type === 'error' && e.detail?.code !== 'registration-failed'), { from, timeout });
      bench.probe.on = false;
      if (ev?.type !== 'ready') return { ok: false, cause: ev ? `error ${JSON.stringify(ev.detail)}` : 'timeout', events: types(from) };
      const timeline = log.filter((e) => e.seq > from).map((e) => `${e.type}${e.detail?.state ? `:${e.detail.state}` : ''}@${(e.t - t0).toFixed(1)}`);
      return { ok: true, ms: ev.t - t0, firstRenderDone: rendered, timeline, ...exchange(t0) };
    };

    /** ICE servers for the next calls (null: none); waits for the element to take them. */
    bench.setIceServers = async (iceServers) => {
      if (iceServers) el.setAttribute('ice-servers', JSON.stringify(iceServers));
      else el.removeAttribute('ice-servers');
      await el.updateComplete;
      return true;
    };

    /**
     * call() → `call-started` (right after the INVITE is sent) and → `state-change` in-progress.
     * @returns {{ ok, sentMs, setupMs, frames }}
     */
    bench.call = async (target, { timeout = 20000, probe = true } = {}) => {
      const from = seq;
      if (probe) {
        bench.probe.reset();
        bench.probe.on = true;
      }
      const t0 = now();
      const placed = el.call(target);
      if (!placed) return { ok: false, cause: 'call() returned false', events: types(from) };
      const end = (e) => e.type === 'call-ended';
      const started = await waitFor((e) => e.type === 'call-started' || end(e), { from, timeout });
      const connected =
        started?.type === 'call-started'
          ? await waitFor((e) => (e.type === 'state-change' && e.detail?.state === 'in-progress') || end(e), { from, timeout })
          : started;
      bench.probe.on = false;
      if (connected?.type !== 'state-change') return { ok: false, cause: connected ? `ended: ${connected.detail?.cause}` : 'timeout', events: types(from) };
      return { ok: true, sentMs: started.t - t0, setupMs: connected.t - t0, ...(probe ? exchange(t0) : {}) };
    };

    /** Only until the INVITE leaves: call() → `call-started`. */
    bench.callUntilSent = async (target, { timeout = 20000 } = {}) => {
      const from = seq;
      const t0 = now();
      if (!el.call(target)) return { ok: false, cause: 'call() returned false' };
      const started = await waitFor((e) => e.type === 'call-started' || e.type === 'call-ended', { from, timeout });
      if (started?.type !== 'call-started') return { ok: false, cause: started ? 'ended' : 'timeout', events: types(from) };
      return { ok: true, sentMs: started.t - t0 };
    };

    bench.hangup = async ({ timeout = 10000 } = {}) => {
      const from = seq;
      if (!el.hangup()) return { ok: false, cause: 'hangup() returned false' };
      const ended = await waitFor((e) => e.type === 'call-ended', { from, timeout });
      return ended ? { ok: true, cause: ended.detail?.cause } : { ok: false, cause: 'timeout', events: types(from) };
    };

    bench.state = () => el?.getState();
  } else {
    let ua = null;
    let session = null;
    let domain = '';

    /** A JsSIP UA with JsSIP's defaults (register: true); UA.start() → `registered`. */
    bench.register = async ({ server, user, domain: d, authUser, password, tokenHeader = null, timeout = 15000 }) => {
      if (ua) return { ok: false, cause: 'already registered' };
      domain = d;
      JsSIP.debug.disable();
      const tBuild = now();
      ua = new JsSIP.UA({
        sockets: [new JsSIP.WebSocketInterface(server)],
        uri: `sip:${user}@${d}`,
        authorization_user: authUser,
        password,
        register: true,
        session_timers: false,
        user_agent: 'voice-widget-bench-bare-jssip',
      });
      // The widget sends its token on REGISTER (the embedded server needs it): same bytes here.
      if (tokenHeader) ua.registrator().setExtraHeaders([tokenHeader]);
      for (const type of ['connecting', 'connected', 'disconnected', 'registered', 'unregistered']) ua.on(type, () => record(type));
      ua.on('registrationFailed', (e) => record('registrationFailed', { cause: e.cause, status: e.response?.status_code }));
      ua.on('newRTCSession', (e) => {
        if (e.originator !== 'remote') return;
        record('incoming');
        if (autoAnswer) e.session.answer({ mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers: [] } });
      });
      const from = seq;
      bench.probe.reset();
      bench.probe.on = true;
      const t0 = now();
      ua.start();
      const ev = await waitFor((e) => e.type === 'registered' || e.type === 'registrationFailed', { from, timeout });
      bench.probe.on = false;
      if (ev?.type !== 'registered') return { ok: false, cause: ev ? JSON.stringify(ev.detail) : 'timeout', events: types(from) };
      return { ok: true, ms: ev.t - t0, fromNewUaMs: ev.t - tBuild, ...exchange(t0) };
    };

    let iceServers = [];
    bench.setIceServers = async (servers) => {
      iceServers = servers ?? [];
      return true;
    };

    const place = (target, from) => {
      session = ua.call(`sip:${target}@${domain}`, {
        mediaConstraints: { audio: true, video: false },
        pcConfig: { iceServers },
        eventHandlers: {
          // As the widget reports call-started: a microtask after JsSIP's 'sending'.
          sending: () => queueMicrotask(() => record('sent')),
          accepted: () => record('accepted'),
          confirmed: () => record('confirmed'),
          ended: (e) => record('ended', { cause: e.cause }),
          failed: (e) => record('failed', { cause: e.cause }),
        },
      });
      return from;
    };

    /** ua.call() → 'sending' (INVITE out) and → 'confirmed' (JsSIP's default: waits for ICE gathering to complete). */
    bench.call = async (target, { timeout = 20000, probe = true } = {}) => {
      const from = seq;
      if (probe) {
        bench.probe.reset();
        bench.probe.on = true;
      }
      const t0 = now();
      place(target, from);
      const end = (e) => e.type === 'failed' || e.type === 'ended';
      const sent = await waitFor((e) => e.type === 'sent' || end(e), { from, timeout });
      const confirmed = sent?.type === 'sent' ? await waitFor((e) => e.type === 'confirmed' || end(e), { from, timeout }) : sent;
      bench.probe.on = false;
      if (confirmed?.type !== 'confirmed')
        return { ok: false, cause: confirmed ? `${confirmed.type}: ${confirmed.detail?.cause}` : 'timeout', events: types(from) };
      const accepted = log.find((e) => e.seq > from && e.type === 'accepted');
      return { ok: true, sentMs: sent.t - t0, setupMs: confirmed.t - t0, acceptedMs: accepted ? accepted.t - t0 : null, ...(probe ? exchange(t0) : {}) };
    };

    bench.callUntilSent = async (target, { timeout = 20000 } = {}) => {
      const from = seq;
      const t0 = now();
      place(target, from);
      const sent = await waitFor((e) => e.type === 'sent' || e.type === 'failed' || e.type === 'ended', { from, timeout });
      if (sent?.type !== 'sent') return { ok: false, cause: sent ? sent.type : 'timeout', waitedMs: now() - t0 };
      return { ok: true, sentMs: sent.t - t0 };
    };

    bench.hangup = async ({ timeout = 10000 } = {}) => {
      if (!session || session.isEnded()) return { ok: false, cause: 'no session' };
      const from = seq;
      session.terminate();
      const ended = await waitFor((e) => e.type === 'ended' || e.type === 'failed', { from, timeout });
      return ended ? { ok: true, cause: ended.detail?.cause } : { ok: false, cause: 'timeout' };
    };

    bench.state = () => (session && !session.isEnded() ? 'in-call' : ua?.isRegistered() ? 'registered' : 'idle');
  }
})();
