/**
 * The imperative door: `createVoiceWidget(config)` (and `VoiceWidget.create`
 * in the script-tag build) makes a `<voice-widget>`, sets it up from a plain
 * object, and returns a handle. Everything goes through the element's own
 * properties, so validation, events and behaviour are the element's.
 */
import type { VoiceWidget } from '../element/voice-widget.js';
import type { VoiceWidgetEventMap } from '../events.js';
import type {
  BeforeConnectDetail,
  CallEndedDetail,
  CallReceivedDetail,
  CallStartedDetail,
  ErrorDetail,
  LifecycleDetail,
  TokenExpiredDetail,
} from '../core/types.js';
import { ATTRIBUTES, propertyOf, type AttributeOptions, type AttributeRow } from '../element/attributes.js';
import { HANDLE_METHODS } from '../bridge/protocol.js';
import { deprecated } from '../element/deprecated.js';
import { ELEMENT_EVENTS } from '../event-names.js';
import type { ContactDirection, ResolveContact } from '../shared/contact.js';

/** Methods called for the matching events; any may be left out. A delegate that throws does not stop the phone. */
export interface VoiceWidgetDelegate {
  onCallReceived?(data: CallReceivedDetail): void;
  onOutboundNumberChanged?(address: string): void;
  onTokenExpired?(detail: TokenExpiredDetail): void;
  onCallStarted?(data: CallStartedDetail): void;
  onCallEnded?(data: CallEndedDetail): void;
  onReady?(): void;
  onError?(error: ErrorDetail): void;
  onLoad?(detail: LifecycleDetail): void;
  onOpen?(detail: LifecycleDetail): void;
  onClose?(detail: LifecycleDetail): void;
  onBeforeConnect?(detail: BeforeConnectDetail): void;
  /** Caller lookup (the element's `resolveContact`): who a number is, for the call screens, history and events. */
  resolveContact?(number: string, direction: ContactDirection): ReturnType<ResolveContact>;
}

/** The element's properties that `createVoiceWidget` takes (src/element/attributes.ts), and where the widget goes. */
export interface VoiceWidgetConfig extends AttributeOptions<VoiceWidget> {
  /** The SIP server's WebSocket URL (`sipServer` is accepted too). */
  server?: string;
  /** Where the widget goes: an element or its id. Without one, it floats at the bottom right of the page. */
  container?: HTMLElement | string;
  delegate?: VoiceWidgetDelegate;
}

/** A configuration the widget cannot use: thrown by `createVoiceWidget` before anything is placed. */
export class VoiceWidgetConfigError extends TypeError {
  override name = 'VoiceWidgetConfigError';
}

type OptionType = 'string' | 'boolean' | 'number' | 'array' | 'object';

/** Config keys that become element properties, with the type each must have: the table's options, and `server`. */
const PROPERTIES: Record<string, [OptionType, keyof VoiceWidget]> = Object.fromEntries([
  ...ATTRIBUTES.filter((row: AttributeRow) => row.option).map((row) => [propertyOf(row.name), [row.type, propertyOf(row.name)]]),
  ['server', ['string', 'sipServer']],
]);

/** The element's methods a handle offers as its own. */
const METHODS = HANDLE_METHODS;

type HandleMethods = { [K in (typeof METHODS)[number]]: VoiceWidget[K] };

/** Delegate methods and the events that call them, with what each is given. */
const DELEGATED: ReadonlyArray<[keyof VoiceWidgetDelegate, keyof VoiceWidgetEventMap, (detail: never) => unknown]> = [
  ['onCallReceived', 'call-received', (d: CallReceivedDetail) => d],
  ['onOutboundNumberChanged', 'outbound-number-changed', (d: { address: string }) => d.address],
  ['onTokenExpired', 'token-expired', (d: TokenExpiredDetail) => d],
  ['onCallStarted', 'call-started', (d: CallStartedDetail) => d],
  ['onCallEnded', 'call-ended', (d: CallEndedDetail) => d],
  ['onReady', 'ready', () => undefined],
  ['onError', 'error', (d: ErrorDetail) => d],
  ['onLoad', 'widget-load', (d: LifecycleDetail) => d],
  ['onOpen', 'panel-open', (d: LifecycleDetail) => d],
  ['onClose', 'panel-close', (d: LifecycleDetail) => d],
  ['onBeforeConnect', 'before-connect', (d: BeforeConnectDetail) => d],
];

type Listener<K extends keyof VoiceWidgetEventMap> = (detail: VoiceWidgetEventMap[K]['detail'], event: VoiceWidgetEventMap[K]) => void;

// The handle's methods are the element's, added below; the interface tells TypeScript so.
export interface VoiceWidgetHandle extends HandleMethods {}

/** What `createVoiceWidget` returns: the element's methods, event subscription, the token, and `destroy()`. */
export class VoiceWidgetHandle {
  /** The `<voice-widget>` element itself, for anything the handle does not cover. */
  readonly element: VoiceWidget;
  private readonly listeners = new Map<string, Map<(...args: never[]) => void, EventListener>>();
  private destroyed = false;

  constructor(element: VoiceWidget) {
    this.element = element;
  }

  /** Whether `destroy()` was called. */
  get isDestroyed(): boolean {
    return this.destroyed;
  }

  /** The widget token; set a fresh one on `token-expiring` or `token-expired`. */
  get token(): string | null {
    return this.element.token;
  }

  set token(value: string | null) {
    this.element.token = value;
  }

  /** The SIP server's WebSocket URL. */
  get sipServer(): string | null {
    return this.element.sipServer;
  }

  set sipServer(value: string | null) {
    this.element.sipServer = value;
  }

  /** @deprecated Use `element.open`: whether the panel is open. */
  get panelOpen(): boolean {
    deprecated('panelOpen', 'open');
    return this.element.open;
  }

  set panelOpen(value: boolean) {
    deprecated('panelOpen', 'open');
    this.element.open = value;
  }

  /** @deprecated Use `show()`: opens the phone, with `number` in its dial field. */
  open(number?: string): boolean {
    deprecated('open()', 'show()');
    return this.element.show(number);
  }

  /** Calls `fn(detail, event)` for each event named `type` (any of the element's events). */
  on<K extends keyof VoiceWidgetEventMap>(type: K, fn: Listener<K>): this {
    if (typeof fn !== 'function') throw new VoiceWidgetConfigError(`on(${JSON.stringify(type)}): the listener must be a function`);
    // A misspelt name would never fire: say so at once.
    if (!(ELEMENT_EVENTS as readonly string[]).includes(type)) throw new VoiceWidgetConfigError(`on(${JSON.stringify(type)}): no such event`);
    let byFn = this.listeners.get(type);
    if (!byFn) this.listeners.set(type, (byFn = new Map()));
    if (byFn.has(fn)) return this;
    const wrapped = ((e: VoiceWidgetEventMap[K]) => fn(e.detail, e)) as EventListener;
    byFn.set(fn, wrapped);
    this.element.addEventListener(type, wrapped);
    return this;
  }

  off<K extends keyof VoiceWidgetEventMap>(type: K, fn: Listener<K>): this {
    const wrapped = this.listeners.get(type)?.get(fn);
    if (wrapped) {
      this.element.removeEventListener(type, wrapped);
      this.listeners.get(type)!.delete(fn);
    }
    return this;
  }

  /** Hangs up, unregisters and removes the widget; its listeners and delegate are let go. Safe to call twice. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const [type, byFn] of this.listeners) for (const wrapped of byFn.values()) this.element.removeEventListener(type, wrapped);
    this.listeners.clear();
    this.element.hangup();
    this.element.remove();
  }
}

for (const name of METHODS) {
  Object.defineProperty(VoiceWidgetHandle.prototype, name, {
    value(this: VoiceWidgetHandle, ...args: unknown[]) {
      return (this.element[name] as (...a: unknown[]) => unknown)(...args);
    },
    writable: true,
    configurable: true,
  });
}

/**
 * Makes a `<voice-widget>` from `config` and places it: in `config.container`
 * (an element or its id), or floating at the bottom right of the page.
 * Throws `VoiceWidgetConfigError` for a configuration it cannot use; nothing
 * is placed then.
 */
export function createVoiceWidget(config: VoiceWidgetConfig): VoiceWidgetHandle {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new VoiceWidgetConfigError('createVoiceWidget(config): config must be an object');
  }
  const settings: Array<[keyof VoiceWidget, unknown]> = [];
  for (const [key, value] of Object.entries(config)) {
    if (key === 'container' || key === 'delegate' || value === undefined) continue;
    const spec = Object.hasOwn(PROPERTIES, key) ? PROPERTIES[key] : undefined;
    if (!spec) throw new VoiceWidgetConfigError(`createVoiceWidget: unknown option ${JSON.stringify(key)}`);
    const [type, property] = spec;
    const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    if (actual !== type) throw new VoiceWidgetConfigError(`createVoiceWidget: ${key} must be a ${type}, got ${actual}`);
    settings.push([property, value]);
  }
  const delegate = config.delegate;
  if (delegate !== undefined && (delegate === null || typeof delegate !== 'object')) {
    throw new VoiceWidgetConfigError('createVoiceWidget: delegate must be an object with on… methods');
  }
  // A misspelt on… method would never be called.
  for (const key of delegate ? Object.keys(delegate) : []) {
    if (/^on[A-Z]/.test(key) && !DELEGATED.some(([method]) => method === key))
      throw new VoiceWidgetConfigError(`createVoiceWidget: the delegate has an unknown method ${JSON.stringify(key)}`);
  }
  const parent = containerOf(config.container);

  const element = document.createElement('voice-widget');
  for (const [property, value] of settings) (element as unknown as Record<string, unknown>)[property] = value;
  if (!parent) element.setAttribute('floating', '');
  const handle = new VoiceWidgetHandle(element);
  if (typeof delegate?.resolveContact === 'function') element.resolveContact = (number, direction) => delegate.resolveContact!(number, direction);
  if (delegate) {
    for (const [method, type, pick] of DELEGATED) {
      handle.on(type, (detail) => {
        const fn = delegate[method] as ((arg: unknown) => void) | undefined;
        if (typeof fn !== 'function') return;
        const report = (e: unknown) =>
          // The host's bug must not break the phone; it still reaches the console.
          queueMicrotask(() => {
            throw e;
          });
        try {
          const result: unknown = fn.call(delegate, (pick as (d: unknown) => unknown)(detail));
          // An async delegate that rejects is reported the same way.
          if (result && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(undefined, report);
        } catch (e) {
          report(e);
        }
      });
    }
  }
  if (parent) parent.append(element);
  // Called from a script in <head>: the floating phone goes into the body once there is one.
  else if (document.body) document.body.append(element);
  else document.addEventListener('DOMContentLoaded', () => handle.isDestroyed || document.body.append(element), { once: true });
  return handle;
}

function containerOf(container: VoiceWidgetConfig['container']): HTMLElement | null {
  if (container === undefined || container === null) return null;
  if (typeof container === 'string') {
    const found = document.getElementById(container.replace(/^#/, ''));
    if (!found) throw new VoiceWidgetConfigError(`createVoiceWidget: no element with id ${JSON.stringify(container)}`);
    return found;
  }
  if (typeof HTMLElement !== 'undefined' && container instanceof HTMLElement) return container;
  throw new VoiceWidgetConfigError('createVoiceWidget: container must be an element or an element id');
}
