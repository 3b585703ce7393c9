/**
 * The host page's side of the iframe bridge: drives a `<voice-widget
 * bridge-origins>` that runs in an iframe, without writing the protocol by
 * hand. Imports only the protocol: no element, no Lit, no JsSIP.
 */
import type { VoiceWidgetEventMap } from '../events.js';
import {
  BRIDGE_V1_NAMES,
  commandMessage,
  parseFrameMessage,
  responseMessage,
  type BridgeCommandName,
  type BridgeCommands,
  type BridgeEventName,
  type BridgeHello,
} from './protocol.js';
import { exactOrigin } from '../shared/origins.js';
import { askHook, type ResolveContact } from '../shared/contact.js';

export interface WidgetFrameOptions {
  /** The widget frame's exact origin (`https://phone.example.com`): the only one messages go to and come from. */
  origin: string;
  /** How long a command waits for its response, in ms (10 000). */
  timeout?: number;
  /**
   * Caller lookup: `(number, direction) → {name, detail?, avatarUrl?, url?} | null`, sync or async, asked by the
   * frame's phone for each call's number (2 s each; what it answers is checked in the frame).
   */
  resolveContact?: ResolveContact;
}

/** A command refused by the widget (`rate-limited`, `unknown-command`, `invalid-arguments`, `command-failed`) or not answered (`timeout`, `closed`). */
export class WidgetBridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WidgetBridgeError';
  }
}

/** An event's detail, typed where the element's event map knows it. */
export type BridgeEventDetail<K extends string> = K extends keyof VoiceWidgetEventMap
  ? VoiceWidgetEventMap[K] extends CustomEvent<infer D>
    ? D
    : unknown
  : unknown;

export interface WidgetFrame {
  /** Resolves with the widget's state once the frame has answered `hello` (again after each reload of the frame). */
  readonly ready: Promise<BridgeHello>;
  /** Runs one of the element's methods in the frame; resolves with what it returned. */
  command<N extends BridgeCommandName>(name: N, ...args: BridgeCommands[N]['args']): Promise<BridgeCommands[N]['result']>;
  /** Listens to one of the element's events (`call-started`, `call-ended`, …). */
  on<K extends BridgeEventName>(name: K, fn: (detail: BridgeEventDetail<K>) => void): void;
  off<K extends BridgeEventName>(name: K, fn: (detail: BridgeEventDetail<K>) => void): void;
  /** Stops listening; commands still waiting reject with `closed`. */
  close(): void;
}

/** While the frame has not answered: `hello` again this often, so a slow frame is found as soon as it listens. */
const HELLO_RETRY_MS = 250;
/** After the timeout, more slowly: the frame may be on another origin, or not a widget at all. */
const HELLO_RETRY_SLOW_MS = 2_000;

interface Pending {
  name: string;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Connects to a widget in `iframe` (whose page has `<voice-widget
 * bridge-origins="…this page's origin…">`). Commands given before the frame
 * answered wait for it, each within its timeout.
 */
export function connectWidgetFrame(iframe: HTMLIFrameElement, options: WidgetFrameOptions): WidgetFrame {
  const origin = exactOrigin(options?.origin);
  if (!origin) throw new TypeError('connectWidgetFrame: origin must be the frame\'s exact origin, like "https://phone.example.com"');
  const timeout = options.timeout ?? 10_000;
  const lookup = options.resolveContact;
  const prefix = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('');
  let sequence = 0;
  const nextId = () => `${prefix}-${++sequence}`;

  const pending = new Map<string, Pending>();
  const listeners = new Map<string, Set<(detail: never) => void>>();
  /** Commands waiting for the frame to answer hello. */
  let queue: Array<{ id: string; name: string; args: unknown[] }> = [];
  let connected = false;
  let closed = false;
  let helloTimer: ReturnType<typeof setTimeout> | undefined;
  let helloSince = 0;
  let resolveReady!: (hello: BridgeHello) => void;
  let rejectReady!: (err: Error) => void;
  const newReady = () => {
    const promise = new Promise<BridgeHello>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    // Settled on close(): that is no unhandled rejection when nobody waits for it.
    promise.catch(() => {});
    return promise;
  };
  let ready = newReady();

  const post = (id: string, name: string, args: unknown[]) => {
    try {
      // The frame's exact origin: if it navigated elsewhere, the browser drops the message.
      iframe.contentWindow?.postMessage(commandMessage(id, name, args), origin);
    } catch (err) {
      // Arguments that cannot be cloned fail this command only.
      const p = pending.get(id);
      if (!p) throw err;
      pending.delete(id);
      clearTimeout(p.timer);
      p.reject(new WidgetBridgeError('invalid-arguments', (err as Error).message));
    }
  };

  /** The last few hellos sent: an answer to any of them will do. */
  const hellos: string[] = [];

  const sayHello = () => {
    clearTimeout(helloTimer);
    // An iframe taken out of the page is greeted again by its next load, if it ever comes back.
    if (closed || connected || !iframe.isConnected) return;
    const id = nextId();
    hellos.push(id);
    if (hellos.length > 8) hellos.shift();
    post(id, 'hello', []);
    helloTimer = setTimeout(sayHello, Date.now() - helloSince < timeout ? HELLO_RETRY_MS : HELLO_RETRY_SLOW_MS);
  };

  const onHello = (hello: BridgeHello) => {
    hellos.length = 0;
    if (connected) return;
    connected = true;
    clearTimeout(helloTimer);
    resolveReady(hello);
    for (const q of queue.splice(0)) post(q.id, q.name, q.args);
    // Each (re)loaded frame hears that this page answers its lookups.
    if (typeof lookup === 'function') post(nextId(), 'contactLookup', [true]);
  };

  const onLoad = () => {
    // The frame (re)loaded: a new widget, to greet again; commands wait for it.
    if (connected) ready = newReady();
    connected = false;
    helloSince = Date.now();
    sayHello();
  };

  const onMessage = (e: MessageEvent) => {
    if (e.source !== iframe.contentWindow || e.origin !== origin) return;
    const message = parseFrameMessage(e.data);
    if (!message) return;
    if (message.type === 'request') {
      const { requestId, payload } = message;
      const asked = typeof lookup === 'function' ? askHook(lookup, payload.number, payload.direction) : Promise.resolve(null);
      void asked.then((contact) =>
        iframe.contentWindow?.postMessage(responseMessage(requestId, 'resolveContact', { ok: true, result: contact ?? null }), origin),
      );
      return;
    }
    if (message.type === 'event') {
      for (const fn of [...(listeners.get(message.name) ?? [])]) {
        try {
          fn(message.payload as never);
        } catch (err) {
          // One listener's mistake must not stop the others; it still shows in the console.
          setTimeout(() => {
            throw err;
          });
        }
      }
      return;
    }
    if (message.name === 'hello' && hellos.includes(message.requestId)) {
      if (message.payload.ok) onHello(message.payload.result as BridgeHello);
      return;
    }
    const p = pending.get(message.requestId);
    if (!p || p.name !== message.name) return;
    pending.delete(message.requestId);
    clearTimeout(p.timer);
    if (message.payload.ok) p.resolve(message.payload.result);
    else p.reject(new WidgetBridgeError(message.payload.error.code, message.payload.error.message));
  };

  window.addEventListener('message', onMessage);
  iframe.addEventListener('load', onLoad);
  helloSince = Date.now();
  sayHello();

  return {
    command(name, ...args) {
      if (closed) return Promise.reject(new WidgetBridgeError('closed', 'the bridge is closed'));
      const id = nextId();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          queue = queue.filter((q) => q.id !== id);
          reject(new WidgetBridgeError('timeout', `no answer to ${name} within ${timeout} ms`));
        }, timeout);
        // show and hide go by their v1 names, so a frame older than them understands too.
        const wire = BRIDGE_V1_NAMES[name] ?? name;
        pending.set(id, { name: wire, resolve: resolve as (value: unknown) => void, reject, timer });
        if (connected) post(id, wire, args);
        else queue.push({ id, name: wire, args });
      });
    },
    on(name, fn) {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(fn as (detail: never) => void);
    },
    off(name, fn) {
      listeners.get(name)?.delete(fn as (detail: never) => void);
    },
    get ready() {
      return ready;
    },
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(helloTimer);
      window.removeEventListener('message', onMessage);
      iframe.removeEventListener('load', onLoad);
      queue = [];
      if (!connected) rejectReady(new WidgetBridgeError('closed', 'the bridge is closed'));
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new WidgetBridgeError('closed', 'the bridge is closed'));
      }
      pending.clear();
      listeners.clear();
    },
  };
}
