import type { QualityWarningName } from '../core/quality/thresholds.js';
import type { PhoneEventMap } from '../core/types.js';

/**
 * Each call's quality warnings now in force, followed from the phone's
 * `quality-warning` / `quality-warning-cleared` / `call-ended` events, for
 * the in-call signal indicator.
 */
export class ActiveWarnings {
  private readonly byCall = new Map<string, readonly QualityWarningName[]>();

  /** Follows one phone event; true when a call's warnings changed. */
  follow<K extends keyof PhoneEventMap>(type: K, detail: PhoneEventMap[K]): boolean {
    if (type !== 'quality-warning' && type !== 'quality-warning-cleared' && type !== 'call-ended') return false;
    const { id } = detail as { id: string };
    const now = this.byCall.get(id) ?? [];
    if (type === 'call-ended') return this.byCall.delete(id);
    const { name } = detail as PhoneEventMap['quality-warning'];
    const next = type === 'quality-warning' ? [...now.filter((n) => n !== name), name] : now.filter((n) => n !== name);
    this.byCall.set(id, Object.freeze(next));
    return true;
  }

  /** The call's warnings in force, oldest first. */
  of(id: string): readonly QualityWarningName[] {
    return this.byCall.get(id) ?? [];
  }
}
