import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Phone, type PhoneConfig } from '../core/phone.js';
import type { ErrorCode, PhoneEventMap } from '../core/types.js';
import type { CallSnapshot, PhoneSnapshot } from './phone-context.js';
import type { Call } from '../core/call.js';
import { PHONE_EVENTS } from '../event-names.js';
import { ActiveWarnings } from './active-warnings.js';
import { watchNetwork } from '../core/phone/network-watch.js';

/** Problems the status line names (in words from the strings); details go to the `error` event. */
const PROBLEMS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'invalid-token',
  'invalid-server',
  'invalid-attribute',
  'registration-failed',
  'too-many-registrations',
]);

/**
 * Bridges the core and the element: owns the Phone while the element is in
 * the document, re-fires its events as DOM events on the host, and keeps an
 * immutable snapshot for rendering.
 */
const passThrough = (_type: string, detail: unknown): unknown => detail;

export class PhoneController implements ReactiveController {
  readonly phone = new Phone();
  snapshot: PhoneSnapshot;

  private unsubscribe: Array<() => void> = [];
  private stopTimer: ReturnType<typeof setTimeout> | undefined;
  private problem: PhoneSnapshot['problem'] = null;
  /** Each call's quality warnings in force (the signal indicator). */
  private readonly warnings = new ActiveWarnings();
  /** Whether this element's own phone may go on the network (not in dialog mode, where the popup's phone does). */
  private active = true;
  /** Multi-tab: the leader's snapshot this tab mirrors (null: this tab's own phone). */
  private mirror: PhoneSnapshot | null = null;
  /** Multi-tab shared: leaving, the phone closes its socket without un-REGISTER (the next leader has the same instance id). */
  shared = false;
  /** What an event's detail becomes before it fires (multi-tab: `handledHere`, and the other tabs get it). */
  tap: (type: string, detail: unknown) => unknown = passThrough;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly onChange: (snapshot: PhoneSnapshot) => void,
  ) {
    host.addController(this);
    this.snapshot = this.takeSnapshot();
  }

  hostConnected(): void {
    // A move in the DOM disconnects and reconnects at once; keep the call.
    clearTimeout(this.stopTimer);
    if (this.unsubscribe.length > 0) return;
    this.unsubscribe = PHONE_EVENTS.map((type) => this.phone.on(type, (detail) => this.relay(type, detail)));
    this.unsubscribe.push(this.phone.on('transfer-request-change', () => this.refresh()));
    this.unsubscribe.push(this.phone.on('contact-change', () => this.refresh()));
    this.unsubscribe.push(watchNetwork((online) => this.phone.networkChanged(online)));
    window.addEventListener('pagehide', this.onPageHide);
    document.addEventListener('securitypolicyviolation', this.onPolicyViolation);
    // The configuration arrives through the host's updates (and survives a stop).
    if (this.active) this.phone.start();
    this.refresh();
  }

  setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    if (active && this.unsubscribe.length > 0) this.phone.start();
    if (!active) this.phone.stop(this.shared);
    this.refresh();
  }

  /** Multi-tab: shows the leader's snapshot (null: this tab's own phone again). */
  follow(snapshot: PhoneSnapshot | null): void {
    this.mirror = snapshot;
    this.refresh();
  }

  hostDisconnected(): void {
    clearTimeout(this.stopTimer);
    // Out of the page, the phone leaves the network; it keeps its configuration for a return.
    this.stopTimer = setTimeout(() => {
      // Out of the page it fires nothing more: unsubscribe first, then release everything.
      for (const off of this.unsubscribe) off();
      this.unsubscribe = [];
      window.removeEventListener('pagehide', this.onPageHide);
      document.removeEventListener('securitypolicyviolation', this.onPolicyViolation);
      this.phone.stop(this.shared);
    }, 0);
  }

  private onPolicyViolation = (e: SecurityPolicyViolationEvent): void => {
    if (e.effectiveDirective === 'connect-src') this.phone.connectionRefusedByPolicy(e.blockedURI);
  };

  /** The page is going away (no `unload` listener: it would spoil the back/forward cache). */
  private onPageHide = (): void => {
    if (!this.shared) this.phone.unregisterNow();
  };

  configure(config: PhoneConfig): void {
    this.phone.configure(config);
    this.refresh();
  }

  /** Re-reads the phone after a command. */
  refresh(): void {
    this.snapshot = this.takeSnapshot();
    this.onChange(this.snapshot);
    this.host.requestUpdate();
  }

  private relay<K extends keyof PhoneEventMap>(type: K, detail: PhoneEventMap[K]): void {
    // A phone off the network (a follower tab, dialog mode) says nothing of its token: the one that registers does.
    if (!this.active && (type === 'token-expiring' || type === 'token-expired')) return;
    if (type === 'token-expired') {
      this.problem = (detail as PhoneEventMap['token-expired']).reason === 'expired' ? 'expired' : 'refused';
    } else if (type === 'error') {
      const { code } = detail as PhoneEventMap['error'];
      if (PROBLEMS.has(code)) this.problem = code as PhoneSnapshot['problem'];
    } else if (type === 'ready') this.problem = null;
    this.warnings.follow(type, detail);
    this.refresh();
    // `error` must not bubble: a bubbling event named error reaches window.onerror.
    const bubbles = type !== 'error';
    this.host.dispatchEvent(new CustomEvent(type, { detail: this.tap(type, detail), bubbles, composed: bubbles }));
  }

  private takeSnapshot(): PhoneSnapshot {
    if (this.mirror) return this.mirror;
    const phone = this.phone;
    const call = phone.currentCall;
    return Object.freeze({
      state: phone.state,
      phoneState: phone.ownState,
      registrationState: phone.registrationState,
      ready: phone.ready,
      identity: phone.identity,
      problem: this.problem,
      history: phone.history?.entries ?? [],
      missed: phone.history?.unseenMissed ?? 0,
      callerIds: phone.callerIds,
      outboundNumber: phone.outboundNumber,
      audioBlocked: phone.audioBlocked,
      audioDevices: phone.audioDevices,
      dnd: phone.dnd,
      volumes: phone.volumes,
      call: call ? snapshotOf(call, phone, this.warnings.of(call.id)) : null,
      waiting: phone.waitingCall ? snapshotOf(phone.waitingCall, phone, this.warnings.of(phone.waitingCall.id)) : null,
      transferRequest: phone.transferRequest,
      consult: consultOf(phone),
      heldElsewhere: false,
      conference: conferenceOf(phone),
      recording: {
        allowed: phone.recordingPolicy !== 'off',
        on: !!call && phone.recording(call.id),
        paused: !!call && phone.recording(call.id) && (call.held.local || call.held.remote),
      },
    });
  }
}

function consultOf({ consultation: pair }: Phone): PhoneSnapshot['consult'] {
  const consult = pair?.consult;
  return consult ? { heldName: pair.held.remote.name, connected: consult.state === 'in-progress', pending: pair.held.transferPending } : null;
}

/** The merge the in-call screen offers or shows: the far parties of the two connected calls. */
function conferenceOf(phone: Phone): PhoneSnapshot['conference'] {
  const merged = phone.conferenceIds.length > 0;
  if (!merged && !phone.canMerge) return null;
  const names = phone.connectedCalls.map((c) => c.remote.name);
  return Object.freeze({ merged, names });
}

function snapshotOf(call: Call, phone: Phone, warnings: CallSnapshot['warnings']): CallSnapshot {
  return Object.freeze({
    id: call.id,
    state: call.state,
    direction: call.direction,
    number: call.number,
    remote: call.remote,
    connectedAt: call.connectedAt,
    duration: call.duration,
    cause: call.cause,
    muted: call.muted,
    held: call.held,
    answering: call.answering,
    holdPending: call.holdPending,
    transferPending: call.transferPending,
    silent: call.silent,
    reconnecting: call.reconnecting,
    autoAnswered: phone.autoAnswered(call.id),
    contact: phone.contactOf(call.id),
    warnings,
  });
}
