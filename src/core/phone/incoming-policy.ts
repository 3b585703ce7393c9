import type { IncomingInvite } from '../jssip-adapter.js';

/** `dnd-response`: what a caller hears while do-not-disturb is on. */
export const DND_RESPONSES = ['busy', 'unavailable'] as const;
export type DndResponse = (typeof DND_RESPONSES)[number];

/** `auto-answer`: never, when the (server-vouched) INVITE asks, or every call. */
export const AUTO_ANSWER_MODES = ['off', 'header', 'always'] as const;
export type AutoAnswerMode = (typeof AUTO_ANSWER_MODES)[number];

/** The longest wait a header or `auto-answer-delay` may ask for, in seconds. */
export const MAX_ANSWER_AFTER_S = 60;

/** The SIP answer to a caller refused by do-not-disturb, and the cause it is listed under. */
const REFUSALS = {
  busy: { status_code: 486, reason_phrase: 'Busy Here' },
  unavailable: { status_code: 480, reason_phrase: 'Temporarily Unavailable' },
} as const;

/**
 * `Call-Info: <uri>;answer-after=N` (the de-facto intercom hint: Polycom, Yealink, Cisco) or an `Alert-Info`
 * auto-answer hint (`info=alert-autoanswer`, `;answer-after=N`, `<…auto-answer…>`): the delay it asks for in
 * seconds, or null. The widget trusts it only because the SIP server removes it from users' INVITEs.
 */
export function answerAfterHint(request: IncomingInvite): number | null {
  for (const value of request.getHeaders('Call-Info')) {
    const after = /;\s*answer-after\s*=\s*(\d{1,5})/i.exec(value);
    if (after) return Math.min(Number(after[1]), MAX_ANSWER_AFTER_S);
  }
  for (const value of request.getHeaders('Alert-Info')) {
    const after = /;\s*answer-after\s*=\s*(\d{1,5})/i.exec(value);
    if (after) return Math.min(Number(after[1]), MAX_ANSWER_AFTER_S);
    if (/auto[-_]?answer/i.test(value)) return 0;
  }
  return null;
}

/**
 * What happens to a call before it rings here: refused while do-not-disturb
 * is on, or answered by itself after a delay (`auto-answer`).
 */
export class IncomingPolicy {
  dnd = false;
  dndResponse: DndResponse = 'busy';
  autoAnswer: AutoAnswerMode = 'off';
  /** Seconds `always` waits before answering. */
  autoAnswerDelay = 0;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly answered = new Set<string>();

  /** A configured delay: whole seconds in 0..60; anything else is 0. */
  static delay(value: unknown): number {
    const n = Number(value);
    return Number.isFinite(n) && n > 0 ? Math.min(Math.round(n), MAX_ANSWER_AFTER_S) : 0;
  }

  /** The refusal do-not-disturb sends, with the end cause it is recorded under; null when the call may ring. */
  refusal(): { status_code: number; reason_phrase: string; cause: DndResponse } | null {
    return this.dnd ? { ...REFUSALS[this.dndResponse], cause: this.dndResponse } : null;
  }

  /** Seconds after which the call is answered by itself, or null (it rings for the user). */
  answerAfter(request: IncomingInvite): number | null {
    if (this.autoAnswer === 'always') return this.autoAnswerDelay;
    if (this.autoAnswer === 'header') return answerAfterHint(request);
    return null;
  }

  /** Answers call `id` by itself after `seconds` (`answer` says whether it still could). */
  schedule(id: string, seconds: number, answer: () => boolean): void {
    this.timers.set(
      id,
      setTimeout(() => {
        this.timers.delete(id);
        // Marked first: the answer's own state change already shows "answered automatically".
        this.answered.add(id);
        if (!answer()) this.answered.delete(id);
      }, seconds * 1000),
    );
  }

  /** Whether call `id` was answered by itself (the in-call screen and the live region say so). */
  autoAnswered(id: string): boolean {
    return this.answered.has(id);
  }

  /** Call `id` ended: nothing left to answer, or to remember. */
  drop(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.answered.delete(id);
  }
}
