import { askHook, type Contact, type ContactDirection, type ResolveContact } from '../../shared/contact.js';

/** How long an answer is remembered: a CRM edit shows on the next call after this. */
const CACHE_MS = 10 * 60_000;
/** Numbers remembered at most (the oldest goes first). */
const CACHE_SIZE = 200;

/**
 * The host's `resolveContact` hook, asked once per number (answers are kept
 * ten minutes; a hook that threw or was too slow is asked again next time),
 * and what it said for each live call.
 */
export class ContactLookup {
  private hook: ResolveContact | null = null;
  private readonly cache = new Map<string, { contact: Contact | null; at: number }>();
  private readonly asking = new Map<string, Promise<Contact | null>>();
  private readonly byCall = new Map<string, Contact | null>();

  /** Whether a hook is set. */
  get active(): boolean {
    return this.hook !== null;
  }

  /** A new hook (or none): what the old one said is forgotten. */
  setHook(hook: unknown): void {
    const next = typeof hook === 'function' ? (hook as ResolveContact) : null;
    if (next === this.hook) return;
    this.hook = next;
    this.cache.clear();
    this.asking.clear();
  }

  /** What the hook said of `number` recently (null: unknown, or not asked). */
  cached(number: string): Contact | null {
    const hit = this.cache.get(number);
    return hit && Date.now() - hit.at < CACHE_MS ? hit.contact : null;
  }

  /** The contact of call `id`, or null. */
  of(id: string): Contact | null {
    return this.byCall.get(id) ?? null;
  }

  /**
   * Looks up `number` for call `id`. A remembered answer (or none, without a hook) is the call's at once: null is
   * returned. Else a promise, resolved at most the hook's timeout later (never rejected) once `of(id)` knows.
   */
  look(id: string, number: string, direction: ContactDirection): Promise<Contact | null> | null {
    const hook = this.hook;
    const hit = this.cache.get(number);
    const fresh = !!hit && Date.now() - hit.at < CACHE_MS;
    this.byCall.set(id, fresh ? hit.contact : null);
    if (!hook || fresh) return null;
    let asked = this.asking.get(number);
    if (!asked) {
      asked = askHook(hook, number, direction).then((contact) => {
        if (this.asking.get(number) === asked) this.asking.delete(number);
        if (contact === undefined || this.hook !== hook) return contact ?? null;
        this.cache.delete(number);
        if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
        this.cache.set(number, { contact, at: Date.now() });
        return contact;
      });
      this.asking.set(number, asked);
    }
    return asked.then((contact) => {
      // The call may have ended meanwhile: nothing to keep then.
      if (this.byCall.has(id)) this.byCall.set(id, contact);
      return contact;
    });
  }

  /** Call `id` ended. */
  drop(id: string): void {
    this.byCall.delete(id);
  }
}
