/** What the main file and the `tabs` chunk share (small: it is in both). */

/** `call-started`/`call-ended` say whether this tab placed or answered the call. */
export function withHandled(type: string, detail: unknown, handledHere: boolean): unknown {
  return type === 'call-started' || type === 'call-ended' ? { ...(detail as object), handledHere } : detail;
}

/** Whether this browser has what multi-tab needs (Web Locks, BroadcastChannel). */
// An opaque origin (a sandboxed frame, a data: URL) has the APIs but every lock request is refused.
export const canShareTabs = (): boolean =>
  typeof navigator !== 'undefined' && !!navigator.locks && typeof BroadcastChannel !== 'undefined' && self.origin !== 'null';
