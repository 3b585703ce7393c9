// A host application that embeds the widget in an iframe and drives it with
// the package's helper, loaded as the npm build ships it (dist/bridge/host.js).
import { connectWidgetFrame } from '/dist/bridge/host.js';

const EVENTS = [
  'ready',
  'registration-change',
  'state-change',
  'call-received',
  'call-started',
  'call-ended',
  'transfer-requested',
  'error',
  'token-expired',
  'dnd-change',
  'preflight-progress',
  'preflight-complete',
  'conference-change',
  'recording-change',
  'recording-available',
];
/** Events through the helper, and every raw message of our protocol this page receives (to prove what reached it). */
const log = [];
const raw = [];
window.addEventListener('message', (e) => {
  if (e.data?.protocol === 'voice-widget') raw.push({ origin: e.origin, type: e.data.type, name: e.data.name, requestId: e.data.requestId });
});

let bridge = null;
let frame = null;

window.host = {
  log,
  raw,
  /** Embeds the widget page and connects; resolves with hello's answer and how long it took. */
  async connect(src, origin, timeout = 10000, contacts = null) {
    const started = performance.now();
    frame = document.createElement('iframe');
    frame.allow = 'microphone; autoplay';
    frame.src = src;
    document.body.append(frame);
    // Caller lookup: `contacts` maps a number to the contact this host's CRM answers.
    const resolveContact = contacts ? async (number) => contacts[number] ?? null : undefined;
    bridge = connectWidgetFrame(frame, { origin, timeout, resolveContact });
    for (const name of EVENTS) bridge.on(name, (detail) => log.push({ name, detail }));
    const hello = await bridge.ready;
    return { hello, ms: performance.now() - started };
  },
  /** A command through the helper: {ok, result} or {ok: false, code}. */
  async command(name, ...args) {
    try {
      return { ok: true, result: await bridge.command(name, ...args) };
    } catch (err) {
      return { ok: false, code: err.code, message: err.message };
    }
  },
  /** Mean round trip of n commands in a row, in ms. */
  async roundTrip(name, n) {
    const started = performance.now();
    for (let i = 0; i < n; i++) await bridge.command(name);
    return (performance.now() - started) / n;
  },
  /** Posts a message of our own making, not through the helper. */
  send(data, origin) {
    frame.contentWindow.postMessage(data, origin);
  },
  /** A sibling iframe on this page's origin, for the wrong-source test. */
  addFrame(src) {
    return new Promise((resolve) => {
      const f = document.createElement('iframe');
      f.src = src;
      f.onload = resolve;
      document.body.append(f);
    });
  },
  waitFor(name, { from = 0, timeout = 10000, match } = {}) {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const tick = () => {
        const hit = log.slice(from).find((e) => e.name === name && (!match || Object.entries(match).every(([k, v]) => e.detail?.[k] === v)));
        if (hit) return resolve(hit.detail);
        if (performance.now() - started > timeout) return reject(new Error(`timed out waiting for ${name}; log: ${JSON.stringify(log.map((e) => e.name))}`));
        setTimeout(tick, 10);
      };
      tick();
    });
  },
  close: () => bridge?.close(),
};
