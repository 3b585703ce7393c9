import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  BRIDGE_EVENTS,
  bridgeArgs,
  BRIDGE_PROTOCOL,
  BRIDGE_VERSION,
  eventMessage,
  RECORDING_EVENT,
  isBridgeCommand,
  parseCommand,
  parseContactAnswer,
  requestMessage,
  responseMessage,
  RATE_BURST,
  RATE_PER_SECOND,
  type BridgeArgs,
  type BridgeCommandName,
  type BridgeResult,
} from './protocol.js';
import { originAllowed, parseAllowList, type OriginPattern } from '../shared/origins.js';
import { TokenBucket } from '../shared/token-bucket.js';
import type { PhoneCommands } from '../element/backend/backend.js';
import { ContactRequests } from '../shared/contact-requests.js';
import type { ResolveContact } from '../shared/contact.js';

/** What the bridge drives: the element's public methods (VoiceWidget has them all). */
export interface BridgeTarget extends ReactiveControllerHost, HTMLElement, PhoneCommands {
  resolveContact: ResolveContact | null;
  mute(): boolean;
  unmute(): boolean;
  hold(): boolean;
  unhold(): boolean;
  runPreflight(): Promise<unknown>;
}

const MAX_NUMBER = 256;
const str = (v: unknown, max = MAX_NUMBER): v is string => typeof v === 'string' && v.length <= max;

/** The bridge's argument checks (the command table in protocol.ts names one per command). */
const ARGS: Record<BridgeArgs, (a: unknown[]) => boolean> = {
  none: (a) => a.length === 0,
  number: (a) => a.length === 1 && str(a[0]),
  digits: (a) => a.length === 1 && str(a[0], 64),
  'number-or-null': (a) => a.length === 1 && (a[0] === null || str(a[0])),
  'optional-number': (a) => a.length === 0 || (a.length === 1 && str(a[0])),
  'call-id': (a) => a.length === 1 && str(a[0], 64),
  flag: (a) => a.length === 1 && typeof a[0] === 'boolean',
  volume: (a) => a.length === 2 && (a[0] === 'ring' || a[0] === 'call') && typeof a[1] === 'number' && a[1] >= 0 && a[1] <= 1,
};

/** The commands that are not a method of the element by the same name. */
const OWN: Partial<Record<BridgeCommandName, (el: BridgeTarget, args: unknown[]) => unknown>> = {
  hello: (el) => ({ version: BRIDGE_VERSION, state: el.getState(), registrationState: el.registrationState, ready: el.isReady(), calls: el.calls }),
  open: (el, a) => el.show(...(a as [string?])),
  close: (el) => el.hide(),
  getRegistrationState: (el) => el.registrationState,
  getCalls: (el) => el.calls,
  // The report is an event (`preflight-complete`): a response answers at once.
  runPreflight: (el) => (el.runPreflight().catch(() => {}), true),
};

/**
 * The frame's side of the iframe bridge: when `<voice-widget bridge-origins>`
 * runs in an iframe, its parent window may run the element's methods and gets
 * its events.
 *
 * Trust: a command counts only when it comes from `window.parent` itself, from
 * an origin on the allow-list, within the token bucket, and passes the schema.
 * Everything else is dropped without a reply. Events go only to the host
 * origin learned from `location.ancestorOrigins[0]` (when the browser has it
 * and the list allows it) or from the last valid command; never to '*'.
 *
 * Flood: past the bucket (20 a second, bursts of 40) a command is answered
 * `rate-limited` at most once a second; the others are dropped unanswered (a
 * flood must not become a flood of replies), and the host helper's timeout
 * settles them.
 */
export class FrameBridge implements ReactiveController {
  private patterns: OriginPattern[] = [];
  /** The origin events go to; null until one is known and allowed. */
  private hostOrigin: string | null = null;
  private listening = false;
  private connected = false;
  private bucket = new TokenBucket(RATE_PER_SECOND, RATE_BURST);
  /** When a command was last answered `rate-limited`: at most one such answer a second. */
  private limitedAnsweredAt = -Infinity;
  /** Origins already checked: a flood from one origin costs a map lookup each. */
  private readonly verdicts = new Map<string, boolean>();
  /** Caller lookup through the parent (after its `contactLookup(true)`): requests to the host origin only. */
  private readonly contacts = new ContactRequests((id, number, direction) => {
    if (!this.hostOrigin) return false;
    window.parent.postMessage(requestMessage(id, number, direction), this.hostOrigin);
    return true;
  });

  constructor(
    private readonly host: BridgeTarget,
    private readonly fail: (code: 'invalid-attribute', message: string) => void,
  ) {
    host.addController(this);
  }

  /** The `bridge-origins` attribute changed. */
  setOrigins(value: string | null): void {
    const { patterns, invalid } = parseAllowList(value);
    if (invalid.length > 0) {
      const shown = invalid.slice(0, 3).map((e) => JSON.stringify(e.slice(0, 80)));
      this.fail('invalid-attribute', `bridge-origins: not an origin (https://host[:port] or https://*.domain): ${shown.join(', ')}`);
    }
    this.patterns = patterns;
    this.verdicts.clear();
    if (this.hostOrigin && !this.allowed(this.hostOrigin)) this.hostOrigin = null;
    this.sync();
  }

  hostConnected(): void {
    this.connected = true;
    this.sync();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.sync();
  }

  /** Listens while the element is in the page, in a frame, with a non-empty allow-list. */
  private sync(): void {
    const want = this.connected && this.patterns.length > 0 && window.parent !== window;
    if (want === this.listening) return;
    this.listening = want;
    if (want) {
      window.addEventListener('message', this.onMessage);
      for (const name of BRIDGE_EVENTS) this.host.addEventListener(name, this.onEvent);
      // Events may flow before the host says hello, where the browser tells who the parent is.
      const ancestor = location.ancestorOrigins?.[0];
      if (!this.hostOrigin && ancestor && this.allowed(ancestor)) this.hostOrigin = ancestor;
    } else {
      window.removeEventListener('message', this.onMessage);
      for (const name of BRIDGE_EVENTS) this.host.removeEventListener(name, this.onEvent);
      this.hostOrigin = null;
    }
  }

  private allowed(origin: string): boolean {
    let verdict = this.verdicts.get(origin);
    if (verdict === undefined) {
      verdict = originAllowed(origin, this.patterns);
      // Bounded: a prober cycling origins cannot grow it without end.
      if (this.verdicts.size >= 32) this.verdicts.clear();
      this.verdicts.set(origin, verdict);
    }
    return verdict;
  }

  /** A message to this window (public: the main file hands over those that came before the bridge chunk). */
  readonly onMessage = (e: MessageEvent): void => {
    // Cheapest checks first: the parent window itself, our marker, an allowed origin.
    if (e.source !== window.parent) return;
    const data: unknown = e.data;
    if (typeof data !== 'object' || data === null || (data as { protocol?: unknown }).protocol !== BRIDGE_PROTOCOL) return;
    if (!this.allowed(e.origin)) return;
    // An answer to one of our lookups (an id we did not ask is ignored).
    const answer = parseContactAnswer(data);
    if (answer) return this.contacts.answer(...answer);
    const parent = e.source as Window;
    if (!this.bucket.take()) {
      const now = performance.now();
      if (now - this.limitedAnsweredAt < 1000) return;
      const command = parseCommand(data);
      if (!command) return;
      this.limitedAnsweredAt = now;
      this.reply(parent, e.origin, command.requestId, command.name, {
        ok: false,
        error: { code: 'rate-limited', message: 'too many commands; further ones are dropped until the rate falls under 20 a second' },
      });
      return;
    }
    const command = parseCommand(data);
    if (!command) return;
    // A valid command from the parent: events follow this origin from now on.
    this.hostOrigin = e.origin;
    this.reply(parent, e.origin, command.requestId, command.name, this.run(command.name, command.payload.args));
  };

  private run(name: string, args: unknown[]): BridgeResult {
    if (!isBridgeCommand(name)) return { ok: false, error: { code: 'unknown-command', message: `no command ${JSON.stringify(name)}` } };
    if (!ARGS[bridgeArgs(name)](args)) return { ok: false, error: { code: 'invalid-arguments', message: `wrong arguments for ${name}` } };
    if (name === 'contactLookup') {
      // The host's hook replaces the frame page's own while it is on.
      this.host.resolveContact = args[0] === true ? this.contacts.hook : null;
      return { ok: true, result: true };
    }
    const own = OWN[name];
    try {
      const result = own ? own(this.host, args) : (this.host[name as keyof BridgeTarget] as (...a: unknown[]) => unknown).apply(this.host, args);
      return { ok: true, result: plain(result) };
    } catch (err) {
      return { ok: false, error: { code: 'command-failed', message: String((err as Error)?.message ?? err).slice(0, 200) } };
    }
  }

  private reply(target: Window, origin: string, requestId: string, name: string, payload: BridgeResult): void {
    target.postMessage(responseMessage(requestId, name, payload), origin);
  }

  /** One of the element's events, for the parent (public: the main file hands over those that came before the bridge chunk). */
  readonly onEvent = (e: Event): void => {
    const origin = this.hostOrigin;
    if (!origin) return;
    // An explicit target origin: if the parent is no longer on it, the browser drops the message.
    const detail = (e as CustomEvent).detail as Record<string, unknown> | null;
    // A recording's blob crosses as it is (JSON would make it {}); the rest of it as JSON has it.
    const payload = e.type === RECORDING_EVENT && detail ? { ...(plain({ ...detail, blob: null }) as object), blob: detail.blob } : plain(detail);
    window.parent.postMessage(eventMessage(e.type, payload), origin);
  };
}

/** Data as JSON has it: what crosses the bridge (no functions, no class instances, no undefined). */
function plain(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as unknown;
}
