import type { ErrorCode, LifecycleDetail } from '../core/types.js';

/** An `error` event (never bubbling: a bubbling `error` reaches window.onerror). */
export function fireError(host: HTMLElement, code: ErrorCode, message: string): void {
  host.dispatchEvent(new CustomEvent('error', { detail: { code, message }, bubbles: false, composed: false }));
}

/** A `warning` event: something cosmetic failed, the phone works on. */
export function fireWarning(host: HTMLElement, code: string, message: string): void {
  host.dispatchEvent(new CustomEvent('warning', { detail: { code, message }, bubbles: true, composed: true }));
}

/** A lifecycle event, stamped with the time, the widget's session and the call on screen (if any). */
export function fireLifecycle(host: HTMLElement, type: 'widget-load' | 'panel-open' | 'panel-close', sessionId: string, callId?: string): void {
  const detail: LifecycleDetail = { createdAt: Date.now(), sessionId };
  if (callId) detail.callId = callId;
  host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
