// Loaded first on every benchmark page, before the code under test, so the
// wrappers below see everything it does. Used by scripts/bench.js only.
//
// Always: a WebSocket probe (off until bench.probe.on = true) that records
// when a socket is created and opens, and the first line and CSeq of each SIP
// message, for the registration and call-setup phase breakdowns.
//
// With ?instrument=1 (leak and idle runs only; timing runs go without):
//   - setTimeout/setInterval/clear*/requestAnimationFrame wrapped: active
//     timers and every timer callback fired, per call site (from the stack);
//   - RTCPeerConnection subclassed: instances created, close() calls, and
//     which ones are still open (held by WeakRef, so tracking keeps nothing alive);
//   - getUserMedia wrapped: microphone tracks handed out and stopped;
//   - AudioContext subclassed: contexts created and closed.
(() => {
  'use strict';
  const orig = {
    setTimeout: window.setTimeout,
    setInterval: window.setInterval,
    clearTimeout: window.clearTimeout,
    clearInterval: window.clearInterval,
    requestAnimationFrame: window.requestAnimationFrame,
    cancelAnimationFrame: window.cancelAnimationFrame,
  };
  const now = () => performance.now();
  // The benchmark's own waiting uses the unwrapped timers: it is not counted.
  const bench = (window.bench = { orig, now, instrumented: false });

  // ── WebSocket probe ──────────────────────────────────────────────────────
  const probe = (bench.probe = { on: false, sockets: [], frames: [] });
  const MAX_FRAMES = 400;
  const describe = (data) => {
    if (typeof data !== 'string') return { line: `<${typeof data}>`, cseq: null };
    const nl = data.indexOf('\r\n');
    const line = (nl < 0 ? data : data.slice(0, nl)).slice(0, 80);
    const m = /\r\nCSeq:\s*\d+\s+([A-Z]+)/i.exec(data);
    return { line, cseq: m ? m[1].toUpperCase() : null };
  };
  const frame = (dir, data) => {
    if (!probe.on) return;
    probe.frames.push({ dir, t: now(), ...describe(data) });
    if (probe.frames.length > MAX_FRAMES) probe.frames.splice(0, probe.frames.length - MAX_FRAMES);
  };
  const NativeWebSocket = window.WebSocket;
  class ProbedWebSocket extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      if (probe.on) {
        const rec = { url: String(args[0]), created: now(), open: null };
        probe.sockets.push(rec);
        this.addEventListener('open', () => (rec.open = now()));
      }
      this.addEventListener('message', (e) => frame('in', e.data));
    }
    send(data) {
      frame('out', data);
      return super.send(data);
    }
  }
  window.WebSocket = ProbedWebSocket;
  probe.reset = () => {
    probe.sockets.length = 0;
    probe.frames.length = 0;
  };

  if (new URLSearchParams(location.search).get('instrument') !== '1') return;
  bench.instrumented = true;

  // ── timers ───────────────────────────────────────────────────────────────
  const THIS_FILE = /\/instrument\.js/;
  /** "file.js:line:col" of the code that set the timer (first frame outside this file). */
  const callSite = () => {
    const lines = (new Error().stack || '').split('\n').slice(1);
    for (const l of lines) {
      if (THIS_FILE.test(l)) continue;
      const m = /\(?((?:https?:|blob:)[^()\s]*?):(\d+):(\d+)\)?\s*$/.exec(l);
      if (m) return `${m[1].replace(/^.*\//, '').replace(/\?.*$/, '')}:${m[2]}:${m[3]}`;
      return l.trim().slice(0, 80);
    }
    return '?';
  };
  const timers = (bench.timers = {
    /** id -> { kind, delay, site } of timers set and not yet fired (timeouts) or cleared. */
    active: new Map(),
    /** site -> { kind, delays, set, fired, cleared, firstFire, lastFire, minGap, fn } */
    sites: new Map(),
    /** Every fire while recording: { site, kind, delay, t }. */
    recording: null,
    rafFired: 0,
    rafActive: new Set(),
  });
  const siteOf = (kind, delay, fn) => {
    const site = callSite();
    let s = timers.sites.get(site);
    if (!s) {
      s = {
        site,
        kind,
        delays: [],
        set: 0,
        fired: 0,
        cleared: 0,
        firstFire: null,
        lastFire: null,
        minGap: null,
        fn: typeof fn === 'function' ? Function.prototype.toString.call(fn).slice(0, 120) : String(fn).slice(0, 120),
      };
      timers.sites.set(site, s);
    }
    s.set += 1;
    if (s.delays.length < 8 && !s.delays.includes(delay)) s.delays.push(delay);
    return s;
  };
  const fired = (s, delay) => {
    const t = now();
    if (s.lastFire !== null) s.minGap = s.minGap === null ? t - s.lastFire : Math.min(s.minGap, t - s.lastFire);
    if (s.firstFire === null) s.firstFire = t;
    s.lastFire = t;
    s.fired += 1;
    if (timers.recording) timers.recording.push({ site: s.site, kind: s.kind, delay, t });
  };
  window.setTimeout = function setTimeout(fn, delay, ...args) {
    const d = Number(delay) || 0;
    const s = siteOf('timeout', d, fn);
    let id;
    const cb =
      typeof fn === 'function'
        ? function () {
            timers.active.delete(id);
            fired(s, d);
            return fn.apply(this, args);
          }
        : fn;
    id = orig.setTimeout.call(window, cb, delay);
    timers.active.set(id, { kind: 'timeout', delay: d, site: s.site });
    return id;
  };
  window.setInterval = function setInterval(fn, delay, ...args) {
    const d = Number(delay) || 0;
    const s = siteOf('interval', d, fn);
    const cb =
      typeof fn === 'function'
        ? function () {
            fired(s, d);
            return fn.apply(this, args);
          }
        : fn;
    const id = orig.setInterval.call(window, cb, delay);
    timers.active.set(id, { kind: 'interval', delay: d, site: s.site });
    return id;
  };
  // clearTimeout and clearInterval share one id space in browsers.
  const clear = (id) => {
    const t = timers.active.get(id);
    if (t) {
      timers.active.delete(id);
      const s = timers.sites.get(t.site);
      if (s) s.cleared += 1;
    }
  };
  window.clearTimeout = function clearTimeout(id) {
    clear(id);
    return orig.clearTimeout.call(window, id);
  };
  window.clearInterval = function clearInterval(id) {
    clear(id);
    return orig.clearInterval.call(window, id);
  };
  window.requestAnimationFrame = function requestAnimationFrame(fn) {
    let id;
    id = orig.requestAnimationFrame.call(window, (t) => {
      timers.rafActive.delete(id);
      timers.rafFired += 1;
      if (timers.recording) timers.recording.push({ site: 'requestAnimationFrame', kind: 'raf', delay: 0, t: now() });
      return fn(t);
    });
    timers.rafActive.add(id);
    return id;
  };
  window.cancelAnimationFrame = function cancelAnimationFrame(id) {
    timers.rafActive.delete(id);
    return orig.cancelAnimationFrame.call(window, id);
  };
  /** Active timers per site (intervals and pending timeouts). */
  timers.activeBySite = () => {
    const out = {};
    for (const t of timers.active.values()) out[t.site] = (out[t.site] || 0) + 1;
    return out;
  };

  // ── peer connections ─────────────────────────────────────────────────────
  const pcs = (bench.pcs = { created: 0, closeCalls: 0, refs: [], closed: new Set(), ids: new WeakMap() });
  const NativePC = window.RTCPeerConnection;
  class TrackedPeerConnection extends NativePC {
    constructor(...args) {
      super(...args);
      pcs.created += 1;
      pcs.ids.set(this, pcs.created);
      pcs.refs.push({ id: pcs.created, ref: new WeakRef(this) });
    }
    close() {
      pcs.closeCalls += 1;
      pcs.closed.add(pcs.ids.get(this));
      return super.close();
    }
  }
  window.RTCPeerConnection = TrackedPeerConnection;
  /** Peer connections not closed: alive and not in signalingState "closed", or collected without close(). */
  pcs.summary = () => {
    let open = 0;
    let alive = 0;
    let collectedUnclosed = 0;
    const states = {};
    for (const { id, ref } of pcs.refs) {
      const pc = ref.deref();
      if (pc) {
        alive += 1;
        const key = `${pc.signalingState}/${pc.connectionState}`;
        states[key] = (states[key] || 0) + 1;
        if (pc.signalingState !== 'closed') open += 1;
      } else if (!pcs.closed.has(id)) collectedUnclosed += 1;
    }
    return { created: pcs.created, closeCalls: pcs.closeCalls, alive, open: open + collectedUnclosed, collectedUnclosed, states };
  };

  // ── microphone tracks ────────────────────────────────────────────────────
  const mic = (bench.mic = { handedOut: 0, refs: [], stopped: new Set() });
  const gum = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    const stream = await gum(constraints);
    for (const track of stream.getTracks()) {
      mic.handedOut += 1;
      mic.refs.push({ id: track.id, ref: new WeakRef(track) });
    }
    return stream;
  };
  const nativeStop = MediaStreamTrack.prototype.stop;
  MediaStreamTrack.prototype.stop = function stop() {
    mic.stopped.add(this.id);
    return nativeStop.call(this);
  };
  const nativeClone = MediaStreamTrack.prototype.clone;
  MediaStreamTrack.prototype.clone = function clone() {
    const copy = nativeClone.call(this);
    mic.handedOut += 1;
    mic.refs.push({ id: copy.id, ref: new WeakRef(copy) });
    return copy;
  };
  /** Tracks still live: alive and readyState "live", or collected without stop(). */
  mic.summary = () => {
    let live = 0;
    let collectedUnstopped = 0;
    for (const { id, ref } of mic.refs) {
      const t = ref.deref();
      if (t) {
        if (t.readyState === 'live') live += 1;
      } else if (!mic.stopped.has(id)) collectedUnstopped += 1;
    }
    return { handedOut: mic.handedOut, stopCalls: mic.stopped.size, live: live + collectedUnstopped, collectedUnstopped };
  };

  // ── audio contexts ───────────────────────────────────────────────────────
  const audio = (bench.audioContexts = { created: 0, refs: [] });
  if (typeof window.AudioContext === 'function') {
    const NativeAC = window.AudioContext;
    window.AudioContext = class TrackedAudioContext extends NativeAC {
      constructor(...args) {
        super(...args);
        audio.created += 1;
        audio.refs.push(new WeakRef(this));
      }
    };
  }
  audio.summary = () => {
    const states = {};
    for (const r of audio.refs) {
      const c = r.deref();
      const key = c ? c.state : 'collected';
      states[key] = (states[key] || 0) + 1;
    }
    return { created: audio.created, states };
  };
})();
